import {
  type ColumnNode,
  type ColumnUpdateNode,
  type InsertQueryNode,
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  ValueListNode,
  ValueNode,
  ValuesNode,
} from 'kysely';

import { isEncrypted, type SecretBox } from './secret-box.js';

/** Columns stored encrypted, by both their TypeScript and SQL names. */
export const secretColumns = new Set([
  'authPassword',
  'auth_password',
  'pin',
  'fleetPassword',
  'fleet_password',
  'previousFleetPassword',
  'previous_fleet_password',
  'devicePassword',
  'device_password',
]);

/**
 * Encrypts the secret columns in the values of INSERT and UPDATE queries built with Kysely's
 * query builder, and decrypts every encrypted string in result rows, so repositories read and
 * write plaintext. NOTE: values inside raw `sql` fragments (e.g. an `insert ... select` written
 * as SQL) are not seen and stay plaintext until `encryptPlaintextSecrets` runs again; callers
 * writing secrets through raw SQL must call `box.encrypt` themselves.
 */
export class SecretColumnsPlugin implements KyselyPlugin {
  readonly #transformer: SecretValueTransformer;

  constructor(readonly box: SecretBox) {
    this.#transformer = new SecretValueTransformer(box);
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const { result } = args;
    if (!result.rows.some(containsEncrypted)) return result;
    return { ...result, rows: result.rows.map((row) => decryptDeep(this.box, row) as UnknownRow) };
  }
}

// Rows built with json_agg or to_jsonb carry secrets inside nested objects and arrays, so both
// the search and the decryption walk the whole value.
function containsEncrypted(value: unknown): boolean {
  if (isEncrypted(value)) return true;
  if (Array.isArray(value)) return value.some(containsEncrypted);
  if (isPlainObject(value)) return Object.values(value).some(containsEncrypted);
  return false;
}

function decryptDeep(box: SecretBox, value: unknown): unknown {
  if (isEncrypted(value)) return box.decrypt(value);
  if (!containsEncrypted(value)) return value;
  if (Array.isArray(value)) return value.map((item) => decryptDeep(box, item));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, decryptDeep(box, item)]));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function columnName(node: ColumnNode | undefined): string | undefined {
  return node?.kind === 'ColumnNode' ? node.column.name : undefined;
}

class SecretValueTransformer extends OperationNodeTransformer {
  constructor(private readonly box: SecretBox) {
    super();
  }

  #encrypt(value: unknown): unknown {
    return typeof value === 'string' && !isEncrypted(value) ? this.box.encrypt(value) : value;
  }

  #encryptNode(node: unknown): unknown {
    if (ValueNode.is(node as never)) return ValueNode.create(this.#encrypt((node as ValueNode).value));
    return node;
  }

  protected override transformInsertQuery(node: InsertQueryNode, queryId?: Parameters<OperationNodeTransformer['transformNode']>[1]): InsertQueryNode {
    const transformed = super.transformInsertQuery(node, queryId);
    const secretIndexes = (transformed.columns ?? []).flatMap((column, index) => (secretColumns.has(columnName(column) ?? '') ? [index] : []));
    if (secretIndexes.length === 0 || !transformed.values || !ValuesNode.is(transformed.values)) return transformed;

    const values = transformed.values.values.map((list) => {
      if (PrimitiveValueListNode.is(list)) {
        return PrimitiveValueListNode.create(list.values.map((value, index) => (secretIndexes.includes(index) ? this.#encrypt(value) : value)));
      }
      return ValueListNode.create(list.values.map((value, index) => (secretIndexes.includes(index) ? (this.#encryptNode(value) as typeof value) : value)));
    });
    return { ...transformed, values: ValuesNode.create(values) };
  }

  protected override transformColumnUpdate(node: ColumnUpdateNode, queryId?: Parameters<OperationNodeTransformer['transformNode']>[1]): ColumnUpdateNode {
    const transformed = super.transformColumnUpdate(node, queryId);
    if (!secretColumns.has(columnName(transformed.column as ColumnNode) ?? '')) return transformed;
    return { ...transformed, value: this.#encryptNode(transformed.value) as ColumnUpdateNode['value'] };
  }
}

let lastOpenedBox: SecretBox | undefined;

/**
 * Returns the key of the database opened last, for the migration that encrypts rows written
 * before encryption existed (migrations get a Kysely instance without plugins).
 */
export function activeSecretBox(): SecretBox | undefined {
  return lastOpenedBox;
}

/** Builds the plugin for a database being opened; `box` comes from the caller or the key settings. */
export function createSecretColumnsPlugin(box: SecretBox): SecretColumnsPlugin {
  lastOpenedBox = box;
  return new SecretColumnsPlugin(box);
}
