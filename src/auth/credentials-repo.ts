import type { Db } from '../db/database.js';
import { randomToken, sha256 } from './passwords.js';

/** How long a web UI session lasts after login. */
export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

export interface NewSession {
  /** Cookie value; only its hash is stored. */
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(db: Db, userId: number, address: string): Promise<NewSession> {
  const sessionToken = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(Date.now() + sessionLifetimeMs);

  await db.insertInto('sessions').values({ idHash: sha256(sessionToken), userId, csrfToken, address, expiresAt }).execute();
  return { sessionToken, csrfToken, expiresAt };
}

/** Returns the user and CSRF token of an unexpired session, and drops expired sessions. */
export async function findSession(db: Db, sessionToken: string): Promise<{ userId: number; csrfToken: string } | undefined> {
  await db.deleteFrom('sessions').where('expiresAt', '<', new Date()).execute();
  return db.selectFrom('sessions').select(['userId', 'csrfToken']).where('idHash', '=', sha256(sessionToken)).executeTakeFirst();
}

export async function deleteSession(db: Db, sessionToken: string): Promise<void> {
  await db.deleteFrom('sessions').where('idHash', '=', sha256(sessionToken)).execute();
}

export async function deleteUserSessions(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('userId', '=', userId).execute();
}

export interface ApiTokenInfo {
  id: number;
  userId: number;
  name: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

const tokenColumns = ['id', 'userId', 'name', 'createdAt', 'expiresAt', 'lastUsedAt'] as const;

/** Creates an API token; the value is returned once and stored only as a hash. */
export async function createApiToken(db: Db, userId: number, name: string, expiresAt: Date | null): Promise<ApiTokenInfo & { token: string }> {
  const token = `htek_${randomToken()}`;
  const row = await db.insertInto('apiTokens').values({ userId, name, tokenHash: sha256(token), expiresAt }).returning(tokenColumns).executeTakeFirstOrThrow();
  return { ...row, token };
}

export async function findApiTokenUser(db: Db, token: string): Promise<number | undefined> {
  const row = await db
    .updateTable('apiTokens')
    .set({ lastUsedAt: new Date() })
    .where('tokenHash', '=', sha256(token))
    .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', new Date())]))
    .returning('userId')
    .executeTakeFirst();
  return row?.userId;
}

export function listApiTokens(db: Db, userId: number | undefined): Promise<ApiTokenInfo[]> {
  return db
    .selectFrom('apiTokens')
    .select(tokenColumns)
    .$if(userId !== undefined, (qb) => qb.where('userId', '=', userId!))
    .orderBy('id')
    .execute();
}

export async function deleteApiToken(db: Db, id: number, userId: number | undefined): Promise<boolean> {
  const result = await db
    .deleteFrom('apiTokens')
    .where('id', '=', id)
    .$if(userId !== undefined, (qb) => qb.where('userId', '=', userId!))
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
