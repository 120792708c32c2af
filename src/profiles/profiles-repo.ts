import { sql } from 'kysely';

import type { Db } from '../db/database.js';
import { containsPattern, offsetOf } from '../db/query-helpers.js';
import type { NewProfileRow, ProfileRow, ProfileUpdate } from '../db/schema.js';
import type { ProfileListInput } from './profiles-schemas.js';

export type ProfileListFilter = Required<Pick<ProfileListInput, 'page' | 'pageSize' | 'order'>> & ProfileListInput;

// CamelCasePlugin renames the keys of a JSON object read from the database (LogUser_Admin
// would come back as LogUserAdmin), so the extra parameters are read as text and parsed here.
const extraParametersText = sql<string>`extra_parameters::text`.as('extraParametersText');

/** A profile row with the number of accounts and devices that use the profile. */
export type ProfileView = ProfileRow & { accountCount: number; deviceCount: number };

// Subselects in the same query as the profile row, so a list page costs one query and the
// counts match the rows they are read with.
const usageCounts = [
  sql<number>`(select count(*)::int from accounts where accounts.profile_id = profiles.id)`.as('accountCount'),
  sql<number>`(select count(*)::int from devices where devices.profile_id = profiles.id)`.as('deviceCount'),
];

type WithText<T extends ProfileRow> = Omit<T, 'extraParameters'> & { extraParametersText: string };

function withExtraParameters<T extends ProfileRow>(row: WithText<T>): T;
function withExtraParameters<T extends ProfileRow>(row: WithText<T> | undefined): T | undefined;
function withExtraParameters<T extends ProfileRow>(row: WithText<T> | undefined): T | undefined {
  if (!row) return undefined;

  const { extraParametersText: text, ...profile } = row;
  return { ...profile, extraParameters: JSON.parse(text) as Record<string, string> } as unknown as T;
}

export async function findProfile(db: Db, id: number): Promise<ProfileRow | undefined> {
  return withExtraParameters<ProfileRow>(await db.selectFrom('profiles').selectAll().select(extraParametersText).where('id', '=', id).executeTakeFirst());
}

/** Reads a profile with its usage counts, which cost two counts, so existence checks use findProfile. */
export async function findProfileView(db: Db, id: number): Promise<ProfileView | undefined> {
  return withExtraParameters<ProfileView>(await db.selectFrom('profiles').selectAll().select(extraParametersText).select(usageCounts).where('id', '=', id).executeTakeFirst());
}

export async function findProfileByName(db: Db, name: string): Promise<ProfileRow | undefined> {
  const row = await db
    .selectFrom('profiles')
    .selectAll()
    .select(extraParametersText)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
  return withExtraParameters<ProfileRow>(row);
}

export async function listProfiles(db: Db, filter: ProfileListFilter): Promise<{ rows: ProfileView[]; total: number }> {
  let query = db.selectFrom('profiles');
  if (filter.name) query = query.where('name', 'ilike', containsPattern(filter.name));
  if (filter.sipServer) query = query.where('sipServer', 'ilike', containsPattern(filter.sipServer));
  if (filter.transport) query = query.where('transport', '=', filter.transport);

  const { total } = await query.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll()
    .select(extraParametersText)
    .select(usageCounts)
    .orderBy(filter.sort ?? 'name', filter.order)
    .orderBy('id')
    .limit(filter.pageSize)
    .offset(offsetOf(filter))
    .execute();
  return { rows: rows.map((row) => withExtraParameters<ProfileView>(row)), total };
}

export async function insertProfile(db: Db, row: NewProfileRow): Promise<ProfileView> {
  return withExtraParameters<ProfileView>(await db.insertInto('profiles').values(row).returningAll().returning(extraParametersText).returning(usageCounts).executeTakeFirstOrThrow());
}

/** Updates the row only when its version matches; returns undefined otherwise. */
export async function updateProfile(db: Db, id: number, version: number | undefined, changes: ProfileUpdate): Promise<ProfileView | undefined> {
  let query = db
    .updateTable('profiles')
    .set({ ...changes, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id);
  if (version !== undefined) query = query.where('version', '=', version);
  return withExtraParameters<ProfileView>(await query.returningAll().returning(extraParametersText).returning(usageCounts).executeTakeFirst());
}

export function deleteProfile(db: Db, id: number): Promise<{ numDeletedRows: bigint }> {
  return db.deleteFrom('profiles').where('id', '=', id).executeTakeFirstOrThrow();
}

export async function countProfileUsers(db: Db, id: number): Promise<{ accounts: number; devices: number }> {
  const row = await db
    .selectNoFrom([
      sql<number>`(select count(*)::int from accounts where profile_id = ${id})`.as('accounts'),
      sql<number>`(select count(*)::int from devices where profile_id = ${id})`.as('devices'),
    ])
    .executeTakeFirstOrThrow();
  return row;
}
