import type { Db } from '../db/database.js';
import type { ProvisioningAccessMode } from '../db/schema.js';

/** Installation-wide phone access settings merged with a device's own override. */
export interface EffectiveAccess {
  mode: ProvisioningAccessMode;
  allowedNetworks: string[];
  allowBasicOverHttp: boolean;
  /** Credentials accepted now, newest first; the previous fleet pair only within its grace period. */
  accepted: { username: string; password: string }[];
  /** A fleet pair past its grace period: still recognised, so the refusal can say "expired". */
  expired: { username: string; password: string }[];
  /** Credentials the rendered file writes into P1360/P1361 for the phone to send back. */
  phoneCredentials: { username: string; password: string } | undefined;
  blockThreshold: number;
  blockMinutes: number;
}

export async function loadAccessSettings(db: Db) {
  return db.selectFrom('provisioningAccess').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
}

type AccessSettingsRow = Awaited<ReturnType<typeof loadAccessSettings>>;

// Every phone request reads the one-row settings table, so it is kept in memory for a short
// time. NOTE: another server instance on the same database applies a change up to this long late.
const settingsCacheMs = 2000;
const cachedSettings = new WeakMap<Db, { row: AccessSettingsRow; expiresAt: number }>();

async function cachedAccessSettings(db: Db): Promise<AccessSettingsRow> {
  const cached = cachedSettings.get(db);
  if (cached && cached.expiresAt > Date.now()) return cached.row;

  const row = await loadAccessSettings(db);
  cachedSettings.set(db, { row, expiresAt: Date.now() + settingsCacheMs });
  return row;
}

/** Drops the cached settings so this instance applies a change at once. */
export function forgetCachedAccessSettings(db: Db): void {
  cachedSettings.delete(db);
}

/** Reads the settings that apply to the device with this MAC (or to an unknown MAC). */
export async function loadEffectiveAccess(db: Db, mac: string | undefined, now = new Date()): Promise<EffectiveAccess> {
  const settings = await cachedAccessSettings(db);
  const device = mac === undefined ? undefined : await db
    .selectFrom('devices')
    .innerJoin('deviceProvisioningAccess', 'deviceProvisioningAccess.deviceId', 'devices.id')
    .select(['deviceProvisioningAccess.mode', 'deviceProvisioningAccess.username', 'deviceProvisioningAccess.devicePassword'])
    .where('devices.mac', '=', mac)
    .executeTakeFirst();

  const fleet = settings.fleetUsername && settings.fleetPassword ? { username: settings.fleetUsername, password: settings.fleetPassword } : undefined;
  const previous = settings.previousFleetUsername && settings.previousFleetPassword ? { username: settings.previousFleetUsername, password: settings.previousFleetPassword } : undefined;
  const graceEnds = (settings.fleetChangedAt?.getTime() ?? 0) + settings.graceMinutes * 60_000;
  const previousValid = previous !== undefined && now.getTime() < graceEnds;
  const own = device?.username && device.devicePassword ? { username: device.username, password: device.devicePassword } : undefined;

  const accepted = own ? [own] : [fleet, previousValid ? previous : undefined].filter((pair) => pair !== undefined);
  return {
    mode: device?.mode ?? settings.mode,
    allowedNetworks: settings.allowedNetworks,
    allowBasicOverHttp: settings.allowBasicOverHttp,
    accepted,
    expired: !own && previous && !previousValid ? [previous] : [],
    phoneCredentials: own ?? fleet,
    blockThreshold: settings.blockThreshold,
    blockMinutes: settings.blockMinutes,
  };
}
