import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { AppError, errors } from '../errors.js';
import { retryAfterSeconds } from '../ops/retry-after.js';
import { toFieldProblems } from './validation.js';

/** Body of every error response of the admin API. */
export interface ErrorBody {
  requestId: string;
  statusCode: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * Renders every error as one JSON shape. Client errors keep their message. A 5xx response hides the
 * cause behind a generic message and the request id, and the cause goes to the log.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error, request);

    if (appError.statusCode >= 500) {
      request.log.error({ err: error, method: request.method, route: request.routeOptions.url }, 'request failed');
    } else {
      request.log.info({ code: appError.code, statusCode: appError.statusCode }, 'request rejected');
    }
    return sendError(reply, request, appError);
  });
}

export function sendError(reply: FastifyReply, request: FastifyRequest, error: AppError): FastifyReply {
  const body: ErrorBody = {
    requestId: request.id,
    statusCode: error.statusCode,
    code: error.code,
    message: error.message,
  };
  if (error.details) body.details = error.details;
  if (error.code === 'database_unavailable') reply.header('retry-after', String(retryAfterSeconds));
  return reply.code(error.statusCode).type('application/json; charset=utf-8').send(body);
}

function toAppError(error: FastifyError, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;

  if (error.validation) {
    const part = error.validationContext ?? 'body';
    const inputs: Record<string, unknown> = { body: request.body, querystring: request.query, params: request.params };
    const input = inputs[part] ?? request.body;
    return errors.validationFailed(toFieldProblems(error.validation as never, part, input));
  }
  if (isDatabaseDown(error)) return errors.databaseUnavailable();

  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = clientErrorCode(error);
    return new AppError(code, status, clientErrorMessage(code, error, request));
  }
  return errors.internal();
}

/** Fastify's own messages with what to do added. */
function clientErrorMessage(code: string, error: FastifyError, request: FastifyRequest): string {
  switch (code) {
    case 'invalid_json':
      return `The request body is not valid JSON (${error.message}); send a JSON object with Content-Type: application/json.`;
    case 'unsupported_media_type':
      return `Content-Type ${JSON.stringify(request.headers['content-type'] ?? '')} is not accepted; send the body as JSON with Content-Type: application/json.`;
    case 'body_too_large':
      return 'The request body is larger than 1 MiB; send fewer rows per request.';
    default:
      return error.message;
  }
}

function clientErrorCode(error: FastifyError): string {
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'unsupported_media_type';
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return 'invalid_json';
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'body_too_large';
  if (error.statusCode === 429) return 'rate_limited';
  return 'bad_request';
}

// 57P01-57P03: the server is shutting down or starting; 08xxx: connection failures; 53300:
// too many connections; 57014: statement_timeout; ENOTFOUND/EAI_AGAIN: the host name of a
// stopped container no longer resolves.
const connectionErrorCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', '53300', '57014']);

/** True for errors that mean Postgres could not be reached rather than a bad query. */
export function isDatabaseDown(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  if (code && connectionErrorCodes.has(code)) return true;
  const message = (error as Error).message ?? '';
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable/i.test(message);
}
