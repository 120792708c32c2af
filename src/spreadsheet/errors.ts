export type SpreadsheetErrorCode =
  | 'spreadsheet.not_a_spreadsheet'
  | 'spreadsheet.password_protected'
  | 'spreadsheet.too_large'
  | 'spreadsheet.too_many_rows'
  | 'spreadsheet.empty'
  | 'spreadsheet.no_data_rows'
  | 'spreadsheet.zip_bomb'
  | 'spreadsheet.invalid_csv'
  | 'spreadsheet.duplicate_column'
  | 'spreadsheet.unreadable';

/**
 * Error raised for a file that cannot be read as an account spreadsheet. `code` is stable and
 * meant for API clients. `message` states what is wrong and what the admin can do about it.
 */
export class SpreadsheetError extends Error {
  readonly code: SpreadsheetErrorCode;

  constructor(code: SpreadsheetErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SpreadsheetError';
    this.code = code;
  }
}
