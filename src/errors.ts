/**
 * The error catalogue: every failure the API reports has a stable code, an HTTP status and a
 * message that says what to do. Services throw these; the error handler renders them.
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
    new AppError(`${resource}_not_found`, 404, `No ${resource} with id ${JSON.stringify(id)} exists; list them with GET /api/v1/${resource}s.`),

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

  internal: () => new AppError('internal_error', 500, 'Internal server error; the request id is in the server log.'),
};

function describeProblems(problems: FieldProblem[]): string {
  const fields = problems.map((problem) => `${problem.field}: ${problem.message}`);
  return `Invalid request. ${fields.join('; ')}.`;
}
