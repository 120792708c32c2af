import path from 'node:path';

import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Test } from 'tap';

import { buildApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/database.js';
import { createUsersService } from '../../src/users/users-service.js';
import { openTestDatabase } from '../helpers/database.js';
import { createTestLogger } from '../helpers/logger.js';

export interface SecureTestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  /** Sends a request as the given user via HTTP Basic from loopback, or without credentials. */
  call(method: InjectOptions['method'], url: string, options?: { body?: unknown; as?: string; headers?: Record<string, string>; remoteAddress?: string }): Promise<{ status: number; json: any; body: string; headers: Record<string, unknown> }>;
  addUser(username: string, role: string): Promise<void>;
}

export const testPassword = 'correct horse battery';

/** Builds the app with admin auth required, on a fresh database. */
export async function buildSecureApp(t: Test, config: Partial<Config> = {}): Promise<SecureTestApp> {
  const { logger } = createTestLogger(path.basename(t.name || 'security').replace(/[^\w.-]/g, '_'));
  const database = await openTestDatabase(t, logger);
  const app = await buildApp({ config: { publicUrl: undefined, templatesDir: undefined, adminAuth: 'required', ...config }, db: database.db, logger });
  t.teardown(() => app.close());
  const users = createUsersService({ db: database.db, logger });

  const call: SecureTestApp['call'] = async (method, url, options = {}) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.as) headers.authorization = `Basic ${Buffer.from(`${options.as}:${testPassword}`).toString('base64')}`;
    const response = await app.inject({ method, url, headers, remoteAddress: options.remoteAddress ?? '127.0.0.1', ...(options.body === undefined ? {} : { payload: options.body as object }) });
    let json: unknown;
    try {
      json = response.body === '' ? undefined : response.json();
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, json, body: response.body, headers: response.headers };
  };

  return { app, database, call, addUser: async (username, role) => void (await users.create({ username, password: testPassword, role })) };
}
