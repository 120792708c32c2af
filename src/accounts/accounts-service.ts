import type { Logger } from 'pino';

import type { Db } from '../db/database.js';
import { changesAnyColumn, foreignKeyViolation, trimOrNull, uniqueViolation } from '../db/query-helpers.js';
import type { AccountUpdate } from '../db/schema.js';
import { errors, type FieldProblem } from '../errors.js';
import { findProfile } from '../profiles/profiles-repo.js';
import * as repo from './accounts-repo.js';
import type { Account, AccountListInput, CreateAccountInput, UpdateAccountInput } from './accounts-schemas.js';

export interface AccountsServiceDeps {
  db: Db;
  logger: Logger;
}

export type AccountsService = ReturnType<typeof createAccountsService>;

const trimmedFields = ['name', 'label', 'sipUserId', 'authId'] as const;
const optionalTextFields = ['directPickupCode', 'groupPickupCode', 'voicemailUserId', 'dialPlan', 'eventListBlfUrl', 'displayName'] as const;
const passThroughFields = ['profileId', 'active', 'authPassword', 'featureKeySync', 'pin', 'localSipPort', 'useRandomPort'] as const;

/** Accounts: SIP identities with per-user settings, each bound to one profile. */
export function createAccountsService({ db, logger }: AccountsServiceDeps) {
  async function get(id: number): Promise<Account> {
    const row = await repo.findAccount(db, id);
    if (!row) throw errors.notFound('account', id);
    return toAccount(row);
  }

  async function list(query: AccountListInput): Promise<{ items: Account[]; total: number }> {
    const filter = { page: 1, pageSize: 50, order: 'asc' as const, ...query };
    const { rows, total } = await repo.listAccounts(db, filter);
    return { items: rows.map(toAccount), total };
  }

  async function create(input: CreateAccountInput): Promise<Account> {
    const { values, problems } = normalize(input);
    await checkCrossRowRules(values, undefined, problems);

    const row = await translateUniqueViolation(() =>
      repo.insertAccount(db, values as Required<Pick<AccountUpdate, 'name' | 'profileId' | 'label' | 'sipUserId' | 'authId' | 'authPassword' | 'pin'>> & AccountUpdate),
    );
    logger.info({ accountId: row.id, profileId: row.profileId }, 'account created');
    return get(row.id);
  }

  async function update(id: number, input: UpdateAccountInput): Promise<Account> {
    const { version, ...fields } = input;
    const current = await repo.findAccount(db, id);
    if (!current) throw errors.notFound('account', id);
    if (version !== undefined && version !== current.version) throw errors.staleVersion('account', id, version, current.version);

    // A move to another profile checks the SIP User ID there, even when it is not sent.
    const { values, problems } = normalize(fields);
    await checkCrossRowRules({ ...values, profileId: values.profileId ?? current.profileId, sipUserId: values.sipUserId ?? current.sipUserId }, id, problems);

    if (!changesAnyColumn(current, values)) return get(id);

    const row = await translateUniqueViolation(() => repo.updateAccount(db, id, version ?? current.version, values));
    if (!row) {
      const latest = await repo.findAccount(db, id);
      if (!latest) throw errors.notFound('account', id);
      throw errors.staleVersion('account', id, version ?? current.version, latest.version);
    }
    logger.info({ accountId: id, version: row.version }, 'account updated');
    return get(id);
  }

  /**
   * Deletes accounts all-or-nothing. An account that is on a device line is kept unless
   * `unbind` is set, in which case its lines are removed in the same transaction.
   */
  async function removeMany(ids: number[], options: { unbind: boolean }): Promise<{ deleted: number; unboundLines: number }> {
    const uniqueIds = [...new Set(ids)];

    return db.transaction().execute(async (trx) => {
      const found = await trx.selectFrom('accounts').select('id').where('id', 'in', uniqueIds).forUpdate().execute();
      const missing = uniqueIds.filter((id) => !found.some((row) => row.id === id));
      if (missing.length > 0) throw errors.someNotFound('account', missing);

      const lines = await trx
        .selectFrom('deviceLines')
        .innerJoin('devices', 'devices.id', 'deviceLines.deviceId')
        .select(['deviceLines.accountId', 'deviceLines.line', 'devices.id as deviceId', 'devices.mac'])
        .where('deviceLines.accountId', 'in', uniqueIds)
        .execute();
      if (lines.length > 0 && !options.unbind) {
        const macs = [...new Set(lines.map((line) => line.mac))];
        throw errors.conflict(
          'account_allocated',
          `Account(s) ${[...new Set(lines.map((line) => line.accountId))].join(', ')} are on lines of device(s) ${macs.join(', ')}; ` +
            'remove them from those devices first, or repeat the request with unbind=true. Nothing was deleted.',
          { devices: lines },
        );
      }

      if (lines.length > 0) await trx.deleteFrom('deviceLines').where('accountId', 'in', uniqueIds).execute();
      const deleted = await repo.deleteAccounts(trx, uniqueIds);
      logger.info({ accountIds: uniqueIds, unboundLines: lines.length }, 'accounts deleted');
      return { deleted, unboundLines: lines.length };
    });
  }

  async function remove(id: number, options: { unbind: boolean }): Promise<void> {
    await removeMany([id], options);
  }

  async function devicesOf(id: number) {
    const account = await repo.findAccount(db, id);
    if (!account) throw errors.notFound('account', id);
    const rows = await repo.findDevicesOfAccount(db, id);
    return rows.map((row) => ({ ...row, lastSeenAt: row.lastSeenAt?.toISOString() ?? null }));
  }

  /**
   * Adds the rules that need other rows to `problems`, then throws when there is any problem.
   * NOTE: these run only after the schema accepted the body, so a request with a bad PIN and a
   * used name reports the PIN first and the name on the next try.
   */
  async function checkCrossRowRules(values: AccountUpdate, exceptId: number | undefined, problems: FieldProblem[]): Promise<void> {
    if (values.profileId !== undefined && !(await findProfile(db, values.profileId))) {
      problems.push({ field: 'profileId', value: values.profileId, message: 'is not an existing profile; create the profile first or pick one from GET /api/v1/profiles' });
    }
    if (values.name) {
      const existing = await repo.findAccountByName(db, values.name);
      if (existing && existing.id !== exceptId) {
        problems.push({ field: 'name', value: values.name, message: `is already used by account ${existing.id} (names are compared in any letter case)` });
      }
    }
    if (values.profileId !== undefined && values.sipUserId) {
      const existing = await repo.findAccountBySipUser(db, values.profileId, values.sipUserId);
      if (existing && existing.id !== exceptId) {
        problems.push({ field: 'sipUserId', value: values.sipUserId, message: `is already used by account ${existing.id} in profile ${values.profileId}; SIP User IDs are unique within a profile` });
      }
    }
    if (problems.length > 0) throw errors.validationFailed(problems);
  }

  return { get, list, create, update, remove, removeMany, devicesOf };
}

