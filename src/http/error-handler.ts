import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { AppError, errors } from '../errors.js';
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
 * Renders every error as one JSON shape. Client errors keep their message; 5xx answers hide the
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
  return reply.code(error.statusCode).type('application/json; charset=utf-8').send(body);
}

function toAppError(error: FastifyError, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;

  if (error.validation) {
    const part = error.validationContext ?? 'body';
    const input = part === 'body' ? request.body : part === 'querystring' ? request.query : request.params;
    return errors.validationFailed(toFieldProblems(error.validation as never, part, input));
  }
  if (isDatabaseDown(error)) return errors.databaseUnavailable();

  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return new AppError(clientErrorCode(error), status, error.message);
  }
  return errors.internal();
}

function clientErrorCode(error: FastifyError): string {
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'unsupported_media_type';
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return 'invalid_json';
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'body_too_large';
  if (error.statusCode === 429) return 'rate_limited';
  return 'bad_request';
}

const connectionErrorCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', '57P01', '57P03']);

/** True for errors that mean Postgres could not be reached rather than a bad query. */
export function isDatabaseDown(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  if (code && connectionErrorCodes.has(code)) return true;
  const message = (error as Error).message ?? '';
  return /Connection terminated|timeout exceeded when trying to connect/i.test(message);
}
