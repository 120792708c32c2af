import { ACCOUNT_COLUMNS, findColumnByHeader, isSecretColumn, type ColumnKey } from './account-columns.js';
import { SpreadsheetError } from './errors.js';

export interface MappedColumn {
  key: ColumnKey;
  /** Header text as found in the sheet, trimmed. */
  header: string;
  /** 1-based column number in the sheet (A = 1). */
  columnIndex: number;
}

export interface HeaderMap {
  columns: MappedColumn[];
  unknownColumns: string[];
  missingRequired: string[];
}

/** Trims spaces and no-break spaces, but not tabs or line breaks, which may be data. */
export function trimCell(text: string): string {
  return text.replace(/^[ \u00a0\u202f\ufeff]+|[ \u00a0\u202f\ufeff]+$/g, '');
}

/**
 * Maps a header row to account columns by header text, in any order and case. A column with a
 * blank header is ignored; an unknown header is reported; the same column twice is an error.
 *
 * `missingRequired` lists the headers of required columns that are absent, except the secret
 * columns: an export without secrets leaves them out, and an import then keeps the stored
 * passwords and PINs. Whether a new account has them is a row check for the importer.
 */
export function mapHeaderRow(cells: readonly string[]): HeaderMap {
  const columns: MappedColumn[] = [];
  const unknownColumns: string[] = [];

  cells.forEach((cell, index) => {
    const header = trimCell(cell);
    if (header === '') {
      return;
    }

    const column = findColumnByHeader(header);
    if (!column) {
      unknownColumns.push(header);
      return;
    }

    const earlier = columns.find((mapped) => mapped.key === column.key);
    if (earlier) {
      throw new SpreadsheetError(
        'spreadsheet.duplicate_column',
        `The column "${column.header}" appears twice (columns ${earlier.columnIndex} and ${index + 1}). Delete one of them and upload the file again.`,
      );
    }
    columns.push({ key: column.key, header, columnIndex: index + 1 });
  });

  const presentKeys = new Set(columns.map((column) => column.key));
  const missingRequired = ACCOUNT_COLUMNS.filter(
    (column) => column.required && !isSecretColumn(column) && !presentKeys.has(column.key),
  ).map((column) => column.header);

  return { columns, unknownColumns, missingRequired };
}
