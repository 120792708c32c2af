import path from 'node:path';

import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';

import { buildApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/database.js';
import { createAdminToken, signInjectAsAdmin } from './admin.js';
import { openTestDatabase } from './database.js';
import { createTestLogger } from './logger.js';

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  logFile: string;
  /** API token of the test administrator, which `call` and `app.inject` send by default. */
  adminToken: string;
  /** Sends a JSON request through `inject()` and parses the JSON answer; `anonymous` sends no credentials. */
  call(method: InjectOptions['method'], url: string, body?: unknown, options?: { anonymous?: boolean }): Promise<{ status: number; json: any; response: LightMyRequestResponse }>;
}

/**
 * Builds the app on a fresh database with admin auth required, as `htek-dms serve` runs it. Admin
 * API requests are signed in as the test administrator unless they ask to be anonymous.
 * Everything is closed when the test ends.
 */
export async function buildTestApp(t: Test, options: { publicUrl?: string; templatesDir?: string } = {}): Promise<TestApp> {
  const { logger, file } = createTestLogger(path.basename(t.name || 'test').replace(/[^\w.-]/g, '_'));
  const database = await openTestDatabase(t, logger);
  const app = await buildApp({ config: { publicUrl: options.publicUrl, templatesDir: options.templatesDir, adminAuth: 'required' }, db: database.db, logger });
  t.teardown(() => app.close());

  const adminToken = await createAdminToken(database.db);
  signInjectAsAdmin(app, adminToken);

  const call: TestApp['call'] = async (method, url, body, callOptions = {}) => {
    const request = { method, url, anonymous: callOptions.anonymous, ...(body === undefined ? {} : { payload: body as object }) };
    const response = await app.inject(request as InjectOptions);
    let json: unknown;
    try {
      json = response.body === '' ? undefined : response.json();
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, json, response };
  };
  return { app, database, logFile: file, adminToken, call };
}
