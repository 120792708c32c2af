import { sql } from 'kysely';

import type { Db } from '../db/database.js';
import { containsPattern, offsetOf } from '../db/query-helpers.js';
import type { DeviceRow, DeviceUpdate, NewDeviceRow } from '../db/schema.js';
import type { DeviceListInput } from './devices-schemas.js';

export interface DeviceLineView {
  deviceId: number;
  line: number;
  accountId: number;
  accountName: string;
}

export type DeviceListFilter = Required<Pick<DeviceListInput, 'page' | 'pageSize' | 'order'>> & DeviceListInput;

export function findDevice(db: Db, id: number): Promise<DeviceRow | undefined> {
  return db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findDeviceByMac(db: Db, mac: string): Promise<DeviceRow | undefined> {
  return db.selectFrom('devices').selectAll().where('mac', '=', mac).executeTakeFirst();
}

export function findLines(db: Db, deviceIds: number[]): Promise<DeviceLineView[]> {
  if (deviceIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('deviceLines')
    .innerJoin('accounts', 'accounts.id', 'deviceLines.accountId')
    .select(['deviceLines.deviceId', 'deviceLines.line', 'deviceLines.accountId', 'accounts.name as accountName'])
    .where('deviceLines.deviceId', 'in', deviceIds)
    .orderBy('deviceLines.deviceId')
    .orderBy('deviceLines.line')
    .execute();
}

export async function listDevices(db: Db, filter: DeviceListFilter): Promise<{ rows: DeviceRow[]; total: number }> {
  let query = db.selectFrom('devices');
  if (filter.mac) query = query.where('mac', 'like', containsPattern(filter.mac.trim().replace(/[:.\-\s]/g, '').toLowerCase()));
  if (filter.model) query = query.where('model', '=', filter.model.trim().toUpperCase());
  if (filter.profileId) query = query.where('profileId', '=', filter.profileId);
  if (filter.accountId) {
    const accountId = filter.accountId;
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('deviceLines').select('line').whereRef('deviceLines.deviceId', '=', 'devices.id').where('deviceLines.accountId', '=', accountId)),
    );
  }
  if (filter.seenAfter) query = query.where('lastSeenAt', '>=', new Date(filter.seenAfter));
  if (filter.seenBefore) {
    const before = new Date(filter.seenBefore);
    query = query.where((eb) => eb.or([eb('lastSeenAt', '<', before), eb('lastSeenAt', 'is', null)]));
  }

  const { total } = await query.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll()
    .orderBy(filter.sort ?? 'mac', filter.order)
    .orderBy('id')
    .limit(filter.pageSize)
    .offset(offsetOf(filter))
    .execute();
  return { rows, total };
}

export function insertDevice(db: Db, row: NewDeviceRow): Promise<DeviceRow> {
  return db.insertInto('devices').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateDevice(db: Db, id: number, version: number, changes: DeviceUpdate): Promise<DeviceRow | undefined> {
  return db
    .updateTable('devices')
    .set({ ...changes, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export async function replaceLines(db: Db, deviceId: number, lines: { line: number; accountId: number }[]): Promise<void> {
  await db.deleteFrom('deviceLines').where('deviceId', '=', deviceId).execute();
  if (lines.length === 0) return;
  await db
    .insertInto('deviceLines')
    .values(lines.map((line) => ({ deviceId, line: line.line, accountId: line.accountId })))
    .execute();
}

export function deleteDevice(db: Db, id: number) {
  return db.deleteFrom('devices').where('id', '=', id).executeTakeFirst();
}
