import type { Db } from '../db/database.js';
import type { AccountRow, DeviceRow, ProfileRow } from '../db/schema.js';

/** A device with everything its file is rendered from. */
export interface DeviceConfigRecord {
  device: DeviceRow;
  deviceProfile: ProfileRow;
  lines: { line: number; account: AccountRow; profile: ProfileRow }[];
}

/** Loads a device by canonical MAC with its profile, line accounts and their profiles. */
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

export interface FetchRecord {
  address: string;
  userAgent: string | undefined;
  reportedModel: string | undefined;
  firmware: string | undefined;
}

/** Stores on the device what the phone told us with its last fetch. */
export async function recordFetch(db: Db, deviceId: number, fetch: FetchRecord): Promise<void> {
  await db
    .updateTable('devices')
    .set({
      lastSeenAt: new Date(),
      lastAddress: fetch.address,
      lastUserAgent: fetch.userAgent?.slice(0, 255) ?? null,
      reportedModel: fetch.reportedModel ?? null,
      firmware: fetch.firmware ?? null,
    })
    .where('id', '=', deviceId)
    .execute();
}
