import { type Kysely, sql } from 'kysely';

import { activeSecretBox } from '../src/secrets/secret-columns-plugin.js';
import { reencryptSecrets } from '../src/secrets/reencrypt.js';

// Encrypts the SIP passwords and PINs stored in plaintext before encryption at rest existed,
// with the key of the database being migrated.

export async function up(db: Kysely<unknown>): Promise<void> {
  const plaintext = await sql<{ count: number }>`select count(*)::int as count from accounts where auth_password not like 'enc:v1:%' or pin not like 'enc:v1:%'`.execute(db);
  if ((plaintext.rows[0]?.count ?? 0) === 0) return;

  const box = activeSecretBox();
  if (!box) throw new Error('No secret key is loaded, so the stored SIP passwords cannot be encrypted; open the database through openDatabase.');
  await reencryptSecrets(db, box, box);
}

export async function down(): Promise<void> {
  // Decrypting back to plaintext is left to an explicit export; nothing to undo in the schema.
}
