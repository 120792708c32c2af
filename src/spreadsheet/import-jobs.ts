import { randomUUID } from 'node:crypto';

import type { Logger } from 'pino';

import type { Db } from '../db/database.js';
import { AppError, errors } from '../errors.js';
import { toImportError } from './import-errors.js';
import type { ImportMode } from './import-report.js';
import type { ImportProgress, ImportService } from './import-service.js';

export interface ImportJobView extends ImportProgress {
  id: string;
  mode: ImportMode;
  /** The report when the import is done; `{ error }` when it failed; null before. */
  result: unknown;
  createdAt: string;
  updatedAt: string;
}

/**
 * Background imports whose progress is kept in the account_imports table, so that any
 * instance can answer a progress request.
 *
 * NOTE: the import itself runs in the instance that received the upload. If that process
 * stops, its job stays in its last state and is never resumed.
 */
export function createImportJobs({ db, logger, imports }: { db: Db; logger: Logger; imports: ImportService }) {
  /** Creates the job row, starts the import and returns the job id at once. */
  async function start(path: string, mode: ImportMode, cleanUp: () => Promise<void>): Promise<string> {
    const id = randomUUID();
    await db.insertInto('accountImports').values({ id, mode, state: 'reading' }).execute();
    logger.info({ importId: id, mode }, 'background account import started');

    void run(id, path, mode).finally(cleanUp);
    return id;
  }

  async function run(id: string, path: string, mode: ImportMode): Promise<void> {
    // Progress updates are chained so they reach the table in order. They are not awaited by
    // the import, because on the embedded database a query outside the import's transaction
    // waits until that transaction ends.
    let updates = Promise.resolve();
    const saveProgress = (progress: ImportProgress) => {
      updates = updates.then(() => saveState(id, progress)).catch((error: unknown) => logger.warn({ err: error, importId: id }, 'saving import progress failed'));
    };

    try {
      const report = await imports.importFile(path, { mode, onProgress: saveProgress });
      await updates;
      await db
        .updateTable('accountImports')
        .set({ state: 'done', result: JSON.stringify(report), updatedAt: new Date() })
        .where('id', '=', id)
        .execute();
      logger.info({ importId: id, created: report.created, updated: report.updated, skipped: report.skipped }, 'background account import finished');
    } catch (error) {
      await updates;
      const appError = error instanceof AppError ? error : toImportError(error);
      if (appError.statusCode >= 500) logger.error({ err: error, importId: id }, 'background account import failed');
      else logger.info({ importId: id, code: appError.code }, 'background account import rejected');
      await db
        .updateTable('accountImports')
        .set({ state: 'failed', result: JSON.stringify({ error: { statusCode: appError.statusCode, code: appError.code, message: appError.message } }), updatedAt: new Date() })
        .where('id', '=', id)
        .execute()
        .catch((saveError: unknown) => logger.error({ err: saveError, importId: id }, 'saving the failed import state failed'));
    }
  }

  async function saveState(id: string, progress: ImportProgress): Promise<void> {
    await db
      .updateTable('accountImports')
      .set({ state: progress.state, rowsRead: progress.rowsRead, rowsValidated: progress.rowsValidated, rowsWritten: progress.rowsWritten, total: progress.total, updatedAt: new Date() })
      .where('id', '=', id)
      .where('state', 'not in', ['done', 'failed'])
      .execute();
  }

  async function get(id: string): Promise<ImportJobView> {
    const row = await db.selectFrom('accountImports').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw errors.importNotFound(id);

    return {
      id: row.id,
      mode: row.mode,
      state: row.state,
      rowsRead: row.rowsRead,
      rowsValidated: row.rowsValidated,
      rowsWritten: row.rowsWritten,
      total: row.total,
      result: row.result ?? null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  return { start, get };
}

export type ImportJobs = ReturnType<typeof createImportJobs>;
