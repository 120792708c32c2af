import type { Logger } from 'pino';

import type { Db } from '../db/database.js';
import { containsPattern } from '../db/query-helpers.js';
import type { PushJobDeviceRow, PushJobRow } from '../db/schema.js';
import { errors, type FieldProblem } from '../errors.js';
import * as repo from './push-repo.js';
import type { CreatePushInput, PushJob } from './push-schemas.js';

export interface PushServiceDeps {
  db: Db;
  logger: Logger;
  /** Used when a push does not set its own maxConcurrent and ratePerSecond. */
  defaults: { maxConcurrent: number; ratePerSecond: number };
  /** Called after a job is stored, e.g. to wake the local push worker. */
  onCreated?: () => void;
  /** Returns why this instance's push worker cannot run; `create` then rejects with 503. */
  unavailableReason?: () => string | undefined;
}

export type PushService = ReturnType<typeof createPushService>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Push jobs: check-sync NOTIFYs to chosen devices, stored so that any instance can send them. */
export function createPushService({ db, logger, defaults, onCreated, unavailableReason }: PushServiceDeps) {
  async function create(input: CreatePushInput): Promise<{ id: string }> {
    const unavailable = unavailableReason?.();
    if (unavailable !== undefined) {
      logger.warn({ reason: unavailable }, 'push rejected: the push worker is not running');
      throw errors.pushUnavailable(unavailable);
    }

    const runAt = checkSchedule(input);
    const devices = await selectDevices(input);

    const job = {
      mode: input.mode,
      runAt,
      reboot: input.reboot === true,
      maxConcurrent: input.maxConcurrent ?? defaults.maxConcurrent,
      ratePerSecond: input.ratePerSecond ?? defaults.ratePerSecond,
    };
    const id = await repo.insertJob(db, job, devices);

    logger.info({ jobId: id, devices: devices.length, mode: job.mode, runAt: runAt.toISOString(), reboot: job.reboot }, 'push job created');
    onCreated?.();
    return { id };
  }

  async function get(id: string): Promise<PushJob> {
    const found = uuidPattern.test(id) ? await repo.findJob(db, id) : undefined;
    if (!found) throw errors.notFound('push', id);
    return toPushJob(found.job, found.devices);
  }

  /** Picks the devices of a push by account, ids or filter; rejects what matches nothing. */
  async function selectDevices(input: CreatePushInput): Promise<{ id: number; mac: string }[]> {
    const { accountId, deviceIds, filter } = input;
    if (filter !== undefined && (accountId !== undefined || deviceIds !== undefined)) {
      throw errors.validationFailed([{ field: 'filter', message: 'cannot be combined with accountId or deviceIds; send one way of choosing devices' }]);
    }

    let devices: { id: number; mac: string }[];
    if (accountId !== undefined) devices = await accountDevices(accountId, deviceIds);
    else if (deviceIds !== undefined) devices = await chosenDevices(deviceIds);
    else if (filter !== undefined) devices = await filteredDevices(filter);
    else throw errors.validationFailed([{ field: 'accountId', message: 'is missing; choose the devices with accountId, deviceIds or filter' }]);

    if (devices.length === 0) {
      const field = accountId !== undefined ? 'accountId' : 'filter';
      throw errors.validationFailed([{ field, value: accountId ?? filter, message: 'selects no devices, so there is nothing to push' }]);
    }
    return devices;
  }

  async function accountDevices(accountId: number, deviceIds: number[] | undefined): Promise<{ id: number; mac: string }[]> {
    const account = await db.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst();
    if (!account) throw errors.validationFailed([{ field: 'accountId', value: accountId, message: 'is not an existing account' }]);

    const bound = await db
      .selectFrom('devices')
      .select(['devices.id', 'devices.mac'])
      .where((eb) => eb.exists(eb.selectFrom('deviceLines').select('line').whereRef('deviceLines.deviceId', '=', 'devices.id').where('deviceLines.accountId', '=', accountId)))
      .orderBy('devices.id')
      .execute();
    if (deviceIds === undefined) return bound;

    const boundIds = new Set(bound.map((device) => device.id));
    const others = [...new Set(deviceIds)].filter((id) => !boundIds.has(id));
    if (others.length > 0) {
      throw errors.validationFailed([
        { field: 'deviceIds', value: others, message: `devices ${others.join(', ')} are not bound to account ${accountId}; bind them to a line of the account or leave them out` },
      ]);
    }
    const chosen = new Set(deviceIds);
    return bound.filter((device) => chosen.has(device.id));
  }

  async function chosenDevices(deviceIds: number[]): Promise<{ id: number; mac: string }[]> {
    const unique = [...new Set(deviceIds)];
    const found = await db.selectFrom('devices').select(['id', 'mac']).where('id', 'in', unique).orderBy('id').execute();
    const foundIds = new Set(found.map((device) => device.id));
    const missing = unique.filter((id) => !foundIds.has(id));
    if (missing.length > 0) {
      const problem: FieldProblem = { field: 'deviceIds', value: missing, message: `devices ${missing.join(', ')} do not exist; list them with GET /api/v1/devices` };
      throw errors.validationFailed([problem]);
    }
    return found;
  }

  async function filteredDevices(filter: NonNullable<CreatePushInput['filter']>): Promise<{ id: number; mac: string }[]> {
    if (filter.model === undefined && filter.profileId === undefined && filter.mac === undefined) {
      throw errors.validationFailed([{ field: 'filter', value: filter, message: 'is empty; set model, profileId or mac (to push every device, filter by a MAC part all share)' }]);
    }

    let query = db.selectFrom('devices').select(['id', 'mac']);
    if (filter.model !== undefined) query = query.where('model', '=', filter.model.trim().toUpperCase());
    if (filter.profileId !== undefined) query = query.where('profileId', '=', filter.profileId);
    if (filter.mac !== undefined) query = query.where('mac', 'like', containsPattern(filter.mac.trim().replace(/[:.\-\s]/g, '').toLowerCase()));
    return query.orderBy('id').execute();
  }

  return { create, get };
}

