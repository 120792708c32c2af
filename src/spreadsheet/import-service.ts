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

// NOTE: these defaults are not settings yet; the 100,000-row limit is the largest import that
// bench/spreadsheets measured.
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

/** A row that passed every check, with what it writes. */
interface PlannedRow {
  action: 'create' | 'update' | 'unchanged';
  fields: AccountFields;
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

    const { planned, problems } = await planRows(sheet.rows, (validated) => report({ rowsValidated: validated }));
    report({ rowsValidated: sheet.rows.length });
    const allProblems = [...headerProblems, ...problems];
    const counts = countActions(planned, sheet.rows.length);

    if (options.mode === 'dry-run') {
      return finish(options.mode, sheet.rows.length, counts, allProblems);
    }
    if (options.mode === 'all-or-nothing' && allProblems.length > 0) {
      logger.info({ rows: sheet.rows.length, problems: allProblems.length }, 'account import rejected; nothing written');
      return finish(options.mode, sheet.rows.length, { created: 0, updated: 0, unchanged: 0, skipped: sheet.rows.length }, allProblems);
    }

    report({ state: 'writing' });
    await writeRows(planned, (written) => report({ rowsWritten: written }));
    logger.info({ mode: options.mode, ...counts }, 'account import written');
    return finish(options.mode, sheet.rows.length, counts, allProblems);
  }

  async function planRows(rows: SheetRow[], onValidated: (count: number) => void): Promise<{ planned: PlannedRow[]; problems: ImportProblem[] }> {
    const profiles = await findProfileIdsByName(db);
    const checked = rows.map((row) => resolveProfile(row, profiles));

    const pairs = checked.flatMap((item) => (item.profileId !== undefined && item.row.values.sipUserId ? [{ profileId: item.profileId, sipUserId: item.row.values.sipUserId }] : []));
    const stored = await findAccountsBySipUser(db, pairs);

    const bodies = checked.map((item, index) => {
      const sipUserId = item.row.values.sipUserId;
      const existing = item.profileId !== undefined && sipUserId ? stored.get(sipUserKey(item.profileId, sipUserId)) : undefined;
      item.existingId = existing?.id;

      const rowBody = toRowBody(item.row, item.profileId, !existing);
      rowBody.problems.unshift(...item.problems);
      item.problems = validateRowBody(item.row, rowBody, !existing);
      if ((index + 1) % PROGRESS_STEP === 0) onValidated(index + 1);
      return { body: rowBody.body, existing };
    });

    checkDuplicatesInFile(checked);
    const names = checked.flatMap((item) => (item.row.values.name ? [item.row.values.name.toLowerCase()] : []));
    checkNamesAgainstStored(checked, await findAccountsByName(db, names));

    const planned: PlannedRow[] = [];
    checked.forEach((item, index) => {
      if (item.problems.length > 0) return;
      const { body, existing } = bodies[index]!;
      const fields = mergeFields(body, existing);
      const action = !existing ? 'create' : sameFields(fields, existing) ? 'unchanged' : 'update';
      planned.push({ action, fields, stored: existing });
    });
    return { planned, problems: checked.flatMap((item) => item.problems) };
  }

  async function writeRows(planned: PlannedRow[], onWritten: (count: number) => void): Promise<void> {
    const creates = planned.filter((item) => item.action === 'create').map((item) => item.fields);
    const changes: AccountChange[] = planned
      .filter((item) => item.action === 'update' && item.stored)
      .map((item) => ({ id: item.stored!.id, version: item.stored!.version, fields: item.fields }));

    try {
      await db.transaction().execute(async (trx) => {
        const stale = await updateAccounts(trx, changes, onWritten);
        if (stale.length > 0) {
          throw errors.conflict(
            'import_conflict',
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
      throw errors.conflict(
        'import_conflict',
        'Another change added an account with the same name or SIP User ID during the import. Nothing was written; upload the file again to see which rows clash.',
        { constraint },
      );
    }
  }

  return { importFile, limits };
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
