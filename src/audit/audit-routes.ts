import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

import type { Db } from '../db/database.js';
import { listAudit } from './audit-repo.js';

const AuditQuery = Type.Object(
  {
    actor: Type.Optional(Type.String({ maxLength: 200 })),
    action: Type.Optional(Type.String({ maxLength: 50, description: 'post, patch, put, delete, login, export-secrets or preview-secrets' })),
    objectType: Type.Optional(Type.String({ maxLength: 50, description: 'profile, account, device, user, role, ...' })),
    objectId: Type.Optional(Type.String({ maxLength: 100 })),
    outcome: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('failure')])),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Entries at or after this time' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Entries before this time' })),
    beforeId: Type.Optional(Type.Integer({ minimum: 1, description: 'Next page: entries with a smaller id' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);

export const auditRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get('/audit', { schema: { tags: ['Audit'], summary: 'List audit entries, newest first', querystring: AuditQuery } }, async (request) => ({
    items: await listAudit(db, request.query),
  }));
};
