import { AppError, errors } from '../errors.js';
import { SpreadsheetError } from './errors.js';

/**
 * Turns a failure of reading an uploaded file into the API's error through the catalogue: 400
 * for a file that is not a readable account spreadsheet, 413 for one over the limits. Other
 * errors become 500.
 */
export function toImportError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof SpreadsheetError) {
    return errors.spreadsheetRejected(error.code, `${error.message} Nothing was imported.`);
  }
  return errors.internal();
}
