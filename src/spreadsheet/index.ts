/**
 * Account spreadsheets: the import template, reading .xlsx and .csv uploads, and streaming
 * exports. Nothing here touches the database; exceljs and csv-parse stay behind this module.
 */
export {
  ACCOUNT_COLUMNS,
  DEFAULT_LOCAL_SIP_PORT,
  findColumnByHeader,
  formatHeader,
  isSecretColumn,
  type AccountColumn,
  type ColumnKey,
  type ColumnKind,
} from './account-columns.js';
export { SpreadsheetError, type SpreadsheetErrorCode } from './errors.js';
export {
  createAccountExportWriter,
  type AccountExportWriter,
  type ExportCellValue,
  type ExportFormat,
  type ExportOptions,
  type ExportRow,
} from './export-writer.js';
export { type MappedColumn } from './header-map.js';
export {
  readAccountSheet,
  type SheetReadOptions,
  type SheetReadResult,
  type SheetRow,
} from './read-account-sheet.js';
export { writeAccountTemplate } from './template.js';
export { formatYesNo, parseYesNo } from './yes-no.js';
export { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip-check.js';
