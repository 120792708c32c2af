import type { Logger } from 'pino';

import type { Db } from '../db/database.js';
import type { DiscoveredDeviceRow } from '../db/schema.js';
import type { DevicesService } from '../devices/devices-service.js';
import type { Device } from '../devices/devices-schemas.js';
import { canonicalMac, describeInvalidMac } from '../devices/mac.js';
import { errors } from '../errors.js';

/** A phone that asked for its file while no device had its MAC, as the API shows it. */
export interface DiscoveredDevice {
  mac: string;
  firstSeenAt: string;
  lastSeenAt: string;
  lastAddress: string;
  reportedModel: string | null;
  firmware: string | null;
  requestCount: number;
}

export interface AdoptInput {
  profileId: number;
  model?: string | undefined;
  lines?: { line: number; accountId: number }[] | undefined;
  description?: string | null | undefined;
}

export type DiscoveredService = ReturnType<typeof createDiscoveredService>;

/** Discovered devices: listing the unknown phones that asked for a file, and adopting one. */
export function createDiscoveredService({ db, logger, devices }: { db: Db; logger: Logger; devices: DevicesService }) {
  /** Lists discovered MACs that are not devices yet, seen most recently first. */
  async function list(): Promise<{ items: DiscoveredDevice[]; total: number }> {
    const rows = await db
      .selectFrom('discoveredDevices')
      .selectAll()
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('devices').select('id').whereRef('devices.mac', '=', 'discoveredDevices.mac'))))
      .orderBy('lastSeenAt', 'desc')
      .orderBy('mac')
      .execute();
    return { items: rows.map(toDiscovered), total: rows.length };
  }

  /**
   * Creates a device from a discovered MAC in one call. The model defaults to the one the phone
   * reported in its User-Agent; the devices service checks everything else.
   */
  async function adopt(macText: string, input: AdoptInput): Promise<Device> {
    const mac = canonicalMac(macText);
    if (mac === undefined) throw errors.validationFailed([{ field: 'mac', value: macText, message: describeInvalidMac(macText) }]);

    const discovered = await db.selectFrom('discoveredDevices').selectAll().where('mac', '=', mac).executeTakeFirst();
    if (!discovered) throw errors.notFound('discovered-device', mac);

    const model = input.model ?? discovered.reportedModel ?? undefined;
    if (model === undefined) {
      throw errors.validationFailed([{ field: 'model', message: `is required: the phone ${mac} did not report its model in its User-Agent; send the model, e.g. UC926` }]);
    }

    const device = await devices.create({ mac, model, profileId: input.profileId, lines: input.lines, description: input.description ?? undefined });
    await db.deleteFrom('discoveredDevices').where('mac', '=', mac).execute();
    logger.info({ deviceId: device.id, mac }, 'discovered device adopted');
    return device;
  }

  return { list, adopt };
}

function toDiscovered(row: DiscoveredDeviceRow): DiscoveredDevice {
  return {
    mac: row.mac,
    firstSeenAt: row.firstSeenAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    lastAddress: row.lastAddress,
    reportedModel: row.reportedModel,
    firmware: row.firmware,
    requestCount: row.requestCount,
  };
}
