import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

import { bodyErrorResponses, errorResponses, IdParams } from '../http/common-schemas.js';
import { acceptJsonBodiesOnly } from '../http/json-only.js';
import type { ProfilesService } from './profiles-service.js';
import { CreateProfileBody, ProfileList, ProfileListQuery, ProfileSchema, UpdateProfileBody } from './profiles-schemas.js';

export const profilesRoutes: FastifyPluginAsyncTypebox<{ profiles: ProfilesService }> = async (app, { profiles }) => {
  acceptJsonBodiesOnly(app);
  const tags = ['Profiles'];

  app.get('/profiles', { schema: { tags, summary: 'List profiles', querystring: ProfileListQuery, response: { 200: ProfileList, ...errorResponses } } }, (request) =>
    profiles.list(request.query),
  );

  app.post('/profiles', { schema: { tags, summary: 'Create a profile', body: CreateProfileBody, response: { 201: ProfileSchema, ...bodyErrorResponses } } }, async (request, reply) =>
    reply.code(201).send(await profiles.create(request.body)),
  );

  app.get('/profiles/:id', { schema: { tags, summary: 'Read a profile', params: IdParams, response: { 200: ProfileSchema, ...errorResponses } } }, (request) =>
    profiles.get(request.params.id),
  );

  app.patch('/profiles/:id', { schema: { tags, summary: 'Change a profile', params: IdParams, body: UpdateProfileBody, response: { 200: ProfileSchema, ...bodyErrorResponses } } }, (request) =>
    profiles.update(request.params.id, request.body),
  );

  app.delete('/profiles/:id', { schema: { tags, summary: 'Delete an unused profile', params: IdParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
    await profiles.remove(request.params.id);
    return reply.code(204).send(null);
  });
};