async function translateUniqueViolation<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint === 'accounts_name_key') {
      throw errors.validationFailed([{ field: 'name', message: 'is already used by another account' }]);
    }
    if (constraint === 'accounts_profile_sip_user_key') {
      throw errors.validationFailed([{ field: 'sipUserId', message: 'is already used by another account in the same profile' }]);
    }
    if (foreignKeyViolation(error) === 'accounts_profile_id_fkey') {
      throw errors.validationFailed([{ field: 'profileId', message: 'is not an existing profile; it was deleted meanwhile' }]);
    }
    throw error;
  }
}

/** Trims text fields (never the password) and reports the ones that end up empty. */
function normalize(input: Partial<CreateAccountInput>): { values: AccountUpdate; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const values: AccountUpdate = {};

  for (const key of trimmedFields) {
    if (input[key] === undefined) continue;
    const text = input[key].trim();
    if (text === '') problems.push({ field: key, value: input[key], message: 'must not be empty' });
    values[key] = text;
  }
  for (const key of optionalTextFields) {
    if (input[key] !== undefined) values[key] = trimOrNull(input[key]) ?? null;
  }
  for (const key of passThroughFields) {
    if (input[key] !== undefined) (values as Record<string, unknown>)[key] = input[key];
  }

  return { values, problems };
}

export function toAccount(row: repo.AccountView): Account {
  return {
    id: row.id,
    name: row.name,
    profileId: row.profileId,
    profileName: row.profileName,
    active: row.active,
    label: row.label,
    sipUserId: row.sipUserId,
    authId: row.authId,
    directPickupCode: row.directPickupCode,
    groupPickupCode: row.groupPickupCode,
    featureKeySync: row.featureKeySync,
    voicemailUserId: row.voicemailUserId,
    dialPlan: row.dialPlan,
    eventListBlfUrl: row.eventListBlfUrl,
    displayName: row.displayName,
    localSipPort: row.localSipPort,
    useRandomPort: row.useRandomPort,
    accountStatus: row.status,
    accountStatusChangedAt: row.statusChangedAt?.toISOString() ?? null,
    assignStatus: row.allocated ? 'allocated' : 'unallocated',
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
