import type { FastifyPluginAsync, FastifyRequest } from 'fastify';

import { metrics } from '../ops/metrics.js';
import type { ProvisioningService } from './provisioning-service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** MAC of the phone file asked for, for the fetch log line. */
    phoneMac: string | undefined;
  }
}

/** Base URL the phone used to reach us, e.g. `http://10.0.0.5:8080/`. */
export function requestBaseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}/`;
}

/**
 * Phone-facing routes: `GET`/`HEAD /<file>` at the root, where phones append the file name to
 * the provisioning URL. Answers are never HTML: XML for a device's own file, an empty-ish plain
 * text body for everything else.
 */
export const provisioningRoutes: FastifyPluginAsync<{ provisioning: ProvisioningService }> = async (app, { provisioning }) => {
  app.decorateRequest('phoneMac', undefined);
  app.addHook('onClose', () => provisioning.flushRequestHistory());

  app.addHook('onResponse', async (request, reply) => {
    metrics.configFetches.inc({ status: String(reply.statusCode) });
    request.log.info({ mac: request.phoneMac, file: (request.params as { fileName?: string }).fileName, statusCode: reply.statusCode, durationMs: Math.round(reply.elapsedTime * 10) / 10 }, 'phone fetch');
  });

  app.get<{ Params: { fileName: string } }>('/:fileName', { schema: { hide: true } }, async (request, reply) => {
    const endRenderTimer = metrics.configRenderSeconds.startTimer();
    const result = await provisioning.fetchConfig({
      fileName: request.params.fileName,
      address: request.ip,
      userAgent: request.headers['user-agent'],
      requestBaseUrl: requestBaseUrl(request),
      ifNoneMatch: request.headers['if-none-match'],
      phoneCredentials: request.phoneAccess === undefined ? undefined : (request.phoneAccess.phoneCredentials ?? null),
    });
    request.phoneMac = result.mac;
    reply.header('cache-control', 'no-store');

    if ('reason' in result) {
      return reply.code(result.status).type('text/plain; charset=utf-8').send(result.status === 404 ? 'Not found\n' : 'Forbidden\n');
    }

    endRenderTimer();
    reply.header('etag', result.etag);
    if (!('body' in result)) return reply.code(304).send();
    return reply.type('application/xml; charset=utf-8').send(result.body);
  });
};
