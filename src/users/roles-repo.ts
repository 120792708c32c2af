import { sql } from 'kysely';

import type { Db } from '../db/database.js';
import type { RoleTable } from '../db/schema.js';

export interface RoleRecord {
  id: number;
  name: string;
  description: string | null;
  permissions: string[];
  builtIn: boolean;
}

const columns = ['id', 'name', 'description', 'permissions', 'builtIn'] as const;

export function listRoles(db: Db): Promise<RoleRecord[]> {
  return db.selectFrom('roles').select(columns).orderBy('id').execute();
}

export function findRole(db: Db, id: number): Promise<RoleRecord | undefined> {
  return db.selectFrom('roles').select(columns).where('id', '=', id).executeTakeFirst();
}

export function findRoleByName(db: Db, name: string): Promise<RoleRecord | undefined> {
  return db.selectFrom('roles').select(columns).where('name', '=', name).executeTakeFirst();
}

export async function insertRole(db: Db, values: { name: string; description: string | null; permissions: string[] }): Promise<number> {
  const row = await db.insertInto('roles').values({ ...values, permissions: JSON.stringify(values.permissions) }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateRole(db: Db, id: number, values: { name?: string; description?: string | null; permissions?: string[] }): Promise<void> {
  const update: Partial<Record<keyof RoleTable, unknown>> = { updatedAt: new Date() };
  if (values.name !== undefined) update.name = values.name;
  if (values.description !== undefined) update.description = values.description;
  if (values.permissions !== undefined) update.permissions = JSON.stringify(values.permissions);
  await db.updateTable('roles').set(update as never).where('id', '=', id).execute();
}

export async function deleteRole(db: Db, id: number): Promise<void> {
  await db.deleteFrom('roles').where('id', '=', id).execute();
}

export async function countRoleUsers(db: Db, id: number): Promise<number> {
  const row = await db.selectFrom('users').select(sql<number>`count(*)::int`.as('count')).where('roleId', '=', id).executeTakeFirstOrThrow();
  return row.count;
}
