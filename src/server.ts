import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

import { buildApp } from './app.js';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { openConfiguredDatabase } from './db/open-configured.js';
import { ensureFirstAdmin } from './users/first-admin.js';
import { setPoolStatsSource } from './ops/metrics.js';
import { type PushRuntime, startPushRuntime } from './push/push-runtime.js';

export interface RunningServer {
  app: FastifyInstance;
  database: DatabaseHandle;
  address: string;
  close(): Promise<void>;
}

/** The listen port is taken by another program; the CLI prints the message as one line. */
export class PortInUseError extends Error {
  constructor(port: number, host: string) {
    super(`port ${port} on ${host} is already in use; stop the other program or set PORT/--port`);
    this.name = 'PortInUseError';
  }
}

/**
 * Opens the database, applies pending migrations, builds the app and listens. On SIGTERM or
 * SIGINT it stops accepting connections, lets requests in flight finish within
 * `config.shutdownTimeoutMs`, then closes the database, which also checkpoints PGlite and
 * releases the embedded database's lock.
 */
export async function startServer(config: Config, logger: Logger, options: { handleSignals?: boolean } = {}): Promise<RunningServer> {
  const database = await openConfiguredDatabase(config, logger);
  logger.info({ database: database.kind, location: database.location }, 'database opened');

  let app: FastifyInstance;
  let pushRuntime: PushRuntime | undefined;
  try {
    await migrateToLatest(database.db, logger);
    await ensureFirstAdmin(database.db, logger, { HTEK_DMS_ADMIN_USER: config.firstAdmin.username, HTEK_DMS_ADMIN_PASSWORD: config.firstAdmin.password });
    const pushUnavailableReason = () => (pushRuntime === undefined ? 'the push worker has not started yet' : pushRuntime.unavailableReason());
    app = await buildApp({ config, db: database.db, logger, push: { config: config.push, onJobCreated: () => pushRuntime?.wake(), pushUnavailableReason } });
    pushRuntime = await startPushRuntime(config.push, database.db, logger);
  } catch (error) {
    await database.close();
    throw error;
  }
  setPoolStatsSource(database.poolStats);

  let address: string;
  try {
    address = await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await pushRuntime?.stop(Math.min(config.shutdownTimeoutMs, 5000));
    await app.close();
    setPoolStatsSource(undefined);
    await database.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(config.port, config.host);
    throw error;
  }
  logger.info({ address, publicUrl: config.publicUrl ?? null }, 'htek-dms listening');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= stopServer(app, database, config.shutdownTimeoutMs, logger, pushRuntime);
    return closing;
  };

  if (options.handleSignals !== false) {
    // close-with-grace exits with code 1 if closing itself hangs; stopServer normally ends
    // well before that because it cuts the remaining connections at shutdownTimeoutMs.
    closeWithGrace({ delay: config.shutdownTimeoutMs + 10_000, logger: false }, async ({ signal, err }) => {
      if (err) logger.error({ err }, 'stopping after an uncaught error');
      else logger.info({ signal }, 'stopping: no new connections, finishing requests in flight');
      await close();
    });
  }
  return { app, database, address, close };
}

/**
 * Closes the listener and waits for requests in flight, at most `timeoutMs`; then closes the
 * remaining connections and the database.
 */
async function stopServer(app: FastifyInstance, database: DatabaseHandle, timeoutMs: number, logger: Logger, pushRuntime?: PushRuntime): Promise<void> {
  const appClosed = app.close();

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), timeoutMs);
  });
  const outcome = await Promise.race([appClosed.then(() => 'closed' as const), timedOut]);
  clearTimeout(timer);

  if (outcome === 'timed out') {
    logger.warn({ timeoutMs }, 'requests still running after the shutdown timeout; closing their connections');
    app.server.closeAllConnections();
    await appClosed;
  }

  await pushRuntime?.stop(Math.min(timeoutMs, 5000));
  setPoolStatsSource(undefined);
  await database.close();
  logger.info({ database: database.kind }, 'htek-dms stopped');
}
