import type { Logger } from 'pino';

import type { Db } from '../db/database.js';
import { changesAnyColumn, foreignKeyViolation, uniqueViolation } from '../db/query-helpers.js';
import type { DeviceRow, DeviceUpdate } from '../db/schema.js';
import { errors, type FieldProblem } from '../errors.js';
import { findProfile } from '../profiles/profiles-repo.js';
import { accountSlotLimit, type Dialect } from '../provisioning/parameters.js';
import { planProfileSlots } from '../provisioning/profile-slots.js';
import { parseSipTarget } from '../push/push-target.js';
import * as repo from './devices-repo.js';
import type { CreateDeviceInput, Device, DeviceListInput, UpdateDeviceInput } from './devices-schemas.js';
import { canonicalMac, describeInvalidMac, reservedMacRule } from './mac.js';
import { findModel, modelNames, type PhoneModel } from './models.js';

export interface DevicesServiceDeps {
  db: Db;
  logger: Logger;
  /** Minutes without a fetch or status report after which a device is not seen recently (default 1500). */
  notSeenAfterMinutes?: number | undefined;
}

export type DevicesService = ReturnType<typeof createDevicesService>;

/**
 * Number of lines we can write for a model: its line count, capped in the P-code dialect at
 * the account slots whose P-codes the parameter catalogue contains, so we never write guessed codes.
 */
export function writableLineCount(model: PhoneModel, dialect: Dialect = model.dialect): number {
  return accountSlotLimit(dialect, model.lineCount);
}

/** Devices: phones by MAC, with their model, profile and line bindings. */
export function createDevicesService({ db, logger, notSeenAfterMinutes = 1500 }: DevicesServiceDeps) {
  const toDevice = (row: DeviceRow, lines: repo.DeviceLineView[]) => toDeviceView(row, lines, notSeenAfterMinutes);

  async function get(id: number): Promise<Device> {
    const row = await repo.findDevice(db, id);
    if (!row) throw errors.notFound('device', id);
    return toDevice(row, await repo.findLines(db, [id]));
  }

  async function list(query: DeviceListInput): Promise<{ items: Device[]; total: number }> {
    const filter = { page: 1, pageSize: 50, order: 'asc' as const, ...query };
    const { rows, total } = await repo.listDevices(db, filter);
    const lines = await repo.findLines(db, rows.map((row) => row.id));
    return { items: rows.map((row) => toDevice(row, lines.filter((line) => line.deviceId === row.id))), total };
  }

  async function create(input: CreateDeviceInput): Promise<Device> {
    const values = await checkDevice(input, undefined);

    const id = await translateUniqueViolation(input.mac, () =>
      db.transaction().execute(async (trx) => {
        const row = await repo.insertDevice(trx, { mac: values.mac ?? '', model: values.model ?? '', profileId: values.profileId ?? 0, description: values.description ?? null, dialect: values.dialect ?? null, sipTarget: values.sipTarget ?? null });
        await repo.replaceLines(trx, row.id, input.lines ?? []);
        return row.id;
      }),
    );
    logger.info({ deviceId: id, mac: values.mac }, 'device created');
    return get(id);
  }

  async function update(id: number, input: UpdateDeviceInput): Promise<Device> {
    const { version, lines, ...fields } = input;
    const current = await repo.findDevice(db, id);
    if (!current) throw errors.notFound('device', id);
    if (version !== undefined && version !== current.version) throw errors.staleVersion('device', id, version, current.version);

    // A new model must take the lines kept from before, so they are checked again when not sent.
    const keptLines = lines ?? (fields.model === undefined ? undefined : await currentLines(id));
    const merged = { mac: fields.mac ?? current.mac, model: fields.model ?? current.model, profileId: fields.profileId ?? current.profileId, lines: keptLines, description: fields.description };
    const values = await checkDevice(merged, id);
    if (!changesAnyColumn(current, values) && (lines === undefined || !(await linesChange(id, lines)))) return get(id);

    const row = await translateUniqueViolation(merged.mac, () =>
      db.transaction().execute(async (trx) => {
        const updated = await repo.updateDevice(trx, id, version ?? current.version, values);
        if (updated && lines !== undefined) await repo.replaceLines(trx, id, lines);
        return updated;
      }),
    );
    if (!row) throw errors.staleVersion('device', id, version ?? current.version, (await repo.findDevice(db, id))?.version ?? 0);
    logger.info({ deviceId: id, version: row.version }, 'device updated');
    return get(id);
  }

  async function linesChange(id: number, lines: { line: number; accountId: number }[]): Promise<boolean> {
    const byLine = (a: { line: number }, b: { line: number }) => a.line - b.line;
    const stored = (await currentLines(id)).sort(byLine);
    const sent = lines.map((line) => ({ line: line.line, accountId: line.accountId })).sort(byLine);
    return JSON.stringify(stored) !== JSON.stringify(sent);
  }

  async function currentLines(id: number): Promise<{ line: number; accountId: number }[]> {
    const rows = await repo.findLines(db, [id]);
    return rows.map((row) => ({ line: row.line, accountId: row.accountId }));
  }

  async function remove(id: number): Promise<void> {
    const result = await repo.deleteDevice(db, id);
    if (Number(result?.numDeletedRows ?? 0) === 0) throw errors.notFound('device', id);
    logger.info({ deviceId: id }, 'device deleted');
  }

  /** Checks every field and binding of a device and returns the values to store. */
  async function checkDevice(input: Partial<CreateDeviceInput>, exceptId: number | undefined): Promise<DeviceUpdate> {
    const problems: FieldProblem[] = [];
    const values: DeviceUpdate = {};

    if (input.mac !== undefined) {
      const mac = canonicalMac(input.mac);
      const reserved = mac === undefined ? undefined : reservedMacRule(mac);
      if (mac === undefined) problems.push({ field: 'mac', value: input.mac, message: describeInvalidMac(input.mac) });
      else if (reserved) problems.push({ field: 'mac', value: input.mac, message: reserved });
      else {
        values.mac = mac;
        const existing = await repo.findDeviceByMac(db, mac);
        if (existing && existing.id !== exceptId) {
          problems.push({ field: 'mac', value: input.mac, message: `is already device ${existing.id}; edit device ${existing.id} or delete it first` });
        }
      }
    }

    const model = input.model === undefined ? undefined : findModel(input.model);
    if (input.model !== undefined && !model) {
      problems.push({ field: 'model', value: input.model, message: `is not a supported Htek model; expected one of ${modelNames.join(', ')}` });
    }
    if (model) values.model = model.name;

    if (input.profileId !== undefined) {
      if (await findProfile(db, input.profileId)) values.profileId = input.profileId;
      else problems.push({ field: 'profileId', value: input.profileId, message: 'is not an existing profile' });
    }
    if (input.description !== undefined) values.description = input.description?.trim() || null;

    if (input.dialect !== undefined) values.dialect = input.dialect;

    if (input.sipTarget !== undefined) {
      const text = input.sipTarget?.trim() || null;
      const parsed = text === null ? undefined : parseSipTarget(text);
      if (parsed !== undefined && 'error' in parsed) problems.push({ field: 'sipTarget', value: input.sipTarget, message: parsed.error });
      else values.sipTarget = text;
    }

    if (input.lines !== undefined && model) problems.push(...(await checkLines(input.lines, model, input.dialect ?? model.dialect)));

    if (problems.length > 0) throw errors.validationFailed(problems);
    return values;
  }

  async function checkLines(lines: { line: number; accountId: number }[], model: PhoneModel, dialect: Dialect): Promise<FieldProblem[]> {
    const problems: FieldProblem[] = [];
    const maxLine = writableLineCount(model, dialect);
    const seen = new Set<number>();

    for (const [index, binding] of lines.entries()) {
      const field = `lines.${index}`;
      if (seen.has(binding.line)) problems.push({ field: `${field}.line`, value: binding.line, message: 'is bound twice; each line takes one account' });
      seen.add(binding.line);

      if (binding.line > maxLine) {
        const reason =
          maxLine < model.lineCount
            ? `the ${model.name} has ${model.lineCount} lines, but the parameter codes of lines above ${maxLine} are not known for its configuration format, so we do not write them`
            : `the ${model.name} has ${model.lineCount} lines`;
        problems.push({ field: `${field}.line`, value: binding.line, message: `must be from 1 to ${maxLine}: ${reason}` });
      }
    }

    const accountIds = [...new Set(lines.map((binding) => binding.accountId))];
    const found = accountIds.length === 0 ? [] : await db.selectFrom('accounts').select(['id', 'profileId']).where('id', 'in', accountIds).execute();
    for (const [index, binding] of lines.entries()) {
      if (!found.some((row) => row.id === binding.accountId)) {
        problems.push({ field: `lines.${index}.accountId`, value: binding.accountId, message: 'is not an existing account' });
      }
    }

    const profileOfAccount = new Map(found.map((row) => [row.id, row.profileId]));
    const lineProfiles = lines.flatMap((binding) => {
      const profileId = profileOfAccount.get(binding.accountId);
      return profileId === undefined || binding.line > maxLine ? [] : [{ line: binding.line, profileId }];
    });
    for (const rejected of planProfileSlots(lineProfiles, dialect, model.lineCount).rejected) {
      const index = lines.findIndex((binding) => binding.line === rejected.line);
      problems.push({ field: `lines.${index}.accountId`, value: lines[index]?.accountId, message: `on line ${rejected.line} ${rejected.message}` });
    }
    return problems;
  }

  return { get, list, create, update, remove };
}

