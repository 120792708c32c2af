import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

import { buildApp } from './app.js';
import type { Config } from './config.js';
import { type DatabaseHandle, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';

export interface RunningServer {
  app: FastifyInstance;
  database: DatabaseHandle;
  address: string;
  close(): Promise<void>;
}

/**
 * Opens the database, applies pending migrations, builds the app and listens. On SIGTERM or
 * SIGINT it stops accepting, lets requests in flight finish (10 s at most) and closes the
 * database, which also releases the embedded database's lock.
 */
export async function startServer(config: Config, logger: Logger, options: { handleSignals?: boolean } = {}): Promise<RunningServer> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }, logger);
  logger.info({ database: database.kind, location: database.location }, 'database opened');

  let app: FastifyInstance;
  try {
    await migrateToLatest(database.db, logger);
    app = await buildApp({ config, db: database.db, logger });
  } catch (error) {
    await database.close();
    throw error;
  }

  const address = await app.listen({ port: config.port, host: config.host });
  logger.info({ address, publicUrl: config.publicUrl ?? null }, 'htek-dms listening');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await app.close();
      await database.close();
      logger.info('htek-dms stopped');
    })();
    return closing;
  };

  if (options.handleSignals !== false) {
    closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
      if (err) logger.error({ err }, 'stopping after an uncaught error');
      else logger.info({ signal }, 'stopping');
      await close();
    });
  }
  return { app, database, address, close };
}
