import type { Logger } from 'pino';

import type { Db } from '../db/database.js';
import { uniqueViolation } from '../db/query-helpers.js';
import { errors } from '../errors.js';
import { checkDuplicatesInFile, checkNamesAgainstStored, type CheckedRow } from './import-checks.js';
import { findAccountsByName, findAccountsBySipUser, findProfileIdsByName, insertAccounts, sipUserKey, updateAccounts, type AccountChange } from './import-repo.js';
import { MAX_REPORTED_ERRORS, sortProblems, type ImportMode, type ImportProblem, type ImportReport } from './import-report.js';
import { mergeFields, sameFields, toRowBody, validateRowBody, type AccountFields, type StoredAccount } from './import-rows.js';
import { readAccountSheet, type SheetReadResult, type SheetRow } from './read-account-sheet.js';

export interface ImportLimits {
  /** Maximum data rows in one file. */
  maxRows: number;
  /** Maximum file size in bytes. */
  maxBytes: number;
}

/**
 * Defaults of HTEK_DMS_IMPORT_MAX_BYTES and HTEK_DMS_IMPORT_MAX_ROWS (src/config.ts). 100,000
 * rows is the largest import that bench/spreadsheets measured.
 */
export const DEFAULT_IMPORT_LIMITS: ImportLimits = { maxRows: 100_000, maxBytes: 30 * 1024 * 1024 };

export type ImportState = 'reading' | 'validating' | 'writing' | 'done' | 'failed';

export interface ImportProgress {
  state: ImportState;
  rowsRead: number;
  rowsValidated: number;
  rowsWritten: number;
  total: number | null;
}

export interface ImportOptions {
  mode: ImportMode;
  /** Called as the import advances; it is not awaited, so it must handle its own errors. */
  onProgress?: (progress: ImportProgress) => void;
}

export type ImportService = ReturnType<typeof createImportService>;

/** A row that passed its own checks, with what it writes; `fields` is left out when unchanged. */
interface PlannedRow {
  action: 'create' | 'update' | 'unchanged';
  fields: AccountFields | undefined;
  stored: StoredAccount | undefined;
}

const PROGRESS_STEP = 1000;

/** Imports account spreadsheets: reads, validates every row like the API, then writes. */
export function createImportService({ db, logger, limits = DEFAULT_IMPORT_LIMITS }: { db: Db; logger: Logger; limits?: ImportLimits }) {
  async function importFile(path: string, options: ImportOptions): Promise<ImportReport> {
    const progress: ImportProgress = { state: 'reading', rowsRead: 0, rowsValidated: 0, rowsWritten: 0, total: null };
    const report = (next: Partial<ImportProgress>) => {
      Object.assign(progress, next);
      options.onProgress?.({ ...progress });
    };

    report({});
    const sheet = await readAccountSheet({ path }, limits);
    report({ state: 'validating', rowsRead: sheet.rows.length, total: sheet.rows.length });
    logger.info({ mode: options.mode, rows: sheet.rows.length }, 'account import started');

    const headerProblems = checkHeader(sheet);
    if (sheet.missingRequired.length > 0) {
      return finish(options.mode, sheet.rows.length, { created: 0, updated: 0, unchanged: 0, skipped: sheet.rows.length }, headerProblems);
    }

    const rowCount = sheet.rows.length;
    const { planned, problems } = await planRows(sheet.rows, (validated) => report({ rowsValidated: validated }));
    // The sheet rows are no longer needed: the plan holds what is written.
    sheet.rows = [];
    report({ rowsValidated: rowCount });
    const allProblems = [...headerProblems, ...problems];
    const counts = countActions(planned, rowCount);

    if (options.mode === 'dry-run') {
      return finish(options.mode, rowCount, counts, allProblems);
    }
    if (options.mode === 'all-or-nothing' && allProblems.length > 0) {
      logger.info({ rows: rowCount, problems: allProblems.length }, 'account import rejected; nothing written');
      return finish(options.mode, rowCount, { created: 0, updated: 0, unchanged: 0, skipped: rowCount }, allProblems);
    }

    report({ state: 'writing' });
    await writeRows(planned, (written) => report({ rowsWritten: written }));
    logger.info({ mode: options.mode, ...counts }, 'account import written');
    return finish(options.mode, rowCount, counts, allProblems);
  }

  async function planRows(rows: SheetRow[], onValidated: (count: number) => void): Promise<{ planned: PlannedRow[]; problems: ImportProblem[] }> {
    const profiles = await findProfileIdsByName(db);
    const checked = rows.map((row) => resolveProfile(row, profiles));

    const pairs = checked.flatMap((item) => (item.profileId !== undefined && item.row.values.sipUserId ? [{ profileId: item.profileId, sipUserId: item.row.values.sipUserId }] : []));
    const stored = await findAccountsBySipUser(db, pairs);

    // Each row is converted, validated and merged with its stored account in one step, so
    // only the merged fields stay in memory, not the intermediate API body of every row.
    const plans = checked.map((item, index) => {
      const sipUserId = item.row.values.sipUserId;
      const existing = item.profileId !== undefined && sipUserId ? stored.get(sipUserKey(item.profileId, sipUserId)) : undefined;
      item.existingId = existing?.id;

      const rowBody = toRowBody(item.row, item.profileId, !existing);
      rowBody.problems.unshift(...item.problems);
      item.problems = validateRowBody(item.row, rowBody, !existing);
      if ((index + 1) % PROGRESS_STEP === 0) onValidated(index + 1);
      return item.problems.length > 0 ? undefined : planRow(rowBody.body, existing);
    });

    checkDuplicatesInFile(checked);
    const names = checked.flatMap((item) => (item.row.values.name ? [item.row.values.name.toLowerCase()] : []));
    checkNamesAgainstStored(checked, await findAccountsByName(db, names));

    const planned: PlannedRow[] = [];
    checked.forEach((item, index) => {
      const plan = plans[index];
      if (plan && item.problems.length === 0) planned.push(plan);
    });
    return { planned, problems: checked.flatMap((item) => item.problems) };
  }

  async function writeRows(planned: PlannedRow[], onWritten: (count: number) => void): Promise<void> {
    const creates = planned.flatMap((item) => (item.action === 'create' && item.fields ? [item.fields] : []));
    const changes: AccountChange[] = planned.flatMap((item) =>
      item.action === 'update' && item.stored && item.fields ? [{ id: item.stored.id, version: item.stored.version, fields: item.fields }] : [],
    );

    try {
      await db.transaction().execute(async (trx) => {
        const stale = await updateAccounts(trx, changes, onWritten);
        if (stale.length > 0) {
          throw errors.importConflict(
            `Account(s) ${stale.slice(0, 20).join(', ')} were changed by someone else during the import. Nothing was written; upload the file again.`,
            { accountIds: stale },
          );
        }
        await insertAccounts(trx, creates, (written) => onWritten(changes.length + written));
      });
    } catch (error) {
      const constraint = uniqueViolation(error);
      if (constraint === undefined) throw error;
      logger.warn({ constraint }, 'account import hit a unique constraint; nothing written');
      throw errors.importConflict(
        'Another change added an account with the same name or SIP User ID during the import. Nothing was written; upload the file again to see which rows clash.',
        { constraint },
      );
    }
  }

  return { importFile, limits };
}

