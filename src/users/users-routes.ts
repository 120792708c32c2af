import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

import { permissions } from '../auth/permissions.js';
import { IdParams } from '../http/common-schemas.js';
import type { UsersService } from './users-service.js';

const RoleRef = Type.Union([Type.Integer({ minimum: 1 }), Type.String({ minLength: 1, maxLength: 100 })], { description: 'Role id or name' });
const CreateUserBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\s:]+$' }), password: Type.String({ minLength: 1, maxLength: 1000 }), role: Type.Optional(RoleRef) },
  { additionalProperties: false },
);
const UpdateUserBody = Type.Object(
  { password: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })), role: Type.Optional(RoleRef), active: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
const RoleBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), description: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])), permissions: Type.Array(Type.String(), { maxItems: 100 }) },
  { additionalProperties: false },
);
const UpdateRoleBody = Type.Partial(RoleBody, { additionalProperties: false });

/** Users, roles and the list of permissions. */
export const usersRoutes: FastifyPluginAsyncTypebox<{ users: UsersService }> = async (app, { users }) => {
  const tags = ['Users and roles'];

  app.get('/users', { schema: { tags, summary: 'List admin users' } }, async () => ({ items: await users.list() }));
  app.post('/users', { schema: { tags, summary: 'Create an admin user', body: CreateUserBody } }, async (request, reply) => reply.code(201).send(await users.create(request.body)));
  app.get('/users/:id', { schema: { tags, summary: 'Get an admin user', params: IdParams } }, (request) => users.get(request.params.id));
  app.patch('/users/:id', { schema: { tags, summary: 'Change a password, role or active flag', params: IdParams, body: UpdateUserBody } }, (request) => users.update(request.params.id, request.body));
  app.delete('/users/:id', { schema: { tags, summary: 'Delete an admin user', params: IdParams } }, async (request, reply) => {
    await users.remove(request.params.id);
    return reply.code(204).send();
  });

  app.get('/roles', { schema: { tags, summary: 'List roles' } }, async () => ({ items: await users.listRoles() }));
  app.post('/roles', { schema: { tags, summary: 'Create a custom role', body: RoleBody } }, async (request, reply) => reply.code(201).send(await users.createRole(request.body)));
  app.get('/roles/:id', { schema: { tags, summary: 'Get a role', params: IdParams } }, (request) => users.getRole(request.params.id));
  app.patch('/roles/:id', { schema: { tags, summary: 'Change a custom role', params: IdParams, body: UpdateRoleBody } }, (request) => users.updateRole(request.params.id, request.body));
  app.delete('/roles/:id', { schema: { tags, summary: 'Delete a custom role no user holds', params: IdParams } }, async (request, reply) => {
    await users.removeRole(request.params.id);
    return reply.code(204).send();
  });

  app.get('/permissions', { schema: { tags, summary: 'List the permissions a role can hold' } }, async () => ({ items: permissions }));
};
