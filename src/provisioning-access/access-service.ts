import type { Logger } from 'pino';

import type { Db } from '../db/database.js';
import type { ProvisioningAccessMode } from '../db/schema.js';
import { errors, type FieldProblem } from '../errors.js';
import { forgetCachedAccessSettings, loadAccessSettings } from './access-settings.js';
import { invalidCidr } from './networks.js';

/** A change of the installation settings; a field left out keeps its stored value. */
export interface AccessSettingsUpdate {
  mode?: ProvisioningAccessMode | undefined;
  allowedNetworks?: string[] | undefined;
  fleetUsername?: string | null | undefined;
  fleetPassword?: string | undefined;
  graceMinutes?: number | undefined;
  allowBasicOverHttp?: boolean | undefined;
  blockThreshold?: number | undefined;
  blockMinutes?: number | undefined;
}

export interface DeviceAccessUpdate {
  mode: ProvisioningAccessMode | null;
  username: string | null;
  password?: string | undefined;
}

export type AccessService = ReturnType<typeof createAccessService>;

type StoredSettings = Awaited<ReturnType<typeof loadAccessSettings>>;

/** The settings as the API returns them: passwords replaced by whether one is stored. */
function settingsView(settings: StoredSettings, now = new Date()) {
  const graceEnds = new Date((settings.fleetChangedAt?.getTime() ?? 0) + settings.graceMinutes * 60_000);
  const previousAccepted = settings.previousFleetUsername !== null && settings.previousFleetPassword !== null && graceEnds > now;
  return {
    mode: settings.mode,
    allowedNetworks: settings.allowedNetworks,
    fleetUsername: settings.fleetUsername,
    fleetPasswordSet: settings.fleetPassword !== null,
    previousFleetUsername: settings.previousFleetUsername,
    previousAcceptedUntil: previousAccepted ? graceEnds.toISOString() : null,
    graceMinutes: settings.graceMinutes,
    allowBasicOverHttp: settings.allowBasicOverHttp,
    blockThreshold: settings.blockThreshold,
    blockMinutes: settings.blockMinutes,
    updatedAt: settings.updatedAt.toISOString(),
  };
}

/** Returns one problem per entry that is not an address or CIDR range; entries of another type are left to the schema. */
export function networkProblems(networks: readonly unknown[]): FieldProblem[] {
  return networks.flatMap((cidr, index) => {
    if (typeof cidr !== 'string') return [];
    const problem = invalidCidr(cidr);
    return problem === undefined ? [] : [{ field: `allowedNetworks[${index}]`, value: cidr, message: `${problem}; use an address or a range such as 10.0.0.0/8 or fc00::/7` }];
  });
}

/**
 * Reads and changes who may fetch phone files: the installation-wide settings and each device's
 * own mode and credentials. Changing the fleet credentials keeps the previous pair working for
 * the grace period, so phones that have not fetched the new pair yet are not locked out.
 */
