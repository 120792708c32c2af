import path from 'node:path';

import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';

import { buildApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/database.js';
import { openTestDatabase } from './database.js';
import { createTestLogger } from './logger.js';

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  logFile: string;
  /** Sends a JSON request through `inject()` and parses the JSON answer. */
  call(method: InjectOptions['method'], url: string, body?: unknown): Promise<{ status: number; json: any; response: LightMyRequestResponse }>;
}

/** Builds the app on a fresh database; everything is closed when the test ends. */
export async function buildTestApp(t: Test, options: { publicUrl?: string; templatesDir?: string } = {}): Promise<TestApp> {
  const { logger, file } = createTestLogger(path.basename(t.name || 'test').replace(/[^\w.-]/g, '_'));
  const database = await openTestDatabase(t, logger);
  const app = await buildApp({ config: { publicUrl: options.publicUrl, templatesDir: options.templatesDir }, db: database.db, logger });
  t.teardown(() => app.close());

  const call: TestApp['call'] = async (method, url, body) => {
    const response = await app.inject({ method, url, ...(body === undefined ? {} : { payload: body as object }) });
    let json: unknown;
    try {
      json = response.body === '' ? undefined : response.json();
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, json, response };
  };
  return { app, database, logFile: file, call };
}
