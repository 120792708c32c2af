import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

import { bodyErrorResponses, errorResponses, IdParams, RowId } from '../http/common-schemas.js';
import { acceptJsonBodiesOnly } from '../http/json-only.js';
import type { AccountsService } from './accounts-service.js';
import { AccountList, AccountListQuery, AccountSchema, CreateAccountBody, UpdateAccountBody } from './accounts-schemas.js';

const UnbindQuery = Type.Object(
  { unbind: Type.Optional(Type.Boolean({ default: false, description: 'Also remove the account from the device lines it is on' })) },
  { additionalProperties: false },
);

const BulkDeleteBody = Type.Object(
  {
    ids: Type.Array(RowId('Account id'), { minItems: 1, maxItems: 10000, description: 'Accounts to delete; an id may repeat' }),
    unbind: Type.Optional(Type.Boolean({ description: 'Also remove the accounts from the device lines they are on' })),
  },
  { additionalProperties: false },
);

const BoundDevice = Type.Object({
  deviceId: Type.Integer(),
  mac: Type.String(),
  model: Type.String(),
  line: Type.Integer(),
  lastSeenAt: Type.Union([Type.String(), Type.Null()]),
  lastAddress: Type.Union([Type.String(), Type.Null()]),
});

export const accountsRoutes: FastifyPluginAsyncTypebox<{ accounts: AccountsService }> = async (app, { accounts }) => {
  acceptJsonBodiesOnly(app);
  const tags = ['Accounts'];

  app.get('/accounts', { schema: { tags, summary: 'List and filter accounts', querystring: AccountListQuery, response: { 200: AccountList, ...errorResponses } } }, (request) =>
    accounts.list(request.query),
  );

  app.post('/accounts', { schema: { tags, summary: 'Create an account', body: CreateAccountBody, response: { 201: AccountSchema, ...bodyErrorResponses } } }, async (request, reply) =>
    reply.code(201).send(await accounts.create(request.body)),
  );

  app.post(
    '/accounts/delete',
    { schema: { tags, summary: 'Delete several accounts, all or nothing', body: BulkDeleteBody, response: { 200: Type.Object({ deleted: Type.Integer(), unboundLines: Type.Integer() }), ...bodyErrorResponses } } },
    (request) => accounts.removeMany(request.body.ids, { unbind: request.body.unbind ?? false }),
  );

  app.get('/accounts/:id', { schema: { tags, summary: 'Read an account (without password and PIN)', params: IdParams, response: { 200: AccountSchema, ...errorResponses } } }, (request) =>
    accounts.get(request.params.id),
  );

  app.patch('/accounts/:id', { schema: { tags, summary: 'Change some fields of an account', params: IdParams, body: UpdateAccountBody, response: { 200: AccountSchema, ...bodyErrorResponses } } }, (request) =>
    accounts.update(request.params.id, request.body),
  );

  app.delete(
    '/accounts/:id',
    { schema: { tags, summary: 'Delete an account', params: IdParams, querystring: UnbindQuery, response: { 204: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      await accounts.remove(request.params.id, { unbind: request.query.unbind ?? false });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/accounts/:id/devices',
    { schema: { tags, summary: 'Devices the account is on (the push targets)', params: IdParams, response: { 200: Type.Object({ items: Type.Array(BoundDevice) }), ...errorResponses } } },
    async (request) => ({ items: await accounts.devicesOf(request.params.id) }),
  );
};
