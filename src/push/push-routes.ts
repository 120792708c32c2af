import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

import { bodyErrorResponses, errorResponses } from '../http/common-schemas.js';
import { acceptJsonBodiesOnly } from '../http/json-only.js';
import { CreatePushBody, PushCreated, PushIdParams, PushJobSchema } from './push-schemas.js';
import type { PushService } from './push-service.js';

export const pushRoutes: FastifyPluginAsyncTypebox<{ push: PushService }> = async (app, { push }) => {
  acceptJsonBodiesOnly(app);
  const tags = ['Push'];

  app.post(
    '/push',
    { schema: { tags, summary: 'Make phones fetch their configuration now or at a time (SIP NOTIFY check-sync)', body: CreatePushBody, response: { 201: PushCreated, ...bodyErrorResponses } } },
    async (request, reply) => reply.code(201).send(await push.create(request.body)),
  );

  app.get('/push/:id', { schema: { tags, summary: 'Read a push job and the result per device', params: PushIdParams, response: { 200: PushJobSchema, ...errorResponses } } }, (request) =>
    push.get(request.params.id),
  );
};