/** How far in the past a scheduled time may lie before it is rejected. */
const pastScheduleSlackMs = 60_000;

function checkSchedule(input: CreatePushInput): Date {
  if (input.mode === 'now') {
    if (input.at !== undefined) throw errors.validationFailed([{ field: 'at', value: input.at, message: 'is only used with mode "at"; leave it out or set mode to "at"' }]);
    return new Date();
  }

  if (input.at === undefined) throw errors.validationFailed([{ field: 'at', message: 'is missing; mode "at" needs a date and time, e.g. 2026-12-24T22:00:00Z' }]);
  const runAt = new Date(input.at);
  if (Number.isNaN(runAt.getTime())) throw errors.validationFailed([{ field: 'at', value: input.at, message: 'is not a valid date and time' }]);
  // The minute of slack lets a time picked "now" in a client survive clock skew and slow requests.
  if (runAt.getTime() < Date.now() - pastScheduleSlackMs) {
    throw errors.validationFailed([{ field: 'at', value: input.at, message: `is in the past (now is ${new Date().toISOString()}); choose a later time, or send mode "now"` }]);
  }
  return runAt;
}

function jobState(job: PushJobRow, devices: PushJobDeviceRow[]): PushJob['state'] {
  const open = devices.some((device) => device.state === 'queued' || device.state === 'sent');
  if (!open) return 'done';
  return job.runAt.getTime() > Date.now() ? 'scheduled' : 'running';
}

function toPushJob(job: PushJobRow, devices: PushJobDeviceRow[]): PushJob {
  return {
    id: job.id,
    state: jobState(job, devices),
    mode: job.mode,
    runAt: job.runAt.toISOString(),
    reboot: job.reboot,
    maxConcurrent: job.maxConcurrent,
    ratePerSecond: job.ratePerSecond,
    createdAt: job.createdAt.toISOString(),
    devices: devices.map((device) => ({
      deviceId: device.deviceId,
      mac: device.mac,
      state: device.state,
      outcome: device.outcome,
      sipStatus: device.sipStatus,
      reason: device.reason,
      dispatches: device.dispatches,
      updatedAt: device.updatedAt.toISOString(),
    })),
  };
}

