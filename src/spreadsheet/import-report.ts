import { ACCOUNT_COLUMNS, isSecretColumn, type ColumnKey } from './account-columns.js';

export type ImportMode = 'dry-run' | 'all-or-nothing' | 'valid-rows';

export const IMPORT_MODES: readonly ImportMode[] = ['dry-run', 'all-or-nothing', 'valid-rows'];

/** One problem of an import, located the way the admin sees the file. */
export interface ImportProblem {
  /** The spreadsheet's own row number (1 is the header row). */
  row: number;
  /** Column header as in the template, e.g. "SIP User ID". */
  column: string;
  /** Cell text as read; passwords and PINs are masked. */
  value: string;
  /** What is wrong and what to do. */
  message: string;
}

export interface ImportReport {
  mode: ImportMode;
  /** Data rows read from the file. */
  rows: number;
  /** Rows that created an account (dry run: rows that would). */
  created: number;
  /** Rows that changed an existing account (dry run: rows that would). */
  updated: number;
  /** Rows equal to the stored account. */
  unchanged: number;
  /** Rows not written because of problems. */
  skipped: number;
  errors: ImportProblem[];
  /** Problems left out of `errors` because the list is capped at MAX_REPORTED_ERRORS. */
  moreErrors: number;
}

/** Cap on the problems listed in one report, so a file of 100,000 broken rows stays readable. */
export const MAX_REPORTED_ERRORS = 1000;

/** Placeholder shown instead of a password or PIN in the report. */
export const MASKED_VALUE = '***';

const headerByKey = new Map<string, string>(ACCOUNT_COLUMNS.map((column) => [column.key, column.header]));
const secretKeys = new Set<string>(ACCOUNT_COLUMNS.filter(isSecretColumn).map((column) => column.key));

/** Header of the template column for an account field; `profileId` is the Profile column. */
export function columnHeaderOf(field: string): string {
  const key = field === 'profileId' ? 'profile' : field;
  return headerByKey.get(key) ?? field;
}

/** Cell text for the report, masked for secret columns. A blank secret stays blank. */
export function reportedValue(key: ColumnKey | string, text: string | undefined): string {
  if (text === undefined) {
    return '';
  }
  return secretKeys.has(key) && text !== '' ? MASKED_VALUE : text;
}

/** Orders problems by row, then by the column's position in the template. */
export function sortProblems(problems: ImportProblem[]): ImportProblem[] {
  const position = new Map<string, number>(ACCOUNT_COLUMNS.map((column, index) => [column.header, index]));
  return problems.sort((a, b) => a.row - b.row || (position.get(a.column) ?? 99) - (position.get(b.column) ?? 99));
}
