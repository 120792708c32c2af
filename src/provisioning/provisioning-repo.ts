import { sql } from 'kysely';

import type { Db } from '../db/database.js';
import type { AccountRow, DeviceRow, ProfileRow } from '../db/schema.js';

/** A device with everything its file is rendered from. */
export interface DeviceConfigRecord {
  device: DeviceRow;
  deviceProfile: ProfileRow;
  lines: { line: number; account: AccountRow; profile: ProfileRow }[];
}

/**
 * Loads a device by canonical MAC with its profile, line accounts and their profiles. It goes
 * through Kysely's query builder so the plugins decrypt the stored passwords.
 * TODO: three round trips per phone fetch; one query would need the decryption done here.
 */
export async function loadDeviceConfig(db: Db, mac: string): Promise<DeviceConfigRecord | undefined> {
  const device = await db.selectFrom('devices').selectAll().where('mac', '=', mac).executeTakeFirst();
  if (!device) return undefined;

  const bindings = await db
    .selectFrom('deviceLines')
    .innerJoin('accounts', 'accounts.id', 'deviceLines.accountId')
    .selectAll('accounts')
    .select('deviceLines.line')
    .where('deviceLines.deviceId', '=', device.id)
    .orderBy('deviceLines.line')
    .execute();

  const profileIds = [...new Set([device.profileId, ...bindings.map((binding) => binding.profileId)])];
  const profiles = await db.selectFrom('profiles').selectAll().where('id', 'in', profileIds).execute();
  const profileById = new Map(profiles.map((profile) => [profile.id, profile]));

  const deviceProfile = profileById.get(device.profileId);
  if (!deviceProfile) return undefined;

  const lines = bindings.map(({ line, ...account }) => ({ line, account, profile: profileById.get(account.profileId) as ProfileRow }));
  return { device, deviceProfile, lines };
}

/** What one phone request reported, as stored. */
export interface FetchRecord {
  mac: string;
  /** When the request arrived; background writes may land out of order. */
  requestedAt: Date;
  fileName: string;
  statusCode: number;
  reason: string | undefined;
  address: string;
  userAgent: string | undefined;
  reportedModel: string | undefined;
  firmware: string | undefined;
}

/**
 * Stores a request of a known device: the device's last-seen fields (for answered requests) and
 * a history row, then drops history rows beyond the newest `historyLimit`. The trim is its own
 * statement so that it sees rows written by concurrent requests. Returns false when no device
 * has the MAC.
 */
export async function recordDeviceRequest(db: Db, fetch: FetchRecord, historyLimit: number): Promise<boolean> {
  const userAgent = fetch.userAgent?.slice(0, 255) ?? null;
  const seen = fetch.statusCode === 200 || fetch.statusCode === 304;

  const result = await sql<{ id: number }>`
    with target as (select id from devices where mac = ${fetch.mac}),
    seen as (
      update devices set last_seen_at = ${fetch.requestedAt}, last_address = ${fetch.address}, last_user_agent = ${userAgent},
        reported_model = ${fetch.reportedModel ?? null}, firmware = ${fetch.firmware ?? null}
      where id = (select id from target) and ${seen}
    ),
    added as (
      insert into device_requests (device_id, requested_at, file_name, status_code, reason, address, user_agent)
      select id, ${fetch.requestedAt}, ${fetch.fileName}, ${fetch.statusCode}, ${fetch.reason ?? null}, ${fetch.address}, ${userAgent} from target
    )
    select id from target`.execute(db);

  const deviceId = result.rows[0]?.id;
  if (deviceId === undefined) return false;

  // Rows are ordered by arrival time, then id, because background writes may land out of order.
  await sql`
    delete from device_requests where device_id = ${deviceId} and (requested_at, id) <= (
      select requested_at, id from device_requests where device_id = ${deviceId}
      order by requested_at desc, id desc offset ${historyLimit} limit 1)`.execute(db);
  return true;
}

/**
 * Records a request for the file of an unknown MAC. A new MAC beyond `limit` entries pushes out
 * the entries seen longest ago.
 */
export async function recordDiscoveredDevice(db: Db, fetch: FetchRecord, limit: number): Promise<void> {
  const result = await sql<{ inserted: boolean }>`
    insert into discovered_devices (mac, last_address, reported_model, firmware)
    values (${fetch.mac}, ${fetch.address}, ${fetch.reportedModel ?? null}, ${fetch.firmware ?? null})
    on conflict (mac) do update set last_seen_at = now(), last_address = excluded.last_address,
      reported_model = coalesce(excluded.reported_model, discovered_devices.reported_model),
      firmware = coalesce(excluded.firmware, discovered_devices.firmware),
      request_count = discovered_devices.request_count + 1
    returning (xmax = 0) as inserted`.execute(db);
  if (!result.rows[0]?.inserted) return;

  await sql`
    delete from discovered_devices where mac in (
      select mac from discovered_devices order by last_seen_at desc, mac offset ${limit})`.execute(db);
}
