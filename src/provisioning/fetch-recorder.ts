import type { Logger } from 'pino';

import type { Db } from '../db/database.js';
import { type FetchRecord, recordDeviceRequests } from './provisioning-repo.js';

export interface FetchRecorderOptions {
  db: Db;
  logger: Logger;
  /** Requests kept per device in its history. */
  historyLimit: number;
  /** Wait before a batch is written, in milliseconds (default 100). */
  flushDelayMs?: number;
  /** A batch this large is written at once (default 500). */
  maxBatch?: number;
}

export type FetchRecorder = ReturnType<typeof createFetchRecorder>;

/**
 * Collects the requests of known devices and writes them in batches, one statement per batch,
 * so that a boot storm costs one write per `flushDelayMs` instead of one per request. Batches
 * are written one at a time. A failed batch is logged and dropped: the history is a diagnostic
 * aid, and the phone already got its file. Call `flush()` before the database closes.
 */
export function createFetchRecorder({ db, logger, historyLimit, flushDelayMs = 100, maxBatch = 500 }: FetchRecorderOptions) {
  let pending: FetchRecord[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  function record(fetch: FetchRecord): void {
    pending.push(fetch);

    if (pending.length >= maxBatch) {
      void flush();
      return;
    }
    if (!timer) {
      timer = setTimeout(() => void flush(), flushDelayMs);
      timer.unref();
    }
  }

  /** Writes every request collected so far; resolves when it and earlier batches are stored. */
  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;

    const batch = pending;
    pending = [];
    if (batch.length > 0) writing = writing.then(() => write(batch));
    return writing;
  }

  async function write(batch: FetchRecord[]): Promise<void> {
    try {
      await recordDeviceRequests(db, batch, historyLimit);
    } catch (error) {
      const macs = [...new Set(batch.map((fetch) => fetch.mac))];
      logger.error({ err: error, requests: batch.length, macs: macs.slice(0, 20) }, 'recording phone requests failed; this batch of request history is lost');
    }
  }

  return { record, flush };
}
