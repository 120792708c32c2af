import { sql } from 'kysely';

import type { Db } from '../db/database.js';

/** A user with the name and permissions of their role, as the auth hook and API need it. */
export interface AdminUser {
  id: number;
  username: string;
  active: boolean;
  roleId: number;
  role: string;
  permissions: string[];
  lastLoginAt: Date | null;
  createdAt: Date;
}

function selectUsers(db: Db) {
  return db
    .selectFrom('users')
    .innerJoin('roles', 'roles.id', 'users.roleId')
    .select(['users.id', 'users.username', 'users.active', 'users.roleId', 'roles.name as role', 'roles.permissions', 'users.lastLoginAt', 'users.createdAt']);
}

export async function listUsers(db: Db): Promise<AdminUser[]> {
  return selectUsers(db).orderBy('users.id').execute();
}

export async function findUserById(db: Db, id: number): Promise<AdminUser | undefined> {
  return selectUsers(db).where('users.id', '=', id).executeTakeFirst();
}

export async function findUserForLogin(db: Db, username: string): Promise<(AdminUser & { passwordHash: string }) | undefined> {
  return selectUsers(db).select('users.passwordHash').where('users.username', '=', username).executeTakeFirst();
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db.selectFrom('users').select(sql<number>`count(*)::int`.as('count')).executeTakeFirstOrThrow();
  return row.count;
}

/** Counts active users whose role is the built-in Administrator, to keep at least one. */
export async function countActiveAdministrators(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .innerJoin('roles', 'roles.id', 'users.roleId')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('roles.name', '=', 'Administrator')
    .where('roles.builtIn', '=', true)
    .where('users.active', '=', true)
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function insertUser(db: Db, values: { username: string; passwordHash: string; roleId: number }): Promise<number> {
  const row = await db.insertInto('users').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateUser(db: Db, id: number, values: { passwordHash?: string; roleId?: number; active?: boolean }): Promise<boolean> {
  const result = await db.updateTable('users').set({ ...values, updatedAt: new Date() }).where('id', '=', id).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteUser(db: Db, id: number): Promise<boolean> {
  const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function recordLogin(db: Db, id: number): Promise<void> {
  await db.updateTable('users').set({ lastLoginAt: new Date() }).where('id', '=', id).execute();
}
