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
  /** What the rendered file writes into P1360/P1361 for the phone to send back. */
  phoneCredentials: { username: string; password: string } | undefined;
  blockThreshold: number;
  blockMinutes: number;
}

export async function loadAccessSettings(db: Db) {
  return db.selectFrom('provisioningAccess').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
}

/** Reads the settings that apply to the device with this MAC (or to an unknown MAC). */
export async function loadEffectiveAccess(db: Db, mac: string | undefined, now = new Date()): Promise<EffectiveAccess> {
  const settings = await loadAccessSettings(db);
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
