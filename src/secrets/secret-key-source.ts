import fs from 'node:fs';
import path from 'node:path';

import type { Logger } from 'pino';

import { createSecretBox, generateSecretKey, parseSecretKey, type SecretBox, SecretKeyError } from './secret-box.js';

type Env = Record<string, string | undefined>;

/** Where the secret key comes from: the variable, a key file, or none for an in-memory database. */
export type SecretKeySource = { kind: 'env' } | { kind: 'file'; file: string } | { kind: 'ephemeral' };

/**
 * Picks the key source: HTEK_DMS_SECRET_KEY, else HTEK_DMS_SECRET_KEY_FILE, else
 * `<data dir>/secret.key`. The default key file is kept beside the data, not in the database,
 * so a database dump alone does not reveal SIP passwords.
 */
export function secretKeySource(dataDir: string, env: Env = process.env): SecretKeySource {
  if (env.HTEK_DMS_SECRET_KEY?.trim()) return { kind: 'env' };
  if (env.HTEK_DMS_SECRET_KEY_FILE?.trim()) return { kind: 'file', file: path.resolve(env.HTEK_DMS_SECRET_KEY_FILE.trim()) };
  if (dataDir === '' || dataDir.startsWith('memory://')) return { kind: 'ephemeral' };
  return { kind: 'file', file: path.join(dataDir, 'secret.key') };
}

/**
 * Loads the secret key, creating the key file with mode 0600 when it does not exist yet. An
 * in-memory database without a configured key gets a random key that lives as long as it.
 */
export function loadSecretBox(dataDir: string, logger: Logger, env: Env = process.env): SecretBox {
  const source = secretKeySource(dataDir, env);
  const previous = env.HTEK_DMS_SECRET_KEY_PREVIOUS?.trim() ? [parseSecretKey(env.HTEK_DMS_SECRET_KEY_PREVIOUS, 'HTEK_DMS_SECRET_KEY_PREVIOUS')] : [];

  if (source.kind === 'env') return createSecretBox(parseSecretKey(env.HTEK_DMS_SECRET_KEY ?? '', 'HTEK_DMS_SECRET_KEY'), previous);
  if (source.kind === 'ephemeral') return createSecretBox(generateSecretKey(), previous);

  if (!fs.existsSync(source.file)) {
    writeKeyFile(source.file, generateSecretKey());
    logger.warn({ keyFile: source.file }, 'created a new secret key file; back it up, because the stored SIP passwords cannot be read without it');
  }
  return createSecretBox(readKeyFile(source.file), previous);
}

export function readKeyFile(file: string): Buffer {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new SecretKeyError(`Cannot read the secret key file ${file}: ${(error as Error).message}`);
  }
  return parseSecretKey(text, `The secret key file ${file}`);
}

/** Writes a key file readable by its owner only; an existing file is replaced atomically. */
export function writeKeyFile(file: string, key: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${key.toString('base64')}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
}
