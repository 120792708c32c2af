import { randomBytes } from 'node:crypto';

import pg from 'pg';
import type { Logger } from 'pino';
import type { Test } from 'tap';

import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createSecretBox } from '../../src/secrets/secret-box.js';

/** Which backend the tests run on: Postgres when TEST_DATABASE_URL is set, else PGlite. */
/** Fixed key of the encrypted columns in every test database. */
export const testSecretBox = createSecretBox(Buffer.alloc(32, 7));

export const testBackend: 'postgres' | 'pglite' = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

/**
 * Opens a fresh, migrated database for one test and drops it on teardown. On Postgres each
 * call creates its own database next to TEST_DATABASE_URL's; on PGlite it is in memory.
 */
export async function openTestDatabase(t: Test, logger: Logger): Promise<DatabaseHandle> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const database = await openDatabase({ databaseUrl: undefined, dataDir: 'memory://', secretBox: testSecretBox }, logger);
    t.teardown(() => database.close());
    await migrateToLatest(database.db, logger);
    return database;
  }

  const name = `htek_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(adminUrl, (client) => client.query(`create database ${name}`));

  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '', secretBox: testSecretBox }, logger);
  t.teardown(async () => {
    await database.close();
    await withAdminClient(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
  });
  await migrateToLatest(database.db, logger);
  return database;
}

async function withAdminClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
