import { PGlite } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Logger } from 'pino';

import { lockDataDir } from './data-dir-lock.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/** An open database and how to close it. */
export interface DatabaseHandle {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Where the data lives, with any password removed: safe to log. */
  location: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  /** Folder of the embedded database; `memory://` keeps it in memory (tests). */
  dataDir: string;
  poolSize?: number;
}

// Postgres returns int8 (bigint, count(*)) as text through pg but as a number through PGlite.
// Reading it as a number on both keeps the two backends alike; our counts stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

/** Opens Postgres when a URL is given, otherwise the embedded PGlite database in `dataDir`. */
export async function openDatabase(options: DatabaseOptions, logger: Logger): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10, logger);
  return openPglite(options.dataDir, logger);
}

function openPostgres(databaseUrl: string, poolSize: number, logger: Logger): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: 5000 });
  pool.on('error', (error) => logger.error({ err: error }, 'idle Postgres connection failed'));

  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
  return { db, kind: 'postgres', location: redactUrl(databaseUrl), close: () => db.destroy() };
}

async function openPglite(dataDir: string, logger: Logger): Promise<DatabaseHandle> {
  const inMemory = dataDir.startsWith('memory://');
  const releaseLock = inMemory ? () => {} : lockDataDir(dataDir);

  let pglite: PGlite;
  try {
    pglite = await PGlite.create(inMemory ? undefined : dataDir);
  } catch (error) {
    releaseLock();
    throw error;
  }
  logger.debug({ dataDir }, 'embedded database opened');

  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite), plugins: [new CamelCasePlugin()] });
  const close = async () => {
    // Kysely's destroy() closes PGlite through the dialect, which also checkpoints the WAL.
    await db.destroy();
    releaseLock();
  };
  return { db, kind: 'pglite', location: inMemory ? 'in memory' : dataDir, close };
}

/** Removes the password from a connection URL so it can be logged. */
export function redactUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}
