import { type Kysely, sql } from 'kysely';

import type { SecretBox } from './secret-box.js';

/** Every encrypted column, by table and primary key. */
export const encryptedColumns: { table: string; key: string; columns: string[] }[] = [
  { table: 'accounts', key: 'id', columns: ['auth_password', 'pin'] },
  { table: 'provisioning_access', key: 'id', columns: ['fleet_password', 'previous_fleet_password'] },
  { table: 'device_provisioning_access', key: 'device_id', columns: ['device_password'] },
];

/**
 * Rewrites every encrypted column: each value is decrypted with `from` (plaintext passes
 * through) and encrypted with `to`. Runs on a Kysely instance without the secret-columns
 * plugin, so values are read and written as stored. Returns the number of rows rewritten.
 */
export async function reencryptSecrets(db: Kysely<any>, from: SecretBox, to: SecretBox): Promise<number> {
  let rewritten = 0;

  for (const { table, key, columns } of encryptedColumns) {
    const rows = await sql<Record<string, unknown>>`select ${sql.ref(key)} as key, ${sql.join(columns.map((column) => sql.ref(column)))} from ${sql.table(table)}`.execute(db);

    for (const row of rows.rows) {
      const updates = columns
        .filter((column) => typeof row[column] === 'string')
        .map((column) => sql`${sql.ref(column)} = ${to.encrypt(from.decrypt(row[column] as string))}`);
      if (updates.length === 0) continue;

      await sql`update ${sql.table(table)} set ${sql.join(updates)} where ${sql.ref(key)} = ${row.key}`.execute(db);
      rewritten += 1;
    }
  }
  return rewritten;
}
