import { sql, type RawBuilder } from 'kysely';

import type { SecretBox } from '../secrets/secret-box.js';
import { SecretColumnsPlugin } from '../secrets/secret-columns-plugin.js';
import type { AccountFields } from './import-rows.js';
import type { AccountChange, Trx } from './import-repo.js';

/**
 * Rows per UPDATE statement. Each row binds 19 parameters, and Postgres allows 65,535 in one
 * statement.
 */
export const UPDATE_BATCH_SIZE = 1000;

/** SQL column and type of each field an import writes, in the order of the VALUES list. */
const UPDATE_COLUMNS: readonly { field: keyof AccountFields; column: string; type: 'text' | 'integer' | 'boolean' }[] = [
  { field: 'name', column: 'name', type: 'text' },
  { field: 'profileId', column: 'profile_id', type: 'integer' },
  { field: 'active', column: 'active', type: 'boolean' },
  { field: 'label', column: 'label', type: 'text' },
  { field: 'sipUserId', column: 'sip_user_id', type: 'text' },
  { field: 'authId', column: 'auth_id', type: 'text' },
  { field: 'authPassword', column: 'auth_password', type: 'text' },
  { field: 'directPickupCode', column: 'direct_pickup_code', type: 'text' },
  { field: 'groupPickupCode', column: 'group_pickup_code', type: 'text' },
  { field: 'featureKeySync', column: 'feature_key_sync', type: 'boolean' },
  { field: 'voicemailUserId', column: 'voicemail_user_id', type: 'text' },
  { field: 'dialPlan', column: 'dial_plan', type: 'text' },
  { field: 'eventListBlfUrl', column: 'event_list_blf_url', type: 'text' },
  { field: 'pin', column: 'pin', type: 'text' },
  { field: 'displayName', column: 'display_name', type: 'text' },
  { field: 'localSipPort', column: 'local_sip_port', type: 'integer' },
  { field: 'useRandomPort', column: 'use_random_port', type: 'boolean' },
];

const SECRET_FIELDS: ReadonlySet<keyof AccountFields> = new Set(['authPassword', 'pin']);

/**
 * Returns the key that the database's secret-column plugin encrypts with. The batched UPDATE
 * is raw SQL, which the plugin does not see, so the secrets are encrypted here with the same
 * key; the plugin leaves values that are already encrypted as they are.
 */
function secretBoxOf(trx: Trx): SecretBox {
  const plugin = trx.getExecutor().plugins.find((candidate) => candidate instanceof SecretColumnsPlugin);
  if (!plugin) throw new Error('The database has no SecretColumnsPlugin, so the import cannot encrypt passwords and PINs.');
  return (plugin as SecretColumnsPlugin).box;
}

function valuesRow(change: AccountChange, box: SecretBox): RawBuilder<unknown> {
  const cells = UPDATE_COLUMNS.map(({ field, type }) => {
    const value = change.fields[field];
    const stored = SECRET_FIELDS.has(field) && typeof value === 'string' ? box.encrypt(value) : value;
    return sql`${stored}::${sql.raw(type)}`;
  });
  return sql`(${change.id}::integer, ${change.version}::integer, ${sql.join(cells)})`;
}

/**
 * Updates one batch of accounts with a single UPDATE ... FROM (VALUES ...) statement. A row is
 * updated only while its version is still the one the import read. Returns the ids of the rows
 * that were updated.
 */
export async function updateAccountBatch(trx: Trx, batch: readonly AccountChange[]): Promise<Set<number>> {
  const box = secretBoxOf(trx);
  const columnList = sql.raw(['id', 'version', ...UPDATE_COLUMNS.map((entry) => entry.column)].join(', '));
  const assignments = sql.raw(UPDATE_COLUMNS.map(({ column }) => `${column} = v.${column}`).join(', '));

  const result = await sql<{ id: number }>`
    update accounts as a
    set ${assignments}, version = a.version + 1, updated_at = now()
    from (values ${sql.join(batch.map((change) => valuesRow(change, box)))}) as v (${columnList})
    where a.id = v.id and a.version = v.version
    returning a.id`.execute(trx);
  return new Set(result.rows.map((row) => row.id));
}
