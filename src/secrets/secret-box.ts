import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Prefix of every encrypted column value: `enc:v1:<key id>:<base64 of IV, tag and ciphertext>`. */
export const encryptedPrefix = 'enc:v1:';

const ivLength = 12;
const tagLength = 16;

/** An AES-256-GCM key that encrypts and decrypts column values. */
export interface SecretBox {
  /** First 8 hex digits of the key's SHA-256, written into each value so a wrong key is named. */
  keyId: string;
  encrypt(plaintext: string): string;
  /** Decrypts a value made by `encrypt`; plaintext (rows written before encryption) passes through. */
  decrypt(value: string): string;
}

export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

export function isEncrypted(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(encryptedPrefix);
}

/** Builds a box from a 32-byte key; `previousKeys` only decrypt (values left by an interrupted rotation). */
export function createSecretBox(key: Buffer, previousKeys: Buffer[] = []): SecretBox {
  checkKeyLength(key);
  const keyId = keyIdOf(key);
  const decryptKeys = new Map([[keyId, key], ...previousKeys.map((old) => [keyIdOf(old), old] as const)]);

  return {
    keyId,
    encrypt: (plaintext) => encryptValue(key, keyId, plaintext),
    decrypt: (value) => {
      if (!isEncrypted(value)) return value;

      const [id = '', payload = ''] = value.slice(encryptedPrefix.length).split(':');
      const matchingKey = decryptKeys.get(id);
      if (!matchingKey) {
        throw new SecretKeyError(`A stored secret was encrypted with key ${id}, but the configured key is ${keyId}; set HTEK_DMS_SECRET_KEY or HTEK_DMS_SECRET_KEY_FILE to the key in use.`);
      }
      return decryptPayload(matchingKey, payload);
    },
  };
}

export function generateSecretKey(): Buffer {
  return randomBytes(32);
}

/** Parses a base64 key as written in HTEK_DMS_SECRET_KEY or a key file. */
export function parseSecretKey(text: string, source: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) {
    throw new SecretKeyError(`${source} must hold 32 bytes in base64 (44 characters, e.g. from "openssl rand -base64 32"); it decodes to ${key.length} bytes.`);
  }
  return key;
}

function checkKeyLength(key: Buffer): void {
  if (key.length !== 32) throw new SecretKeyError(`An AES-256 key has 32 bytes, not ${key.length}.`);
}

function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function encryptValue(key: Buffer, keyId: string, plaintext: string): string {
  const iv = randomBytes(ivLength);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const payload = Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
  return `${encryptedPrefix}${keyId}:${payload}`;
}

function decryptPayload(key: Buffer, payload: string): string {
  const bytes = Buffer.from(payload, 'base64');
  const iv = bytes.subarray(0, ivLength);
  const tag = bytes.subarray(ivLength, ivLength + tagLength);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(bytes.subarray(ivLength + tagLength)), decipher.final()]).toString('utf8');
}
