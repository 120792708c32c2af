import type { Logger } from 'pino';

import { type Config, secretKeyEnv } from '../config.js';
import { loadSecretBox } from '../secrets/secret-key-source.js';
import { type DatabaseHandle, openDatabase } from './database.js';

/** Opens the database as configured, with the pool size and time-outs of the settings. */
export function openConfiguredDatabase(config: Config, logger: Logger): Promise<DatabaseHandle> {
  return openDatabase(
    {
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.dbPoolSize,
      connectTimeoutMs: config.dbConnectTimeoutMs,
      statementTimeoutMs: config.dbStatementTimeoutMs,
      secretBox: loadSecretBox(config.dataDir, logger, secretKeyEnv(config)),
    },
    logger,
  );
}
