import { AppError, errors } from '../errors.js';
import { SpreadsheetError, type SpreadsheetErrorCode } from './errors.js';

const statusByCode: Partial<Record<SpreadsheetErrorCode, number>> = {
  'spreadsheet.too_large': 413,
  'spreadsheet.zip_bomb': 413,
};

/**
 * Turns a failure of reading an uploaded file into the API's error: 400 for a file that is not
 * a readable account spreadsheet, 413 for one over the limits. Other errors become 500.
 */
export function toImportError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof SpreadsheetError) {
    return new AppError(error.code, statusByCode[error.code] ?? 400, `${error.message} Nothing was imported.`);
  }
  return errors.internal();
}
