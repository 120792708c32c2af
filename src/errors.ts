/**
 * The error catalogue: every failure the API reports has a stable code, an HTTP status and a
 * message that tells the caller what to do. Services throw these; the error handler renders them.
 */

export interface FieldProblem {
  /** JSON field name, e.g. `sipUserId`. */
  field: string;
  /** The value received, left out for secrets. */
  value?: unknown;
  /** The rule it broke, as a sentence. */
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const errors = {
  validationFailed: (problems: FieldProblem[]) =>
    new AppError('validation_failed', 400, describeProblems(problems), { fields: problems }),

  notFound: (resource: string, id: number | string) =>
    new AppError(`${resource}_not_found`, 404, `No ${resource} with id ${JSON.stringify(id)} exists; list them with GET ${listRouteOf(resource)}.`),

  someNotFound: (resource: string, missingIds: number[]) =>
    new AppError(`${resource}_not_found`, 404, `No ${resource} exists with id ${missingIds.join(', ')}; nothing was changed.`, { missingIds }),

  conflict: (code: string, message: string, details?: Record<string, unknown>) => new AppError(code, 409, message, details),

  staleVersion: (resource: string, id: number, sentVersion: number, currentVersion: number) =>
    new AppError(
      'version_conflict',
      409,
      `The ${resource} ${id} was changed by someone else (your version ${sentVersion}, stored version ${currentVersion}). Reload it and apply your change again.`,
      { id, sentVersion, currentVersion },
    ),

  databaseUnavailable: () =>
    new AppError('database_unavailable', 503, 'The database is unavailable; try again shortly.'),

  pushUnavailable: (reason: string) =>
    new AppError('push_unavailable', 503, `Push is unavailable on this server: ${reason}. Fix the HTEK_DMS_SIP_* settings named there and restart the server; nothing was queued.`),

  internal: () => new AppError('internal_error', 500, 'Internal server error; the request id is in the server log.'),

  /** An uploaded spreadsheet that cannot be imported: 413 for one over a size limit, else 400. */
  spreadsheetRejected: (code: `spreadsheet.${string}`, message: string) =>
    new AppError(code, code === 'spreadsheet.too_large' || code === 'spreadsheet.zip_bomb' ? 413 : 400, message),

  importRejected: (problems: number) =>
    new AppError(
      'import_rejected',
      422,
      `The file has ${problems} problem(s), so no account was imported. Fix the rows listed in errors and upload the file again, or import only the valid rows with mode=valid-rows.`,
    ),

  importConflict: (message: string, details: Record<string, unknown>) => new AppError('import_conflict', 409, message, details),

  importNotFound: (id: string) =>
    new AppError('import_not_found', 404, `No import with id ${JSON.stringify(id)} exists; imports started with POST /api/v1/accounts/import?async=true are kept by their importId.`),
};

/** List routes that are not the plural `/api/v1/<resource>s`. */
const irregularListRoutes: Readonly<Record<string, string>> = {
  push: '/api/v1/push',
};

function listRouteOf(resource: string): string {
  return irregularListRoutes[resource] ?? `/api/v1/${resource}s`;
}

function describeProblems(problems: FieldProblem[]): string {
  const fields = problems.map((problem) => `${problem.field}: ${problem.message}`);
  return `Invalid request. ${fields.join('; ')}.`;
}

/**
 * Every error code the admin API returns, with its HTTP status. `<resource>_not_found` exists
 * for profile, account and device. docs/api.md lists the same codes, and a test checks both.
 */
export const errorCodes: Readonly<Record<string, { status: number; meaning: string }>> = {
  validation_failed: { status: 400, meaning: 'one or more fields break a rule; details.fields lists each field, its value (never for secrets) and the rule' },
  invalid_json: { status: 400, meaning: 'the body is empty or not valid JSON' },
  bad_request: { status: 400, meaning: 'the request is malformed in another way' },
  profile_not_found: { status: 404, meaning: 'no profile has this id (details.missingIds in a bulk request)' },
  account_not_found: { status: 404, meaning: 'no account has this id (details.missingIds in a bulk request)' },
  device_not_found: { status: 404, meaning: 'no device has this id' },
  push_not_found: { status: 404, meaning: 'no push job has this id' },
  route_not_found: { status: 404, meaning: 'no API route has this method and path' },
  version_conflict: { status: 409, meaning: 'the row changed since it was read; reload it and apply the change again' },
  account_allocated: { status: 409, meaning: 'the account is on device lines; details.devices names them' },
  profile_in_use: { status: 409, meaning: 'accounts or devices still use the profile; details has the counts' },
  body_too_large: { status: 413, meaning: 'the body is larger than 1 MiB' },
  unsupported_media_type: { status: 415, meaning: 'the body is not sent as application/json' },
  rate_limited: { status: 429, meaning: 'too many requests; wait and retry' },
  internal_error: { status: 500, meaning: 'a server fault; the message hides it and the request id finds it in the log' },
  database_unavailable: { status: 503, meaning: 'the database cannot be reached; retry shortly' },
  push_unavailable: { status: 503, meaning: 'this server cannot send SIP NOTIFYs (invalid SIP settings or no free UDP port); the message says why and nothing was queued' },
  import_rejected: { status: 422, meaning: 'an all-or-nothing import found problems and wrote nothing; the body carries the import report with every problem' },
  import_conflict: { status: 409, meaning: 'accounts changed while the import ran, so it wrote nothing; details names them' },
  import_not_found: { status: 404, meaning: 'no background import has this id' },
  authentication_required: { status: 401, meaning: 'no valid session, API token or Basic credentials were sent' },
  invalid_credentials: { status: 401, meaning: 'the user name or password, or the API token, is wrong' },
  basic_auth_not_allowed: { status: 401, meaning: 'HTTP Basic was sent over plain HTTP from an address other than loopback' },
  csrf_token_invalid: { status: 403, meaning: 'a change signed in by the session cookie lacks a matching x-csrf-token header' },
  permission_denied: { status: 403, meaning: 'the role lacks the permission named in details.permission' },
  user_not_found: { status: 404, meaning: 'no admin user has this id' },
  role_not_found: { status: 404, meaning: 'no role has this id or name' },
  token_not_found: { status: 404, meaning: 'no API token of the caller has this id' },
  role_built_in: { status: 409, meaning: 'built-in roles cannot be changed or deleted' },
  role_in_use: { status: 409, meaning: 'users still hold the role' },
  last_administrator: { status: 409, meaning: 'the change would leave no active Administrator' },
  user_exists: { status: 409, meaning: 'the user name is taken' },
  role_exists: { status: 409, meaning: 'the role name is taken' },
  'spreadsheet.no_file': { status: 400, meaning: 'the multipart request has no file in the field "file"' },
  'spreadsheet.not_a_spreadsheet': { status: 400, meaning: 'the upload is neither an .xlsx workbook nor a CSV text file' },
  'spreadsheet.password_protected': { status: 400, meaning: 'the workbook is encrypted with a password' },
  'spreadsheet.unreadable': { status: 400, meaning: 'the workbook is damaged or truncated' },
  'spreadsheet.invalid_csv': { status: 400, meaning: 'the CSV text cannot be parsed (e.g. an unclosed quote); the message names the line' },
  'spreadsheet.empty': { status: 400, meaning: 'the file or its sheet has no rows' },
  'spreadsheet.no_data_rows': { status: 400, meaning: 'the sheet has a header row but no account rows' },
  'spreadsheet.duplicate_column': { status: 400, meaning: 'a column header appears twice in the header row' },
  'spreadsheet.too_many_rows': { status: 400, meaning: 'the file has more account rows than HTEK_DMS_IMPORT_MAX_ROWS' },
  'spreadsheet.too_large': { status: 413, meaning: 'the file is larger than HTEK_DMS_IMPORT_MAX_BYTES' },
  'spreadsheet.zip_bomb': { status: 413, meaning: 'the workbook expands to far more data than its size (a zip bomb) or past the unpacked size limit' },
};
