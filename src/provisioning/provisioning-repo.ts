import { CompiledQuery, sql } from 'kysely';

import type { Db } from '../db/database.js';
import type { ConfigAccount, ConfigDevice, ConfigProfile } from './config-values.js';

/** A device with everything its file is rendered from. */
export interface DeviceConfigRecord {
  device: ConfigDevice;
  deviceProfile: ConfigProfile;
  lines: { line: number; account: ConfigAccount; profile: ConfigProfile }[];
}

// Columns read for rendering, by their camelCase name; the SQL name is the snake_case form.
const deviceColumns = ['id', 'mac', 'model', 'dialect', 'statusToken', 'version'] as const;
const profileColumns = ['id', 'sipServer', 'sipPort', 'transport', 'outboundProxy', 'failoverServer', 'registrationExpiry', 'dtmfMode', 'natTraversal', 'rport', 'mwiSubscribe', 'version'] as const;
const accountColumns = [
  'id', 'profileId', 'active', 'label', 'sipUserId', 'authId', 'authPassword', 'directPickupCode', 'groupPickupCode', 'featureKeySync',
  'voicemailUserId', 'dialPlan', 'eventListBlfUrl', 'displayName', 'localSipPort', 'useRandomPort', 'version',
] as const;

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

// Aliases such as "lp.sipServer" contain no underscore, so the CamelCasePlugin leaves them as
// they are. extra_parameters is read as text because the plugin would rename the keys of a
// jsonb object (LogUser_Admin would become LogUserAdmin).
function selectList(table: string, columns: readonly string[]): string {
  return columns.map((column) => `${table}.${snakeCase(column)} as "${table}.${column}"`).join(', ');
}

const loadDeviceSql = `
  select ${selectList('d', deviceColumns)},
    ${selectList('dp', profileColumns)}, dp.extra_parameters::text as "dp.extraParameters",
    dl.line as "dl.line",
    ${selectList('a', accountColumns)},
    ${selectList('lp', profileColumns)}, lp.extra_parameters::text as "lp.extraParameters"
  from devices d
  join profiles dp on dp.id = d.profile_id
  left join device_lines dl on dl.device_id = d.id
  left join accounts a on a.id = dl.account_id
  left join profiles lp on lp.id = a.profile_id
  where d.mac = $1
  order by dl.line`;

type Row = Record<string, unknown>;

function pick<T>(row: Row, table: string, columns: readonly string[]): T {
  const picked: Row = {};
  for (const column of columns) picked[column] = row[`${table}.${column}`];
  return picked as T;
}

function profileOf(row: Row, table: 'dp' | 'lp'): ConfigProfile {
  const profile = pick<Omit<ConfigProfile, 'extraParameters'>>(row, table, profileColumns);
  return { ...profile, extraParameters: JSON.parse(row[`${table}.extraParameters`] as string) as Record<string, string> };
}

/**
 * Loads a device by canonical MAC with its profile, line accounts and their profiles in one
 * query: one row per bound line, or one row with empty line columns for a device without lines.
 * The query text is compiled once and sent with the MAC as its only parameter. Kysely 0.28 runs
 * the plugins' `transformResult` on raw queries too, so the secret-columns plugin decrypts
 * `authPassword` here. The golden tests fail if it stops doing so.
 */
export async function loadDeviceConfig(db: Db, mac: string): Promise<DeviceConfigRecord | undefined> {
  const { rows } = await db.executeQuery<Row>(CompiledQuery.raw(loadDeviceSql, [mac]));
  const first = rows[0];
  if (!first) return undefined;

  const profiles = new Map<number, ConfigProfile>();
  const sharedProfile = (row: Row, table: 'dp' | 'lp') => {
    const id = row[`${table}.id`] as number;
    let profile = profiles.get(id);
    if (!profile) {
      profile = profileOf(row, table);
      profiles.set(id, profile);
    }
    return profile;
  };

  const device = pick<ConfigDevice>(first, 'd', deviceColumns);
  const deviceProfile = sharedProfile(first, 'dp');
  const lines = rows
    .filter((row) => row['dl.line'] !== null)
    .map((row) => ({ line: row['dl.line'] as number, account: pick<ConfigAccount>(row, 'a', accountColumns), profile: sharedProfile(row, 'lp') }));
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
 * Stores a batch of requests of known devices in one statement: a history row per request, the
 * last-seen fields of each device from its newest 200 or 304 request, and the trim of
 * each device's history to the newest `historyLimit` rows. Requests for MACs without a device
 * are dropped. The trim sees the rows stored before this statement, so it keeps `historyLimit`
 * minus the rows being added; a concurrent writer (a second server instance) can leave a few
 * extra rows until the next batch of that device.
 */
export async function recordDeviceRequests(db: Db, fetches: readonly FetchRecord[], historyLimit: number): Promise<void> {
  const batch = fetches.map((fetch, position) => ({
    position,
    mac: fetch.mac,
    requested_at: fetch.requestedAt.toISOString(),
    file_name: fetch.fileName,
    status_code: fetch.statusCode,
    reason: fetch.reason ?? null,
    address: fetch.address,
    user_agent: fetch.userAgent?.slice(0, 255) ?? null,
    reported_model: fetch.reportedModel ?? null,
    firmware: fetch.firmware ?? null,
  }));

  // Rows are ordered by arrival time, then by position in the batch (for the history: then id),
  // because requests within one millisecond share a time.
  await sql`
    with batch as (
      select * from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as b(position int, mac text, requested_at timestamptz,
        file_name text, status_code int, reason text, address text, user_agent text, reported_model text, firmware text)
    ),
    target as (
      select d.id as device_id, b.*, row_number() over (partition by d.id order by b.requested_at desc, b.position desc) as newest
      from batch b join devices d on d.mac = b.mac
    ),
    latest_seen as (
      select distinct on (device_id) * from target where status_code in (200, 304) order by device_id, requested_at desc, position desc
    ),
    seen as (
      update devices set last_seen_at = s.requested_at, last_address = s.address, last_user_agent = s.user_agent,
        reported_model = s.reported_model, firmware = s.firmware
      from latest_seen s where devices.id = s.device_id
    ),
    added as (
      insert into device_requests (device_id, requested_at, file_name, status_code, reason, address, user_agent)
      select device_id, requested_at, file_name, status_code, reason, address, user_agent from target
      where newest <= ${historyLimit} order by requested_at, position
    ),
    added_counts as (
      select device_id, least(count(*), ${historyLimit}) as added from target group by device_id
    ),
    ranked as (
      select r.id, row_number() over (partition by r.device_id order by r.requested_at desc, r.id desc) as newest, c.added
      from device_requests r join added_counts c on c.device_id = r.device_id
    )
    delete from device_requests where id in (select id from ranked where newest > ${historyLimit} - added)`.execute(db);
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
