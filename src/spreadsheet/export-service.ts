import type { Writable } from 'node:stream';

import type { Logger } from 'pino';

import type { AccountListInput } from '../accounts/accounts-schemas.js';
import type { Db } from '../db/database.js';
import { errors } from '../errors.js';
import { createAccountExportWriter, type AccountExportWriter, type ExportFormat, type ExportRow } from './export-writer.js';
import { findMissingAccountIds, listSortedAccountIds, readAccountPage, readAccountsByIds, type ExportFilter, type ExportSort } from './export-repo.js';

export type { ExportFilter, ExportSort } from './export-repo.js';

/**
 * Accounts read from the database per query while an export streams. Only one page of rows is
 * held at a time (a sorted export also keeps the ids of all exported accounts in memory); 500 kept the
 * peak RSS of a 100,000-row export lower than 1000 in bench/spreadsheets.
 */
export const EXPORT_PAGE_SIZE = 500;

export interface ExportRequest {
  format: ExportFormat;
  includeSecrets: boolean;
  /** Accounts to export; without ids the filter (or nothing, meaning all accounts) applies. */
  ids?: number[];
  filter: Omit<AccountListInput, 'page' | 'pageSize' | 'order' | 'sort'>;
  /** The account list's order; without it the accounts are exported in id order. */
  sort?: ExportSort;
}

export type ExportService = ReturnType<typeof createExportService>;

/** Exports accounts as .xlsx or .csv, streaming page by page in the template's columns. */
export function createExportService({ db, logger, pageSize = EXPORT_PAGE_SIZE }: { db: Db; logger: Logger; pageSize?: number }) {
  /** Raises account_not_found (404) when any of the selected ids does not exist. */
  async function checkIds(ids: number[] | undefined): Promise<void> {
    if (!ids) return;
    const missing = await findMissingAccountIds(db, ids);
    if (missing.length > 0) throw errors.someNotFound('account', missing);
  }

  /** Writes the export to `output` and ends it; returns the number of accounts written. */
  async function writeExport(output: Writable, request: ExportRequest): Promise<number> {
    const writer = createAccountExportWriter(output, request.format, { includeSecrets: request.includeSecrets });
    const filter: ExportFilter = { ...request.filter, ids: request.ids };
    const count = request.sort ? await writeSorted(writer, filter, request.sort, request.includeSecrets) : await writeInIdOrder(writer, filter, request.includeSecrets);

    await writer.finish();
    logger.info({ format: request.format, accounts: count, includeSecrets: request.includeSecrets }, 'account export written');
    return count;
  }

  async function writeInIdOrder(writer: AccountExportWriter, filter: ExportFilter, includeSecrets: boolean): Promise<number> {
    let afterId = 0;
    let count = 0;
    for (;;) {
      const rows = await readAccountPage(db, filter, afterId, pageSize, includeSecrets);
      for (const row of rows) {
        await writer.addRow(row.values);
      }
      count += rows.length;
      if (rows.length < pageSize) return count;
      afterId = rows.at(-1)!.id;
    }
  }

  // Reads the sorted ids first and then the rows page by page, because a keyset page after the
  // last sort value would need that value exactly, and timestamps lose their microseconds in
  // a JavaScript Date. An account deleted in between is left out.
  async function writeSorted(writer: AccountExportWriter, filter: ExportFilter, sort: ExportSort, includeSecrets: boolean): Promise<number> {
    const ids = await listSortedAccountIds(db, filter, sort);
    let count = 0;
    for (let start = 0; start < ids.length; start += pageSize) {
      const rows = await readAccountsByIds(db, ids.slice(start, start + pageSize), includeSecrets);
      for (const row of rows) {
        await writer.addRow(row);
      }
      count += rows.length;
    }
    return count;
  }

  return { checkIds, writeExport };
}

export type { ExportRow };
