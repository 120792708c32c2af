import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';

import { phoneEvents, type StatusService } from './status-service.js';

const EventParams = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 128 }),
  event: Type.Union(phoneEvents.map((event) => Type.Literal(event))),
});

const EventQuery = Type.Object({
  line: Type.Optional(Type.Integer({ minimum: 1, maximum: 16, description: 'Line the event is about; absent means every line of the device' })),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'SIP port the phone uses, for Use Random Port' })),
});

/**
 * Phone-facing Action URL routes: `GET` or `POST /phone-events/<token>/<event>`. The token is
 * the device's secret from its phone file. Answers are short plain text, because phones ignore them.
 */
export const statusRoutes: FastifyPluginAsyncTypebox<{ status: StatusService }> = async (app, { status }) => {
  const handler = async (request: FastifyRequest<{ Params: { token: string; event: (typeof phoneEvents)[number] }; Querystring: { line?: number; port?: number } }>, reply: FastifyReply) => {
    const accepted = await status.report({
      token: request.params.token,
      event: request.params.event,
      address: request.ip,
      line: request.query.line,
      sipPort: request.query.port,
    });
    reply.header('cache-control', 'no-store').type('text/plain; charset=utf-8');
    return accepted ? reply.send('OK\n') : reply.code(404).send('Not found\n');
  };

  const schema = { hide: true, params: EventParams, querystring: EventQuery };
  app.get('/phone-events/:token/:event', { schema }, handler);
  app.post('/phone-events/:token/:event', { schema }, handler);
};
