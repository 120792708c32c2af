import { type ExpressionBuilder, sql } from 'kysely';

import type { Db } from '../db/database.js';
import { containsPattern, offsetOf } from '../db/query-helpers.js';
import type { AccountRow, AccountUpdate, Database, NewAccountRow } from '../db/schema.js';
import type { AccountListInput } from './accounts-schemas.js';

/** An account row with what the list shows next to it. */
export interface AccountView extends AccountRow {
  profileName: string;
  allocated: boolean;
}

export type AccountListFilter = Required<Pick<AccountListInput, 'page' | 'pageSize' | 'order'>> & AccountListInput;

const isAllocated = (eb: ExpressionBuilder<Database, 'accounts'>) =>
  eb.exists(eb.selectFrom('deviceLines').select('deviceLines.line').whereRef('deviceLines.accountId', '=', 'accounts.id'));

function selectAccounts(db: Db) {
  return db
    .selectFrom('accounts')
    .innerJoin('profiles', 'profiles.id', 'accounts.profileId')
    .selectAll('accounts')
    .select((eb) => ['profiles.name as profileName', isAllocated(eb).$castTo<boolean>().as('allocated')]);
}

export function findAccount(db: Db, id: number): Promise<AccountView | undefined> {
  return selectAccounts(db).where('accounts.id', '=', id).executeTakeFirst();
}

export function findAccountByName(db: Db, name: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where(sql<string>`lower(name)`, '=', name.toLowerCase()).executeTakeFirst();
}

export function findAccountBySipUser(db: Db, profileId: number, sipUserId: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('profileId', '=', profileId).where('sipUserId', '=', sipUserId).executeTakeFirst();
}

// Text columns sort in any letter case, as the list filters match.
const lowered = (column: string) => sql`lower(${sql.ref(column)})`;

const sortExpressions = {
  name: () => lowered('accounts.name'),
  profileName: () => lowered('profiles.name'),
  label: () => lowered('accounts.label'),
  sipUserId: () => lowered('accounts.sipUserId'),
  authId: () => lowered('accounts.authId'),
  accountStatus: () => sql`accounts.status`,
  assignStatus: (eb: ExpressionBuilder<Database, 'accounts'>) => isAllocated(eb),
  createdAt: () => sql.ref('accounts.createdAt'),
  updatedAt: () => sql.ref('accounts.updatedAt'),
};

/** The list filters of the account list, plus an optional list of ids (exports). */
export type AccountFilter = Omit<AccountListInput, 'page' | 'pageSize' | 'order' | 'sort'> & { ids?: number[] };

/**
 * Starts a query over accounts joined to their profiles with the list's filters applied: text
 * filters match any part in any letter case, and all filters combine with AND.
 */
export function selectFilteredAccounts(db: Db, filter: AccountFilter) {
  let query = db.selectFrom('accounts').innerJoin('profiles', 'profiles.id', 'accounts.profileId');
  if (filter.ids) query = query.where('accounts.id', 'in', filter.ids.length > 0 ? filter.ids : [0]);
  if (filter.name) query = query.where('accounts.name', 'ilike', containsPattern(filter.name));
  if (filter.profileId) query = query.where('accounts.profileId', '=', filter.profileId);
  if (filter.profile) query = query.where('profiles.name', 'ilike', containsPattern(filter.profile));
  if (filter.label) query = query.where('accounts.label', 'ilike', containsPattern(filter.label));
  if (filter.sipUserId) query = query.where('accounts.sipUserId', 'ilike', containsPattern(filter.sipUserId));
  if (filter.authId) query = query.where('accounts.authId', 'ilike', containsPattern(filter.authId));
  if (filter.accountStatus) query = query.where('accounts.status', '=', filter.accountStatus);
  if (filter.assignStatus === 'allocated') query = query.where(isAllocated);
  if (filter.assignStatus === 'unallocated') query = query.where((eb) => eb.not(isAllocated(eb)));
  return query;
}

/** Returns the expression the account list sorts by for a sort column. */
export function accountSortExpression(column: keyof typeof sortExpressions) {
  return (eb: ExpressionBuilder<Database, 'accounts' | 'profiles'>) => sortExpressions[column](eb as unknown as ExpressionBuilder<Database, 'accounts'>);
}

export async function listAccounts(db: Db, filter: AccountListFilter): Promise<{ rows: AccountView[]; total: number }> {
  const query = selectFilteredAccounts(db, filter);

  const { total } = await query.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll('accounts')
    .select((eb) => ['profiles.name as profileName', isAllocated(eb).$castTo<boolean>().as('allocated')])
    .orderBy(accountSortExpression(filter.sort ?? 'name'), filter.order)
    .orderBy('accounts.id')
    .limit(filter.pageSize)
    .offset(offsetOf(filter))
    .execute();
  return { rows, total };
}

export function insertAccount(db: Db, row: NewAccountRow): Promise<AccountRow> {
  return db.insertInto('accounts').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Updates the row only when its version matches; returns undefined otherwise. */
export function updateAccount(db: Db, id: number, version: number, changes: AccountUpdate): Promise<AccountRow | undefined> {
  return db
    .updateTable('accounts')
    .set({ ...changes, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteAccounts(db: Db, ids: number[]): Promise<number> {
  const result = await db.deleteFrom('accounts').where('id', 'in', ids).executeTakeFirstOrThrow();
  return Number(result.numDeletedRows);
}

/** Devices that carry the account on one of their lines. */
export function findDevicesOfAccount(db: Db, accountId: number) {
  return db
    .selectFrom('deviceLines')
    .innerJoin('devices', 'devices.id', 'deviceLines.deviceId')
    .select(['devices.id as deviceId', 'devices.mac', 'devices.model', 'deviceLines.line', 'devices.lastSeenAt', 'devices.lastAddress'])
    .where('deviceLines.accountId', '=', accountId)
    .orderBy('devices.mac')
    .orderBy('deviceLines.line')
    .execute();
}
