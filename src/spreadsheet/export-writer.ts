import { once } from 'node:events';
import type { Writable } from 'node:stream';

import ExcelJS from 'exceljs';

import { ACCOUNT_COLUMNS, formatHeader, isSecretColumn, type AccountColumn, type ColumnKey } from './account-columns.js';
import { encodeXlsxEscapes, formatPlainNumber } from './cell-text.js';
import { formatCsvRecord } from './csv-format.js';
import { guardCsvField } from './formula-guard.js';
import { ACCOUNTS_SHEET, accountColumnDefinitions } from './sheet-layout.js';
import { formatYesNo, parseYesNo } from './yes-no.js';

export type ExportFormat = 'xlsx' | 'csv';
export type ExportCellValue = string | boolean | number | null;
export type ExportRow = Partial<Record<ColumnKey, ExportCellValue>>;

export interface ExportOptions {
  /**
   * Whether the Authenticate Password and PIN columns are written. Without secrets the two
   * columns are left out, and an import of that file keeps the stored secrets.
   */
  includeSecrets: boolean;
}

export interface AccountExportWriter {
  /** Adds one account row. Await the promise to respect back-pressure of the output stream. */
  addRow(values: ExportRow): Promise<void>;
  /** Writes the end of the file. The output stream is ended when the promise resolves. */
  finish(): Promise<void>;
}

const UTF8_BOM = '\ufeff';

function toCellText(column: AccountColumn, value: ExportCellValue | undefined): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (column.kind === 'yesno') {
    const flag = typeof value === 'boolean' ? value : parseYesNo(String(value));
    return flag === undefined ? String(value) : formatYesNo(flag);
  }
  if (typeof value === 'number') {
    return formatPlainNumber(value);
  }
  return String(value);
}

function exportedColumns(options: ExportOptions): AccountColumn[] {
  return ACCOUNT_COLUMNS.filter((column) => options.includeSecrets || !isSecretColumn(column));
}

function createCsvWriter(output: Writable, columns: readonly AccountColumn[]): AccountExportWriter {
  async function write(text: string): Promise<void> {
    if (!output.write(text)) {
      await once(output, 'drain');
    }
  }

  const headerWritten = write(UTF8_BOM + formatCsvRecord(columns.map(formatHeader)));
  // A failing output rejects the next addRow or finish; this only keeps the rejection handled
  // when neither is called before the failure.
  headerWritten.catch(() => undefined);

  return {
    async addRow(values) {
      await headerWritten;
      const fields = columns.map((column) => guardCsvField(toCellText(column, values[column.key as ColumnKey])));
      await write(formatCsvRecord(fields));
    },
    async finish() {
      await headerWritten;
      output.end();
      await once(output, 'finish');
    },
  };
}

function createXlsxWriter(output: Writable, columns: readonly AccountColumn[]): AccountExportWriter {
  // NOTE: without styles the columns carry no text format, so a number typed into a new row
  // of an exported file loses its leading zeros. The template has the format. Writing the
  // styles made a 100,000-row, 17-column export about three times slower in a one-off run
  // on a shared test machine (10.6 s instead of 3.4 s).
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: output,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(ACCOUNTS_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = accountColumnDefinitions(columns);

  return {
    async addRow(values) {
      // Every non-blank cell gets a string value, which exceljs writes as a text cell (t="str",
      // no <f> element), so no spreadsheet program evaluates text such as "=1+1" as a formula.
      const cells = columns.map((column) => {
        const text = toCellText(column, values[column.key as ColumnKey]);
        return text === '' ? null : encodeXlsxEscapes(text);
      });
      sheet.addRow(cells).commit();

      // exceljs does not wait for the output, so the compressed data would pile up in memory
      // behind a slow reader; waiting here while the output's buffer is full bounds it.
      if (output.writableNeedDrain) {
        await once(output, 'drain');
      }
    },
    async finish() {
      sheet.commit();
      await workbook.commit();
    },
  };
}

/**
 * Creates a streaming writer for an account export: the header row of the import template,
 * then one row per `addRow`, every cell as text. Rows are flushed to `output` as they are
 * added, so a large export does not stay in memory. The promise of `addRow` waits while
 * `output` is over its high-water mark.
 *
 * NOTE: for 'xlsx' that wait covers only `output`. exceljs 4.4 and its zip stream still buffer
 * the rows committed since the last flush, which is why the writer commits every row.
 */
export function createAccountExportWriter(
  output: Writable,
  format: ExportFormat,
  options: ExportOptions,
): AccountExportWriter {
  const columns = exportedColumns(options);
  return format === 'csv' ? createCsvWriter(output, columns) : createXlsxWriter(output, columns);
}
