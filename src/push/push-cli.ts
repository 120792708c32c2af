import type { Logger } from 'pino';

import type { Config, PushConfig } from '../config.js';
import type { Db } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { openConfiguredDatabase } from '../db/open-configured.js';
import { AppError } from '../errors.js';
import { createCommandLogger } from '../logger.js';
import type { PushJobDeviceRow } from '../db/schema.js';
import { PushUsageError, readPushRequest, resolvePushTarget } from './push-cli-args.js';
import { findJob } from './push-repo.js';
import { openConfiguredSender } from './push-runtime.js';
import { createPushService } from './push-service.js';
import { startPushWorker } from './push-worker.js';

export { pushCliOptions, pushUsage } from './push-cli-args.js';

export interface PushCliDeps {
  db: Db;
  logger: Logger;
  push: PushConfig;
  /** Writes one line of the report (stdout in the CLI). */
  print(line: string): void;
  /** Writes one error line (stderr in the CLI). */
  printError(line: string): void;
  /** Aborting stops the run early; the job stays stored for the servers' push workers. */
  signal?: AbortSignal;
  /** Wait between reads of the job's rows, in milliseconds. */
  pollIntervalMs?: number;
}

/** Exit codes of `htek-dms push`. */
export const pushExitCodes = { allAnswered: 0, someFailed: 1, usage: 2, interrupted: 130 } as const;

const settled = (device: PushJobDeviceRow) => device.state !== 'queued' && device.state !== 'sent';

/**
 * Runs `htek-dms push`: creates a push job as the API does, sends its NOTIFYs with a worker of
 * this process that claims this job only, prints each device's state change and returns the
 * exit code. A server's worker on the same database may claim some of the job's devices too.
 * Row locking keeps each device to one NOTIFY, and this run prints those results as well
 * because it reads the rows.
 */
export async function runPushCli(deps: PushCliDeps, args: string[], values: Record<string, string | boolean | undefined>): Promise<number> {
  const { db, logger, print, printError } = deps;

  let request;
  let choice;
  try {
    request = readPushRequest(args, values);
    choice = await resolvePushTarget(db, request.target);
  } catch (error) {
    if (!(error instanceof PushUsageError)) throw error;
    printError(error.message);
    return pushExitCodes.usage;
  }

  const opened = await openConfiguredSender(deps.push, logger);
  if ('reason' in opened) {
    printError(`push not started: ${opened.reason}`);
    return pushExitCodes.someFailed;
  }

  const service = createPushService({ db, logger, defaults: { maxConcurrent: deps.push.maxConcurrent, ratePerSecond: deps.push.ratePerSecond } });
  let jobId: string;
  try {
    ({ id: jobId } = await service.create({ ...request.options, ...withoutDescription(choice) }));
  } catch (error) {
    await opened.sender.close();
    if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
    printError(error.message);
    return pushExitCodes.usage;
  }

  const worker = startPushWorker({
    db,
    logger,
    sender: opened.sender,
    maxInFlight: request.options.maxConcurrent ?? deps.push.maxConcurrent,
    pollIntervalMs: deps.pollIntervalMs ?? 200,
    staleAfterMs: 2 * deps.push.timerFMs + 15_000,
    jobId,
  });
  try {
    const when = request.options.mode === 'at' ? `at ${request.options.at}` : 'now';
    print(`push ${jobId}: ${choice.description}, sending ${when}${request.options.reboot ? ' with reboot' : ''}`);
    return await watchJob(deps, jobId);
  } finally {
    await worker.stop(5000);
    await opened.sender.close();
  }
}

function withoutDescription<T extends { description: string }>(choice: T): Omit<T, 'description'> {
  const { description: _description, ...rest } = choice;
  return rest;
}

/** Prints each device row whose state changed until every device has a result; returns the exit code. */
async function watchJob(deps: PushCliDeps, jobId: string): Promise<number> {
  const printed = new Map<number, string>();
  const pollIntervalMs = deps.pollIntervalMs ?? 200;

  for (;;) {
    const found = await findJob(deps.db, jobId);
    if (found === undefined) throw new Error(`push job ${jobId} disappeared from the database`);

    for (const device of found.devices) {
      const line = describeDevice(device);
      if (device.state === 'queued' || printed.get(device.deviceId) === line) continue;
      printed.set(device.deviceId, line);
      deps.print(line);
    }

    if (found.devices.every(settled)) return summarize(deps, found.devices);
    if (deps.signal?.aborted === true) {
      deps.printError(`interrupted: push ${jobId} stays stored, and a running server's push worker sends its remaining devices`);
      return pushExitCodes.interrupted;
    }
    await pause(pollIntervalMs, deps.signal);
  }
}

/** Formats one device's state, e.g. `001fc110d3a9 failed: timed-out: no final response before Timer F`. */
function describeDevice(device: PushJobDeviceRow): string {
  return device.reason === null || device.state === 'sent' ? `${device.mac} ${device.state}` : `${device.mac} ${device.state}: ${device.reason}`;
}

function summarize(deps: PushCliDeps, devices: PushJobDeviceRow[]): number {
  const failed = devices.filter((device) => device.state === 'failed').length;
  const answered = devices.length - failed;
  deps.print(`done: ${answered} answered, ${failed} failed`);
  return failed > 0 ? pushExitCodes.someFailed : pushExitCodes.allAnswered;
}

function pause(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, milliseconds);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Runs the `htek-dms push` command: opens the configured database, runs the push and stops early on
 * SIGINT or SIGTERM. Logs go to stderr at warn level, so stdout carries only the report.
 */
export async function pushCommand(config: Config, args: string[], values: Record<string, string | boolean | undefined>): Promise<number> {
  const logger = createCommandLogger(config);
  const database = await openConfiguredDatabase(config, logger);

  const aborter = new AbortController();
  const abort = () => aborter.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  try {
    await migrateToLatest(database.db, logger);
    return await runPushCli(
      {
        db: database.db,
        logger,
        push: config.push,
        print: (line) => process.stdout.write(`${line}\n`),
        printError: (line) => process.stderr.write(`htek-dms: ${line}\n`),
        signal: aborter.signal,
      },
      args,
      values,
    );
  } finally {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
    await database.close();
  }
}
