import { stat } from 'node:fs/promises';

import { ACCOUNT_COLUMNS, isSecretColumn, type ColumnKey } from './account-columns.js';
import { SpreadsheetError } from './errors.js';
import { detectSpreadsheetFormat } from './file-type.js';
import { mapHeaderRow, trimCell, type HeaderMap } from './header-map.js';
import { readCsvRows } from './read-csv.js';
import { readXlsxRows } from './read-xlsx.js';
import type { RawRow } from './sheet-rows.js';
import { formatYesNo, parseYesNo } from './yes-no.js';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip-check.js';

export interface SheetReadOptions {
  /** Maximum number of data rows (blank rows and the header not counted). */
  maxRows: number;
  /** Maximum file size in bytes. */
  maxBytes: number;
  /** Limits on the decompressed content of an .xlsx file; defaults to DEFAULT_ZIP_LIMITS. */
  zipLimits?: ZipLimits;
}

export interface SheetRow {
  /** The spreadsheet's own 1-based row number, as shown in Excel. */
  rowNumber: number;
  /**
   * Cell texts of the known columns, trimmed except in the secret columns (password and PIN),
   * whose text is kept exactly. A blank cell, or one of only spaces, is "". A column absent
   * from the sheet has no key. Yes/no columns hold "yes" or "no" when the cell has a
   * recognized yes/no word.
   */
  values: Partial<Record<ColumnKey, string>>;
}

export interface SheetReadResult extends HeaderMap {
  rows: SheetRow[];
}

const YES_NO_KEYS: ReadonlySet<ColumnKey> = new Set(
  ACCOUNT_COLUMNS.filter((column) => column.kind === 'yesno').map((column) => column.key),
);

// A password or PIN is stored exactly as given, so its surrounding spaces are kept and the
// account rules reject them with the row and column, as the API does.
const SECRET_KEYS: ReadonlySet<ColumnKey> = new Set(ACCOUNT_COLUMNS.filter(isSecretColumn).map((column) => column.key));

function isBlankRow(row: RawRow): boolean {
  return row.cells.every((cell) => trimCell(cell) === '');
}

function toSheetRow(row: RawRow, header: HeaderMap): SheetRow {
  const values: Partial<Record<ColumnKey, string>> = {};

  for (const column of header.columns) {
    const cell = row.cells[column.columnIndex - 1] ?? '';
    const text = trimCell(cell);
    if (SECRET_KEYS.has(column.key)) {
      values[column.key] = text === '' ? '' : cell;
      continue;
    }

    const yesNo = YES_NO_KEYS.has(column.key) ? parseYesNo(text) : undefined;
    values[column.key] = yesNo === undefined ? text : formatYesNo(yesNo);
  }
  return { rowNumber: row.rowNumber, values };
}

async function checkFileSize(path: string, maxBytes: number): Promise<void> {
  const { size } = await stat(path);

  if (size === 0) {
    throw new SpreadsheetError('spreadsheet.empty', 'The uploaded file is empty. Fill in the template and upload it again.');
  }
  if (size > maxBytes) {
    throw new SpreadsheetError(
      'spreadsheet.too_large',
      `The file is ${size} bytes, more than the maximum of ${maxBytes} bytes. Split the accounts into several files and import them one after the other.`,
    );
  }
}

/**
 * Reads an account spreadsheet (.xlsx or .csv, detected by content) from a file. The first
 * non-blank row is the header; fully blank rows are skipped.
 *
 * Raises a SpreadsheetError for a file that is not a readable spreadsheet, too large, has
 * too many rows, no header or no data rows.
 */
export async function readAccountSheet(input: { path: string }, options: SheetReadOptions): Promise<SheetReadResult> {
  await checkFileSize(input.path, options.maxBytes);
  const format = await detectSpreadsheetFormat(input.path);
  const source =
    format === 'xlsx' ? readXlsxRows(input.path, options.zipLimits ?? DEFAULT_ZIP_LIMITS) : readCsvRows(input.path);

  let header: HeaderMap | undefined;
  const rows: SheetRow[] = [];
  for await (const row of source) {
    if (isBlankRow(row)) {
      continue;
    }
    if (!header) {
      header = mapHeaderRow(row.cells);
      continue;
    }

    if (rows.length >= options.maxRows) {
      throw new SpreadsheetError(
        'spreadsheet.too_many_rows',
        `The file has more than ${options.maxRows} account rows (row ${row.rowNumber} is over the limit). Split it into files of at most ${options.maxRows} rows.`,
      );
    }
    rows.push(toSheetRow(row, header));
  }

  if (!header) {
    throw new SpreadsheetError(
      'spreadsheet.empty',
      'The sheet has no rows. Fill in the template, starting with the header row in row 1, and upload it again.',
    );
  }
  if (rows.length === 0) {
    throw new SpreadsheetError(
      'spreadsheet.no_data_rows',
      'The sheet has a header row but no account rows. Add one account per row below the header and upload it again.',
    );
  }
  return { ...header, rows };
}