function planRow(body: Record<string, unknown>, existing: StoredAccount | undefined): PlannedRow {
  const fields = mergeFields(body, existing);
  if (!existing) return { action: 'create', fields, stored: undefined };
  if (sameFields(fields, existing)) return { action: 'unchanged', fields: undefined, stored: existing };
  return { action: 'update', fields, stored: existing };
}

function resolveProfile(row: SheetRow, profiles: Map<string, { id: number; name: string }>): CheckedRow {
  const name = row.values.profile;
  const checked: CheckedRow = { row, profileId: undefined, existingId: undefined, problems: [] };
  if (name === undefined || name === '') {
    checked.problems.push({ row: row.rowNumber, column: 'Profile', value: '', message: 'must not be empty; choose one of the existing profiles' });
    return checked;
  }

  const profile = profiles.get(name.toLowerCase());
  if (profile) {
    checked.profileId = profile.id;
  } else {
    checked.problems.push({ row: row.rowNumber, column: 'Profile', value: name, message: 'is not an existing profile; create the profile first or choose one from the drop-down list of the template' });
  }
  return checked;
}

/** Problems of the header row: unknown columns and missing required ones. */
function checkHeader(sheet: SheetReadResult): ImportProblem[] {
  const unknown = sheet.unknownColumns.map((header) => ({
    row: 1,
    column: header,
    value: header,
    message: 'is not a column of the template; rename it to one of the template headers (see the Help sheet) or delete the column',
  }));
  const missing = sheet.missingRequired.map((header) => ({
    row: 1,
    column: header,
    value: '',
    message: 'is a required column but missing from the header row; add it as in the template',
  }));
  return [...missing, ...unknown];
}

function countActions(planned: PlannedRow[], rows: number) {
  const count = (action: PlannedRow['action']) => planned.filter((item) => item.action === action).length;
  return { created: count('create'), updated: count('update'), unchanged: count('unchanged'), skipped: rows - planned.length };
}

function finish(mode: ImportMode, rows: number, counts: Pick<ImportReport, 'created' | 'updated' | 'unchanged' | 'skipped'>, problems: ImportProblem[]): ImportReport {
  const sorted = sortProblems(problems);
  return {
    mode,
    rows,
    ...counts,
    errors: sorted.slice(0, MAX_REPORTED_ERRORS),
    moreErrors: Math.max(0, sorted.length - MAX_REPORTED_ERRORS),
  };
}
