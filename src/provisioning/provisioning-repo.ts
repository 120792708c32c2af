import { sql } from 'kysely';

import type { Db } from '../db/database.js';
import type { AccountRow, DeviceRow, ProfileRow } from '../db/schema.js';

/** A device with everything its file is rendered from. */
export interface DeviceConfigRecord {
  device: DeviceRow;
  deviceProfile: ProfileRow;
  lines: { line: number; account: AccountRow; profile: ProfileRow }[];
}

interface DeviceConfigJson {
  device: Record<string, unknown>;
  lines: { line: number; account: Record<string, unknown> }[];
  profiles: Record<string, unknown>[];
}

/**
 * Loads a device by canonical MAC with its profile, line accounts and their profiles in one
 * round trip, because this runs for every phone fetch. Rows come back as JSON; CamelCasePlugin
 * renames the nested keys, so a profile's extra parameters travel as text to keep their keys as
 * they are, and the timestamps are turned back into dates here.
 */
export async function loadDeviceConfig(db: Db, mac: string): Promise<DeviceConfigRecord | undefined> {
  const result = await sql<DeviceConfigJson>`
    select to_jsonb(d) as device,
      coalesce((select jsonb_agg(jsonb_build_object('line', dl.line, 'account', to_jsonb(a)) order by dl.line)
        from device_lines dl join accounts a on a.id = dl.account_id where dl.device_id = d.id), '[]'::jsonb) as lines,
      (select jsonb_agg(to_jsonb(p) - 'extra_parameters' || jsonb_build_object('extra_parameters', p.extra_parameters::text) order by p.id) from profiles p
        where p.id = d.profile_id
          or p.id in (select a.profile_id from device_lines dl join accounts a on a.id = dl.account_id where dl.device_id = d.id)) as profiles
    from devices d where d.mac = ${mac}`.execute(db);

  const row = result.rows[0];
  if (!row) return undefined;

  const device = withDates(row.device, ['lastSeenAt', 'createdAt', 'updatedAt']) as unknown as DeviceRow;
  const profileById = new Map(
    (row.profiles ?? []).map((profile) => [profile.id as number, toProfileRow(profile)]),
  );
  const deviceProfile = profileById.get(device.profileId);
  if (!deviceProfile) return undefined;

  const lines = row.lines.map(({ line, account }) => {
    const accountRow = withDates(account, ['statusChangedAt', 'createdAt', 'updatedAt']) as unknown as AccountRow;
    return { line, account: accountRow, profile: profileById.get(accountRow.profileId) as ProfileRow };
  });
  return { device, deviceProfile, lines };
}

function toProfileRow(json: Record<string, unknown>): ProfileRow {
  const row = withDates(json, ['createdAt', 'updatedAt']);
  row.extraParameters = JSON.parse(String(row.extraParameters ?? '{}'));
  return row as unknown as ProfileRow;
}

function withDates(row: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const copy = { ...row };
  for (const field of fields) {
    const value = copy[field];
    if (typeof value === 'string') copy[field] = new Date(value);
  }
  return copy;
}

/** What one phone request told us, as stored. */
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
