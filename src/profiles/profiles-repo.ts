import { sql } from 'kysely';

import type { Db } from '../db/database.js';
import { containsPattern, offsetOf } from '../db/query-helpers.js';
import type { NewProfileRow, ProfileRow, ProfileUpdate } from '../db/schema.js';
import type { ProfileListInput } from './profiles-schemas.js';

export type ProfileListFilter = Required<Pick<ProfileListInput, 'page' | 'pageSize' | 'order'>> & ProfileListInput;

export function findProfile(db: Db, id: number): Promise<ProfileRow | undefined> {
  return db.selectFrom('profiles').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findProfileByName(db: Db, name: string): Promise<ProfileRow | undefined> {
  return db
    .selectFrom('profiles')
    .selectAll()
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
}

export async function listProfiles(db: Db, filter: ProfileListFilter): Promise<{ rows: ProfileRow[]; total: number }> {
  let query = db.selectFrom('profiles');
  if (filter.name) query = query.where('name', 'ilike', containsPattern(filter.name));
  if (filter.sipServer) query = query.where('sipServer', 'ilike', containsPattern(filter.sipServer));
  if (filter.transport) query = query.where('transport', '=', filter.transport);

  const { total } = await query.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll()
    .orderBy(filter.sort ?? 'name', filter.order)
    .orderBy('id')
    .limit(filter.pageSize)
    .offset(offsetOf(filter))
    .execute();
  return { rows, total };
}

export function insertProfile(db: Db, row: NewProfileRow): Promise<ProfileRow> {
  return db.insertInto('profiles').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Updates the row only when its version matches; returns undefined otherwise. */
export function updateProfile(db: Db, id: number, version: number | undefined, changes: ProfileUpdate): Promise<ProfileRow | undefined> {
  let query = db
    .updateTable('profiles')
    .set({ ...changes, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id);
  if (version !== undefined) query = query.where('version', '=', version);
  return query.returningAll().executeTakeFirst();
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
