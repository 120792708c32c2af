import type { FastifyInstance } from 'fastify';

import { AppError } from '../errors.js';
import { sendError } from './error-handler.js';

/**
 * Unknown paths: JSON under /api, plain text elsewhere (phones and scanners never get an HTML
 * page).
 */
export function registerNotFoundHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/')) {
      return sendError(reply, request, new AppError('route_not_found', 404, `${request.method} ${request.url.split('?')[0]} is not an API route; see /docs for the list.`));
    }
    return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');
  });
}