export function createAccessService({ db, logger }: { db: Db; logger: Logger }) {
  async function getSettings() {
    return settingsView(await loadAccessSettings(db));
  }

  async function updateSettings(input: AccessSettingsUpdate) {
    const stored = await loadAccessSettings(db);
    const problems = networkProblems(input.allowedNetworks ?? []);

    const username = input.fleetUsername === undefined ? stored.fleetUsername : input.fleetUsername;
    const password = username === null ? null : (input.fleetPassword ?? stored.fleetPassword);
    if (username !== null && password === null) {
      problems.push({ field: 'fleetPassword', message: `missing; the new fleet user ${JSON.stringify(username)} needs a password` });
    }
    if (problems.length > 0) throw errors.validationFailed(problems);

    const mode = input.mode ?? stored.mode;
    const allowedNetworks = input.allowedNetworks ?? stored.allowedNetworks;
    const graceMinutes = input.graceMinutes ?? stored.graceMinutes;

    const credentialsChanged = username !== stored.fleetUsername || password !== stored.fleetPassword;
    const hadCredentials = stored.fleetUsername !== null && stored.fleetPassword !== null;
    const rotation = credentialsChanged
      ? { previousFleetUsername: hadCredentials ? stored.fleetUsername : null, previousFleetPassword: hadCredentials ? stored.fleetPassword : null, fleetChangedAt: new Date() }
      : {};

    await db
      .updateTable('provisioningAccess')
      .set({
        mode,
        allowedNetworks: JSON.stringify(allowedNetworks),
        fleetUsername: username,
        fleetPassword: password,
        ...rotation,
        graceMinutes,
        allowBasicOverHttp: input.allowBasicOverHttp ?? stored.allowBasicOverHttp,
        blockThreshold: input.blockThreshold ?? stored.blockThreshold,
        blockMinutes: input.blockMinutes ?? stored.blockMinutes,
        updatedAt: new Date(),
      })
      .where('id', '=', 1)
      .execute();
    forgetCachedAccessSettings(db);

    logger.info({ mode, networks: allowedNetworks.length, fleetCredentialsChanged: credentialsChanged, graceMinutes }, 'phone access settings changed');
    if (mode === 'open') logger.warn({ mode }, 'phone access mode is open: anyone who can reach the server gets phone files with SIP passwords');
    return getSettings();
  }

  async function findDevice(id: number) {
    const device = await db.selectFrom('devices').select(['id', 'mac']).where('id', '=', id).executeTakeFirst();
    if (!device) throw errors.notFound('device', id);
    return device;
  }

  async function getDeviceAccess(id: number) {
    await findDevice(id);
    const settings = await loadAccessSettings(db);
    const own = await db.selectFrom('deviceProvisioningAccess').selectAll().where('deviceId', '=', id).executeTakeFirst();
    return { deviceId: id, mode: own?.mode ?? null, username: own?.username ?? null, passwordSet: (own?.devicePassword ?? null) !== null, effectiveMode: own?.mode ?? settings.mode };
  }

  async function updateDeviceAccess(id: number, input: DeviceAccessUpdate) {
    const device = await findDevice(id);
    const own = await db.selectFrom('deviceProvisioningAccess').selectAll().where('deviceId', '=', id).executeTakeFirst();

    const password = input.username === null ? null : (input.password ?? own?.devicePassword ?? null);
    if (input.username !== null && password === null) {
      throw errors.validationFailed([{ field: 'password', message: `missing; the device user ${JSON.stringify(input.username)} needs a password` }]);
    }

    if (input.mode === null && input.username === null) {
      await db.deleteFrom('deviceProvisioningAccess').where('deviceId', '=', id).execute();
    } else {
      const values = { mode: input.mode, username: input.username, devicePassword: password, updatedAt: new Date() };
      await db
        .insertInto('deviceProvisioningAccess')
        .values({ deviceId: id, ...values })
        .onConflict((conflict) => conflict.column('deviceId').doUpdateSet(values))
        .execute();
    }

    logger.info({ deviceId: id, mac: device.mac, mode: input.mode, ownCredentials: input.username !== null }, 'device phone access changed');
    if (input.mode === 'open') logger.warn({ deviceId: id, mac: device.mac }, 'phone access mode of a device is open: anyone gets its phone file with SIP passwords');
    return getDeviceAccess(id);
  }

  return { getSettings, updateSettings, getDeviceAccess, updateDeviceAccess };
}

/**
 * Logs a warning at start-up when the installation or any device serves phone files to everyone,
 * so an explicit `open` choice stays visible in the log.
 */
export async function warnWhenOpen(db: Db, logger: Logger): Promise<void> {
  let settings: StoredSettings;
  let openDevices: { mac: string }[];
  try {
    settings = await loadAccessSettings(db);
    openDevices = await db.selectFrom('deviceProvisioningAccess').innerJoin('devices', 'devices.id', 'deviceProvisioningAccess.deviceId').select('devices.mac').where('deviceProvisioningAccess.mode', '=', 'open').execute();
  } catch (error) {
    logger.error({ err: error }, 'reading the phone access mode at start-up failed; an open mode is not warned about');
    return;
  }

  if (settings.mode === 'open') logger.warn({ mode: settings.mode }, 'phone access mode is open: anyone who can reach the server gets phone files with SIP passwords');
  if (openDevices.length > 0) logger.warn({ macs: openDevices.slice(0, 20).map((device) => device.mac), devices: openDevices.length }, 'phone access mode is open for some devices: anyone gets their phone files');
}
