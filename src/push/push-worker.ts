import type { Logger } from 'pino';

import type { Db } from '../db/database.js';
import type { NotifyResult, NotifySender } from '../sip/notify-sender.js';
import { type ClaimedDevice, claimDevices, loadTargetSources, recordResult, recoverStaleDevices } from './push-repo.js';
import { resolveNotifyTarget } from './push-target.js';

export interface PushWorkerOptions {
  db: Db;
  logger: Logger;
  sender: NotifySender;
  /** Maximum NOTIFYs this instance has in flight over all jobs. */
  maxInFlight: number;
  /** Wait between polls when there is nothing to claim, in milliseconds. */
  pollIntervalMs: number;
  /**
   * Age after which a device left in `sent` counts as abandoned by a stopped instance, in
   * milliseconds. It must exceed the longest NOTIFY (two Timer F periods plus a TCP connect).
   */
  staleAfterMs: number;
  /** Claims and recovers devices of this job only (`htek-dms push`); unset serves every due job. */
  jobId?: string;
}

export interface PushWorker {
  /** Polls at once instead of after the poll interval, e.g. right after a job was created. */
  wake(): void;
  /**
   * Stops claiming, waits up to `graceMs` for NOTIFYs in flight and leaves the rest in `sent`,
   * so that an instance running later resends them once they are older than `staleAfterMs`.
   */
  stop(graceMs?: number): Promise<void>;
}

/** Starts the loop that claims queued devices of due push jobs and sends their NOTIFYs. */
export function startPushWorker(options: PushWorkerOptions): PushWorker {
  const { db, sender } = options;
  const logger = options.logger.child({ component: 'push-worker' });
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  let abandoned = false;
  let wakeUp: (() => void) | undefined;
  let lastRecoveryAt = 0;

  const pause = (milliseconds: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, milliseconds);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function recoverStale(): Promise<void> {
    lastRecoveryAt = Date.now();
    const rows = await recoverStaleDevices(db, options.staleAfterMs, options.jobId);
    for (const row of rows) {
      if (row.state === 'queued') logger.warn({ jobId: row.jobId, deviceId: row.deviceId }, 'push device left in sent by a stopped instance; queued for one resend');
      else logger.error({ jobId: row.jobId, deviceId: row.deviceId }, 'push device left in sent twice; marked failed');
    }
  }

  async function dispatch(claims: ClaimedDevice[]): Promise<void> {
    const sources = await loadTargetSources(db, claims.map((claim) => claim.deviceId));

    for (const claim of claims) {
      const source = sources.get(claim.deviceId);
      const task = source === undefined ? recordGone(claim) : sendOne(claim, resolveNotifyTarget(source, claim.reboot));
      inFlight.add(task);
      void task.finally(() => {
        inFlight.delete(task);
        wakeUp?.();
      });
    }
  }

  async function recordGone(claim: ClaimedDevice): Promise<void> {
    await store(claim, { state: 'failed', outcome: 'failed', sipStatus: null, reason: 'the device was deleted' });
  }

  async function sendOne(claim: ClaimedDevice, resolved: ReturnType<typeof resolveNotifyTarget>): Promise<void> {
    if ('reason' in resolved) {
      logger.warn({ jobId: claim.jobId, deviceId: claim.deviceId, mac: claim.mac, reason: resolved.reason }, 'push device failed without sending');
      await store(claim, { state: 'failed', outcome: resolved.outcome, sipStatus: null, reason: resolved.reason });
      return;
    }

    const result: NotifyResult = await sender.sendCheckSync(resolved.target);
    if (abandoned) return;
    await store(claim, {
      state: result.outcome === 'answered' ? 'answered' : 'failed',
      outcome: result.outcome,
      sipStatus: result.sipStatus ?? null,
      reason: result.outcome === 'answered' ? result.reason : `${result.outcome}: ${result.reason}`,
    });
  }

  async function store(claim: ClaimedDevice, result: Parameters<typeof recordResult>[2]): Promise<void> {
    try {
      const stored = await recordResult(db, claim, result);
      if (!stored) logger.warn({ jobId: claim.jobId, deviceId: claim.deviceId }, 'push result dropped: the device was claimed again after this NOTIFY went out');
    } catch (error) {
      logger.error({ err: error, jobId: claim.jobId, deviceId: claim.deviceId }, 'storing a push result failed; the device stays in sent and is resent later');
    }
  }

  async function runOnce(): Promise<number> {
    if (Date.now() - lastRecoveryAt >= Math.min(options.staleAfterMs, 10_000)) await recoverStale();

    const capacity = options.maxInFlight - inFlight.size;
    if (capacity <= 0) return 0;

    const claims = await claimDevices(db, capacity, options.jobId);
    if (claims.length > 0) await dispatch(claims);
    return claims.length;
  }

  async function loop(): Promise<void> {
    logger.info({ maxInFlight: options.maxInFlight, pollIntervalMs: options.pollIntervalMs, jobId: options.jobId ?? null }, 'push worker started');
    while (!stopping) {
      let claimed = 0;
      try {
        claimed = await runOnce();
      } catch (error) {
        logger.error({ err: error }, 'push worker poll failed; retrying after the poll interval');
      }
      if (stopping) break;
      await pause(claimed > 0 ? 5 : options.pollIntervalMs);
    }
  }

  const running = loop();

  return {
    wake: () => wakeUp?.(),
    async stop(graceMs = 5000) {
      stopping = true;
      wakeUp?.();
      await running;

      const drained = Promise.all([...inFlight]).then(() => true);
      const waited = await Promise.race([drained, new Promise<false>((resolve) => setTimeout(() => resolve(false), graceMs).unref())]);
      if (!waited) {
        abandoned = true;
        logger.warn({ inFlight: inFlight.size }, 'push worker stopping with NOTIFYs in flight; they stay in sent and are resent by the next instance');
      }
      logger.info('push worker stopped');
    },
  };
}
