import fs from 'node:fs';

import type { Logger } from 'pino';

import { type Config, secretKeyEnv } from '../config.js';
import type { DatabaseHandle } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { openConfiguredDatabase } from '../db/open-configured.js';
import { AppError } from '../errors.js';
import { createCommandLogger } from '../logger.js';
import { reencryptSecrets } from '../secrets/reencrypt.js';
import { createSecretBox, generateSecretKey } from '../secrets/secret-box.js';
import { loadSecretBox, secretKeySource, writeKeyFile } from '../secrets/secret-key-source.js';
import { randomToken } from '../auth/passwords.js';
import { createUsersService } from './users-service.js';

export const securityUsage = `  user add <name> [--role <role>]
                  Create an admin user (role Administrator unless given); the password comes
                  from HTEK_DMS_ADMIN_PASSWORD, else a random one is printed once
  rotate-key      Re-encrypt stored SIP passwords and PINs with a new secret key
`;

/** Options of the security commands, for parseArgs. */
export const securityCliOptions = { role: { type: 'string' } } as const;

type Values = Record<string, string | boolean | undefined>;

async function withDatabase<T>(config: Config, logger: Logger, use: (database: DatabaseHandle) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase(config, logger);
  try {
    await migrateToLatest(database.db, logger);
    return await use(database);
  } finally {
    await database.close();
  }
}

/** `htek-dms user add <name> [--role <role>]`. */
export async function userCommand(config: Config, args: string[], values: Values): Promise<number> {
  const [action, username] = args;
  if (action !== 'add' || !username) {
    process.stderr.write('Usage: htek-dms user add <name> [--role <role>]\n');
    return 2;
  }

  const logger = createCommandLogger(config);
  const passwordFromEnv = config.firstAdmin.password;
  const password = passwordFromEnv ?? randomToken(15);
  const role = typeof values.role === 'string' ? values.role : 'Administrator';

  try {
    await withDatabase(config, logger, async (database) => {
      await createUsersService({ db: database.db, logger }).create({ username, password, role });
    });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    process.stderr.write(`htek-dms: ${error.message}\n`);
    return 1;
  }
  process.stdout.write(passwordFromEnv ? `Created the user ${username} (${role}).\n` : `Created the user ${username} (${role}) with the password\n\n    ${password}\n\nIt is not shown again.\n`);
  return 0;
}

/**
 * `htek-dms rotate-key`: encrypts every stored secret with a new key in one transaction. With a
 * key file the new key replaces it after the commit; with HTEK_DMS_SECRET_KEY the new key is
 * printed and must replace the variable before the next start.
 */
export async function rotateKeyCommand(config: Config): Promise<number> {
  const logger = createCommandLogger(config);
  const source = secretKeySource(config.dataDir, secretKeyEnv(config));
  const oldBox = loadSecretBox(config.dataDir, logger, secretKeyEnv(config));
  const newKey = generateSecretKey();
  const newBox = createSecretBox(newKey);

  // The new key is saved beside the old one before the commit, so a crash after the commit
  // leaves it in <key file>.new instead of losing it.
  const pendingFile = source.kind === 'file' ? `${source.file}.new` : undefined;
  if (pendingFile) writeKeyFile(pendingFile, newKey);

  const rows = await withDatabase(config, logger, (database) => database.db.transaction().execute((trx) => reencryptSecrets(trx.withoutPlugins(), oldBox, newBox)));

  if (source.kind === 'file' && pendingFile) {
    fs.renameSync(pendingFile, source.file);
    process.stdout.write(`Re-encrypted ${rows} row(s); the new key is in ${source.file} (key id ${newBox.keyId}).\n`);
  } else {
    process.stdout.write(`Re-encrypted ${rows} row(s). Set HTEK_DMS_SECRET_KEY to this new key before the next start:\n\n    ${newKey.toString('base64')}\n\n`);
  }
  return 0;
}
