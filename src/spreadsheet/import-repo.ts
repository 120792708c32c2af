import { sql, type Transaction } from 'kysely';

import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { updateAccountBatch, UPDATE_BATCH_SIZE } from './batch-update.js';
import { ACCOUNT_FIELD_NAMES, type AccountFields, type StoredAccount } from './import-rows.js';

/**
 * Rows per insert or lookup statement. Postgres allows 65,535 parameters in one statement, and
 * an account row has 17 fields.
 */
const BATCH_SIZE = 1000;

function chunks<T>(items: readonly T[], size = BATCH_SIZE): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    result.push(items.slice(start, start + size));
  }
  return result;
}

/**
 * Rows per INSERT. Smaller than BATCH_SIZE because the query nodes of a batch stay alive while
 * the statement runs. In bench/spreadsheets, 1000-row inserts raised the peak RSS of a
 * 100,000-row import by about 90 MB during the write.
 */
const INSERT_BATCH_SIZE = 250;

const storedColumns = ['id', 'version', ...ACCOUNT_FIELD_NAMES] as const;

/** Returns every profile by its name in lower case (profile names are unique in any case). */
export async function findProfileIdsByName(db: Db): Promise<Map<string, { id: number; name: string }>> {
  const rows = await db.selectFrom('profiles').select(['id', 'name']).execute();
  return new Map(rows.map((row) => [row.name.toLowerCase(), row]));
}

/** Accounts whose (profile, SIP user ID) pair is among `pairs`, keyed `${profileId}\n${sipUserId}`. */
export async function findAccountsBySipUser(db: Db, pairs: { profileId: number; sipUserId: string }[]): Promise<Map<string, StoredAccount>> {
  const found = new Map<string, StoredAccount>();
  const requested = new Set(pairs.map((pair) => sipUserKey(pair.profileId, pair.sipUserId)));

  for (const batch of chunks([...new Set(pairs.map((pair) => pair.sipUserId))])) {
    const rows = await db.selectFrom('accounts').select(storedColumns).where('sipUserId', 'in', batch).execute();
    for (const row of rows) {
      const key = sipUserKey(row.profileId, row.sipUserId);
      if (requested.has(key)) found.set(key, row);
    }
  }
  return found;
}

export function sipUserKey(profileId: number, sipUserId: string): string {
  return `${profileId}\n${sipUserId}`;
}

/** Accounts whose name in lower case is among `lowerNames`, keyed by that lower-case name. */
export async function findAccountsByName(db: Db, lowerNames: string[]): Promise<Map<string, { id: number; name: string; profileId: number; sipUserId: string }>> {
  const found = new Map<string, { id: number; name: string; profileId: number; sipUserId: string }>();

  for (const batch of chunks([...new Set(lowerNames)])) {
    const rows = await db
      .selectFrom('accounts')
      .select(['id', 'name', 'profileId', 'sipUserId'])
      .where(sql<string>`lower(name)`, 'in', batch)
      .execute();
    for (const row of rows) found.set(row.name.toLowerCase(), row);
  }
  return found;
}

export type Trx = Transaction<Database>;

/** Inserts new accounts in batches; `onBatch` gets the number of rows written so far. */
export async function insertAccounts(trx: Trx, rows: AccountFields[], onBatch: (written: number) => void): Promise<void> {
  let written = 0;
  for (const batch of chunks(rows, INSERT_BATCH_SIZE)) {
    await trx.insertInto('accounts').values(batch).execute();
    written += batch.length;
    onBatch(written);
  }
}

/** An update of a stored account; `version` is the one read before validation. */
export interface AccountChange {
  id: number;
  version: number;
  fields: AccountFields;
}

/**
 * Updates accounts in batches of one statement each. The secrets are encrypted with the
 * database's key before they go into the statement (see batch-update.ts). Returns the ids whose
 * version no longer matched, that is, rows someone else changed after the import read them.
 */
export async function updateAccounts(trx: Trx, changes: AccountChange[], onBatch: (written: number) => void): Promise<number[]> {
  const stale: number[] = [];
  let written = 0;

  for (const batch of chunks(changes, UPDATE_BATCH_SIZE)) {
    const updated = await updateAccountBatch(trx, batch);
    for (const change of batch) {
      if (!updated.has(change.id)) stale.push(change.id);
    }
    written += batch.length;
    onBatch(written);
  }
  return stale;
}