async function translateUniqueViolation<T>(mac: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (uniqueViolation(error) === 'devices_mac_key') {
      throw errors.validationFailed([{ field: 'mac', value: mac, message: 'is already used by another device; edit that device or delete it first' }]);
    }
    // A profile or account deleted between the checks and the write.
    const foreignKey = foreignKeyViolation(error);
    if (foreignKey === 'devices_profile_id_fkey') {
      throw errors.validationFailed([{ field: 'profileId', message: 'is not an existing profile; it was deleted meanwhile' }]);
    }
    if (foreignKey === 'device_lines_account_id_fkey') {
      throw errors.validationFailed([{ field: 'lines', message: 'names an account that was deleted meanwhile; reload the accounts and try again' }]);
    }
    throw error;
  }
}

function toDeviceView(row: DeviceRow, lines: repo.DeviceLineView[], notSeenAfterMinutes: number): Device {
  return {
    id: row.id,
    mac: row.mac,
    model: row.model,
    profileId: row.profileId,
    description: row.description,
    dialect: row.dialect,
    lines: lines.map((line) => ({ line: line.line, accountId: line.accountId, accountName: line.accountName })),
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    lastAddress: row.lastAddress,
    lastUserAgent: row.lastUserAgent,
    reportedModel: row.reportedModel,
    firmware: row.firmware,
    sipTarget: row.sipTarget,
    notSeenRecently: row.lastSeenAt === null || Date.now() - row.lastSeenAt.getTime() > notSeenAfterMinutes * 60_000,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
