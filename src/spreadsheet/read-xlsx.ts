import { createReadStream } from 'node:fs';

import ExcelJS from 'exceljs';

import { cellValueToText } from './cell-text.js';
import { SpreadsheetError } from './errors.js';
import type { RawRow } from './sheet-rows.js';
import { checkZipArchive, type ZipLimits } from './zip-check.js';

const ACCOUNTS_SHEET_NAME = /^\s*accounts\s*$/i;

/** The parts of exceljs's streaming worksheet reader that are used here (missing from index.d.ts). */
interface StreamWorksheet extends AsyncIterable<ExcelJS.Row> {
  name?: string;
}

interface StreamWorkbookModel {
  sheets?: { name: string }[];
}

/**
 * Picks the sheet to read: the first sheet named "Accounts" (any case), else the first sheet
 * of the workbook. Returns undefined when the workbook part had not been read yet.
 */
function chooseSheetName(model: StreamWorkbookModel | undefined): string | undefined {
  const sheets = model?.sheets ?? [];
  const accountsSheet = sheets.find((sheet) => ACCOUNTS_SHEET_NAME.test(sheet.name));
  return (accountsSheet ?? sheets[0])?.name;
}

function rowToRaw(row: ExcelJS.Row): RawRow {
  const cells: string[] = [];

  row.eachCell({ includeEmpty: false }, (cell, columnNumber) => {
    cells[columnNumber - 1] = cellValueToText(cell.value);
  });
  for (let index = 0; index < cells.length; index++) {
    cells[index] ??= '';
  }
  return { rowNumber: row.number, cells };
}

/**
 * Streams the rows of the account sheet of an .xlsx file. The archive is checked for zip bombs
 * before exceljs unzips it.
 */
export async function* readXlsxRows(path: string, zipLimits: ZipLimits): AsyncGenerator<RawRow> {
  const entries = await checkZipArchive(path, zipLimits);
  if (!entries.some((entry) => entry.name === 'xl/workbook.xml')) {
    throw new SpreadsheetError(
      'spreadsheet.not_a_spreadsheet',
      'The zip file is not an Excel workbook (it has no xl/workbook.xml). Save the account list as "Excel Workbook (.xlsx)" or CSV and upload it again.',
    );
  }

  // Styles are read so that date cells come back as dates rather than serial numbers.
  const input = createReadStream(path);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });

  let firstSheetSeen = false;
  try {
    for await (const worksheet of reader as unknown as AsyncIterable<StreamWorksheet>) {
      const wanted = chooseSheetName((reader as unknown as { model?: StreamWorkbookModel }).model);
      const isWanted = wanted === undefined ? !firstSheetSeen : worksheet.name === wanted;
      firstSheetSeen = true;
      if (!isWanted) {
        continue;
      }

      for await (const row of worksheet) {
        yield rowToRaw(row);
      }
      return;
    }
  } catch (error) {
    if (error instanceof SpreadsheetError) {
      throw error;
    }
    throw new SpreadsheetError(
      'spreadsheet.unreadable',
      'The .xlsx file could not be read. Open it in Excel or LibreOffice, save it again as .xlsx and upload the new file.',
      { cause: error },
    );
  } finally {
    input.destroy();
  }
}
