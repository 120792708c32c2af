import type { FastifyInstance } from 'fastify';

/**
 * Makes the routes of a plugin accept request bodies only as JSON. Fastify parses text/plain by
 * default, so a body sent with the wrong type would get a confusing "must be an object" error.
 * Without that parser the client gets 415 unsupported_media_type.
 */
export function acceptJsonBodiesOnly(app: FastifyInstance): void {
  if (app.hasContentTypeParser('text/plain')) app.removeContentTypeParser('text/plain');
}
