import { PGlite } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, type KyselyPlugin, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Logger } from 'pino';

import { lockDataDir } from './data-dir-lock.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { loadSecretBox } from '../secrets/secret-key-source.js';
import { createSecretColumnsPlugin } from '../secrets/secret-columns-plugin.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/** An open database and how to close it. */
export interface DatabaseHandle {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Where the data lives, with any password removed: safe to log. */
  location: string;
  close(): Promise<void>;
  /** Connections of the Postgres pool, for metrics; absent on PGlite. */
  poolStats?(): PoolStats;
}

export interface PoolStats {
  total: number;
  idle: number;
  /** Queries waiting for a free connection. */
  waiting: number;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  /** Folder of the embedded database; `memory://` keeps it in memory (tests). */
  dataDir: string;
  poolSize?: number;
  /** Time to wait for a Postgres connection; after it the query fails with a timeout. */
  connectTimeoutMs?: number;
  /** Postgres cancels a statement that runs longer, and the client gives up 1 s later. */
  statementTimeoutMs?: number;
  /** Key of the encrypted columns; without it the key settings are read (see src/secrets/). */
  secretBox?: SecretBox;
}

// Postgres returns int8 (bigint, count(*)) as text through pg but as a number through PGlite.
// Reading it as a number on both keeps the two backends alike; our counts stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

/** Opens Postgres when a URL is given, otherwise the embedded PGlite database in `dataDir`. */
export async function openDatabase(options: DatabaseOptions, logger: Logger): Promise<DatabaseHandle> {
  // SIP passwords and PINs are encrypted at rest by this plugin, so repositories see plaintext.
  const plugins = [new CamelCasePlugin(), createSecretColumnsPlugin(options.secretBox ?? loadSecretBox(options.dataDir, logger))];
  if (options.databaseUrl) return openPostgres(options, options.databaseUrl, logger, plugins);
  return openPglite(options.dataDir, logger, plugins);
}

function openPostgres(options: DatabaseOptions, databaseUrl: string, logger: Logger, plugins: KyselyPlugin[]): DatabaseHandle {
  const statementTimeoutMs = options.statementTimeoutMs ?? 15_000;
  // The time-outs keep a request from hanging when the server stops responding. A new
  // connection fails after connectTimeoutMs. A query fails after statement_timeout on the
  // server, or after query_timeout on the client when the server cannot cancel it.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + 1000,
    keepAlive: true,
  });
  pool.on('error', (error) => logger.error({ err: error }, 'idle Postgres connection failed'));
  // A connection that the server ends while it is checked out but between queries emits 'error'
  // on its client, and an 'error' event without a listener crashes the process. pg-pool drops
  // such a client when it is released; a query in progress fails on its own.
  pool.on('connect', (client) => {
    client.on('error', (error) => logger.warn({ err: error }, 'Postgres connection lost'));
  });

  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins });
  const poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
  return { db, kind: 'postgres', location: redactUrl(databaseUrl), close: () => db.destroy(), poolStats };
}

async function openPglite(dataDir: string, logger: Logger, plugins: KyselyPlugin[]): Promise<DatabaseHandle> {
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

  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite), plugins });
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
