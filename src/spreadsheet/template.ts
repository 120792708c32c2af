import ExcelJS from 'exceljs';

import { ACCOUNT_COLUMNS, DEFAULT_LOCAL_SIP_PORT, type AccountColumn } from './account-columns.js';
import { ACCOUNTS_SHEET, accountColumnDefinitions, isTextFormatted, LAST_ROW } from './sheet-layout.js';

const LISTS_SHEET = 'Lists';
const HELP_SHEET = 'Help';

/** The range API of exceljs's data validations, which index.d.ts does not declare. */
interface DataValidationRanges {
  add(range: string, validation: ExcelJS.DataValidation): void;
}

function columnLetter(columnNumber: number): string {
  let letters = '';
  let remaining = columnNumber;
  while (remaining > 0) {
    const digit = (remaining - 1) % 26;
    letters = String.fromCharCode(65 + digit) + letters;
    remaining = Math.floor((remaining - 1) / 26);
  }
  return letters;
}

function validationFor(column: AccountColumn, profileCount: number): ExcelJS.DataValidation | undefined {
  switch (column.kind) {
    case 'yesno':
      return {
        type: 'list',
        allowBlank: true,
        formulae: ['"yes,no"'],
        showErrorMessage: true,
        errorTitle: column.header,
        error: 'Choose yes or no.',
      };
    case 'profile':
      if (profileCount === 0) {
        return undefined;
      }
      return {
        type: 'list',
        allowBlank: true,
        formulae: [`${LISTS_SHEET}!$A$1:$A$${profileCount}`],
        showErrorMessage: true,
        errorTitle: column.header,
        error: 'Choose one of the existing profiles from the list.',
      };
    case 'port':
      return {
        type: 'whole',
        operator: 'between',
        allowBlank: true,
        formulae: [1, 65535],
        showErrorMessage: true,
        errorTitle: column.header,
        error: 'Enter a port number from 1 to 65535.',
      };
    default:
      return undefined;
  }
}

function addAccountsSheet(workbook: ExcelJS.Workbook, profileCount: number): void {
  const sheet = workbook.addWorksheet(ACCOUNTS_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = accountColumnDefinitions(ACCOUNT_COLUMNS);
  sheet.getRow(1).font = { bold: true };

  // Whole-column ranges through the range API: per-cell validations make exceljs 4.4.0 write
  // overlapping ranges, and LibreOffice then applies only the first one.
  // NOTE: exceljs's non-streaming Workbook.xlsx.load expands each of these ranges into a
  // million cell entries. Loading this template took about 20 s and 660 MB on a busy test
  // machine. readAccountSheet uses the streaming reader, which skips validations.
  const validations = (sheet as unknown as { dataValidations: DataValidationRanges }).dataValidations;
  ACCOUNT_COLUMNS.forEach((column, index) => {
    const validation = validationFor(column, profileCount);
    if (validation) {
      const letter = columnLetter(index + 1);
      validations.add(`${letter}2:${letter}${LAST_ROW}`, validation);
    }
  });
}

function addListsSheet(workbook: ExcelJS.Workbook, profileNames: readonly string[]): void {
  const sheet = workbook.addWorksheet(LISTS_SHEET, { state: 'veryHidden' });
  sheet.getColumn(1).numFmt = '@';
  profileNames.forEach((name, index) => {
    sheet.getCell(index + 1, 1).value = name;
  });
}

function formatDescription(column: AccountColumn): string {
  switch (column.kind) {
    case 'yesno':
      return 'yes or no';
    case 'port':
      return `Whole number from 1 to 65535; blank means ${DEFAULT_LOCAL_SIP_PORT}`;
    case 'profile':
      return 'Profile name, chosen from the drop-down list';
    case 'secret':
      return 'Text; exported only when secrets are included';
    default:
      return isTextFormatted(column) ? 'Text (leading zeros are kept)' : 'Text';
  }
}

function allowedValues(column: AccountColumn, profileNames: readonly string[]): string {
  switch (column.kind) {
    case 'yesno':
      return 'yes, no (also true/false, 1/0, y/n, on/off)';
    case 'port':
      return '1-65535';
    case 'profile':
      return describeProfiles(profileNames);
    default:
      return 'Any text';
  }
}

/** Maximum length of the profile list in the Help sheet. An Excel cell contains at most 32,767 characters. */
const MAX_PROFILE_LIST_LENGTH = 1000;

function describeProfiles(profileNames: readonly string[]): string {
  if (profileNames.length === 0) {
    return 'No profile exists yet: add one before the import';
  }

  const list = profileNames.join(', ');
  return list.length <= MAX_PROFILE_LIST_LENGTH ? list : 'One of the profiles in the drop-down list';
}

function addHelpSheet(workbook: ExcelJS.Workbook, profileNames: readonly string[]): void {
  const sheet = workbook.addWorksheet(HELP_SHEET);
  sheet.columns = [
    { header: 'Column', width: 26 },
    { header: 'Required', width: 10 },
    { header: 'Format', width: 44 },
    { header: 'Allowed values', width: 40 },
    { header: 'Example', width: 28 },
    { header: 'Description', width: 80 },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.getColumn(5).numFmt = '@';

  for (const column of ACCOUNT_COLUMNS) {
    sheet.addRow([
      column.header,
      column.required ? 'yes' : 'no',
      formatDescription(column),
      allowedValues(column, profileNames),
      column.example,
      column.description,
    ]);
  }
  sheet.addRow([]);
  sheet.addRow(['Fill in one account per row on the Accounts sheet. Columns marked * are required; keep the header row.']);
}

/**
 * Builds the import template as an .xlsx file: an "Accounts" sheet with the header row,
 * drop-downs and text-formatted ID columns, a hidden "Lists" sheet with the profile names for
 * the Profile drop-down, and a "Help" sheet describing every column.
 */
export async function writeAccountTemplate(profileNames: string[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'htek-dms';

  addAccountsSheet(workbook, profileNames.length);
  addHelpSheet(workbook, profileNames);
  addListsSheet(workbook, profileNames);

  const written = await workbook.xlsx.writeBuffer();
  return Buffer.from(written as ArrayBuffer);
}
