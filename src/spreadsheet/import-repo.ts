import { sql, type Transaction } from 'kysely';

import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { ACCOUNT_FIELD_NAMES, type AccountFields, type StoredAccount } from './import-rows.js';

/**
 * Rows per statement. Postgres allows 65,535 parameters in one statement, and an account
 * row has 17 fields (19 with id and version in an update).
 */
const BATCH_SIZE = 1000;

function chunks<T>(items: readonly T[], size = BATCH_SIZE): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    result.push(items.slice(start, start + size));
  }
  return result;
}

const storedColumns = ['id', 'version', ...ACCOUNT_FIELD_NAMES] as const;

/** Every profile's id by its name in lower case (profile names are unique in any case). */
export async function findProfileIdsByName(db: Db): Promise<Map<string, { id: number; name: string }>> {
  const rows = await db.selectFrom('profiles').select(['id', 'name']).execute();
  return new Map(rows.map((row) => [row.name.toLowerCase(), row]));
}

/** Accounts whose (profile, SIP user ID) pair is among `pairs`, keyed `${profileId}\n${sipUserId}`. */
export async function findAccountsBySipUser(db: Db, pairs: { profileId: number; sipUserId: string }[]): Promise<Map<string, StoredAccount>> {
  const found = new Map<string, StoredAccount>();
  const wanted = new Set(pairs.map((pair) => sipUserKey(pair.profileId, pair.sipUserId)));

  for (const batch of chunks([...new Set(pairs.map((pair) => pair.sipUserId))])) {
    const rows = await db.selectFrom('accounts').select(storedColumns).where('sipUserId', 'in', batch).execute();
    for (const row of rows) {
      const key = sipUserKey(row.profileId, row.sipUserId);
      if (wanted.has(key)) found.set(key, row);
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
  for (const batch of chunks(rows)) {
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
 * Updates accounts in batches with one `UPDATE … FROM (VALUES …)` each. Returns the ids whose
 * version no longer matched, that is, rows someone else changed after the import read them.
 */
export async function updateAccounts(trx: Trx, changes: AccountChange[], onBatch: (written: number) => void): Promise<number[]> {
  const stale: number[] = [];
  let written = 0;

  for (const batch of chunks(changes)) {
    const values = sql.join(batch.map(changeValues));
    const result = await sql<{ id: number }>`
      update accounts as a set
        name = v.name, profile_id = v.profile_id, active = v.active, label = v.label,
        sip_user_id = v.sip_user_id, auth_id = v.auth_id, auth_password = v.auth_password,
        direct_pickup_code = v.direct_pickup_code, group_pickup_code = v.group_pickup_code,
        feature_key_sync = v.feature_key_sync, voicemail_user_id = v.voicemail_user_id,
        dial_plan = v.dial_plan, event_list_blf_url = v.event_list_blf_url, pin = v.pin,
        display_name = v.display_name, local_sip_port = v.local_sip_port,
        use_random_port = v.use_random_port, version = a.version + 1, updated_at = now()
      from (values ${values}) as v(id, version, name, profile_id, active, label, sip_user_id, auth_id,
        auth_password, direct_pickup_code, group_pickup_code, feature_key_sync, voicemail_user_id,
        dial_plan, event_list_blf_url, pin, display_name, local_sip_port, use_random_port)
      where a.id = v.id and a.version = v.version
      returning a.id`.execute(trx);

    const updated = new Set(result.rows.map((row) => row.id));
    stale.push(...batch.filter((change) => !updated.has(change.id)).map((change) => change.id));
    written += batch.length;
    onBatch(written);
  }
  return stale;
}

function changeValues({ id, version, fields: f }: AccountChange) {
  return sql`(${id}::int, ${version}::int, ${f.name}::text, ${f.profileId}::int, ${f.active}::boolean, ${f.label}::text,
    ${f.sipUserId}::text, ${f.authId}::text, ${f.authPassword}::text, ${f.directPickupCode}::text,
    ${f.groupPickupCode}::text, ${f.featureKeySync}::boolean, ${f.voicemailUserId}::text, ${f.dialPlan}::text,
    ${f.eventListBlfUrl}::text, ${f.pin}::text, ${f.displayName}::text, ${f.localSipPort}::int, ${f.useRandomPort}::boolean)`;
}
