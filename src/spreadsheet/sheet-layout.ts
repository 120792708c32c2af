import type ExcelJS from 'exceljs';

import { formatHeader, type AccountColumn } from './account-columns.js';

export const ACCOUNTS_SHEET = 'Accounts';
/** Last row of an .xlsx sheet; whole-column ranges end here. */
export const LAST_ROW = 1048576;
export const TEXT_FORMAT = '@';

/** Kinds of column whose cells are formatted as text, so Excel keeps leading zeros and long digit strings. */
export function isTextFormatted(column: AccountColumn): boolean {
  return column.kind === 'text' || column.kind === 'secret' || column.kind === 'profile';
}

/** Column definitions for the Accounts sheet: header, width and the text format where it applies. */
export function accountColumnDefinitions(columns: readonly AccountColumn[]): Partial<ExcelJS.Column>[] {
  return columns.map((column) => {
    const header = formatHeader(column);
    const definition: Partial<ExcelJS.Column> = {
      header,
      key: column.key,
      width: Math.max(header.length + 4, 14),
    };
    if (isTextFormatted(column)) {
      definition.style = { numFmt: TEXT_FORMAT };
    }
    return definition;
  });
}
