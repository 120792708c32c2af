import type { FastifyInstance, InjectOptions } from 'fastify';

import { createApiToken } from '../../src/auth/credentials-repo.js';
import { hashPassword } from '../../src/auth/passwords.js';
import type { Db } from '../../src/db/database.js';

/** The administrator every test app signs in as, unless a request asks to be anonymous. */
export const testAdmin = { username: 'test-admin', password: 'test-admin-password-1' };

/** Options of the test-side inject: `anonymous: true` sends the request without credentials. */
export type TestInjectOptions = InjectOptions & { anonymous?: boolean };

// argon2id hashing takes tens of milliseconds, so every test app of a process reuses one hash.
let adminHash: Promise<string> | undefined;

/**
 * Creates the test administrator in this database (unless it exists) and returns a new API
 * token for it. The user row is written directly with a shared hash to keep test set-up fast.
 */
export async function createAdminToken(db: Db): Promise<string> {
  adminHash ??= hashPassword(testAdmin.password);
  const role = await db.selectFrom('roles').select('id').where('name', '=', 'Administrator').executeTakeFirstOrThrow();

  let user = await db.selectFrom('users').select('id').where('username', '=', testAdmin.username).executeTakeFirst();
  user ??= await db.insertInto('users').values({ username: testAdmin.username, passwordHash: await adminHash, roleId: role.id }).returning('id').executeTakeFirstOrThrow();

  const { token } = await createApiToken(db, user.id, 'test suite', null);
  return token;
}

/**
 * Makes `app.inject` send `Authorization: Bearer <token>` on admin API requests (`/api/...`)
 * unless the request sets its own authorization header or `anonymous: true`. Phone and status
 * requests are left as they are, because phones never send the admin's credentials.
 */
export function signInjectAsAdmin(app: FastifyInstance, token: string): void {
  const original = app.inject.bind(app);

  const inject = (options?: TestInjectOptions | string, callback?: unknown) => {
    if (options === undefined || callback !== undefined) return (original as (...args: unknown[]) => unknown)(options, callback);
    const request: TestInjectOptions = typeof options === 'string' ? { url: options } : options;
    return original(withAdminCredentials(request, token));
  };
  app.inject = inject as FastifyInstance['inject'];
}

function withAdminCredentials(request: TestInjectOptions, token: string): InjectOptions {
  const { anonymous, ...options } = request;
  const target = options.url ?? options.path;
  const url = typeof target === 'string' ? target : (target?.pathname ?? '');
  const headers = { ...(options.headers ?? {}) } as Record<string, string | string[] | undefined>;

  const hasCredentials = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
  if (anonymous || hasCredentials || !url.startsWith('/api/')) return options;
  return { ...options, headers: { ...headers, authorization: `Bearer ${token}` } };
}
