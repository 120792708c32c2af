import type { FastifyInstance, FastifyRequest } from 'fastify';

import type { Db } from '../db/database.js';
import { recordAudit } from './audit-repo.js';
import { maskSecrets } from './mask-secrets.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The audited object as it was before the request, read by the audit hook. */
    auditBefore: unknown;
  }
}

/** Tables whose rows the audit hook reads before and after a change, by the route's resource. */
const rowTables = { profiles: 'profiles', accounts: 'accounts', devices: 'devices', users: 'users', roles: 'roles' } as const;

const mutatingMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Target {
  resource: string;
  objectType: string;
  id: string | undefined;
}

// Phone access settings: the installation's single row and each device's own row.
const accessTargets: Record<string, (params: Record<string, unknown>) => Target> = {
  '/api/v1/provisioning-access': () => ({ resource: 'provisioning-access', objectType: 'provisioning-access', id: '1' }),
  '/api/v1/devices/:id/provisioning-access': (params) => ({ resource: 'device-provisioning-access', objectType: 'device-provisioning-access', id: String(params.id) }),
};

function targetOf(request: FastifyRequest): Target | undefined {
  const route = request.routeOptions.url;
  const accessTarget = route === undefined ? undefined : accessTargets[route];
  if (accessTarget) return accessTarget((request.params ?? {}) as Record<string, unknown>);

  const match = route?.match(/^\/api\/v1\/([a-z-]+)/);
  if (!match || !route) return undefined;

  const resource = match[1]!;
  const params = (request.params ?? {}) as Record<string, unknown>;
  const id = params.id ?? params.mac;
  return { resource, objectType: resource.replace(/s$/, ''), id: id === undefined ? undefined : String(id) };
}

/** Audit actions besides changes: reads that reveal SIP passwords or PINs. */
function secretReadAction(request: FastifyRequest): string | undefined {
  const route = request.routeOptions.url ?? '';
  const query = (request.query ?? {}) as Record<string, unknown>;
  if (route.includes('/export.') && (query.includeSecrets === true || query.includeSecrets === 'true')) return 'export-secrets';
  if (route.endsWith('/preview')) return 'preview-secrets';
  return undefined;
}

async function readRow(db: Db, resource: string, id: string | undefined): Promise<unknown> {
  if (resource === 'provisioning-access') return maskSecrets(await db.selectFrom('provisioningAccess').selectAll().where('id', '=', 1).executeTakeFirst());
  if (resource === 'device-provisioning-access' && id !== undefined && /^\d+$/.test(id)) {
    return maskSecrets(await db.selectFrom('deviceProvisioningAccess').selectAll().where('deviceId', '=', Number(id)).executeTakeFirst());
  }

  const table = rowTables[resource as keyof typeof rowTables];
  if (!table || id === undefined || !/^\d+$/.test(id)) return undefined;
  return maskSecrets(await db.selectFrom(table).selectAll().where('id', '=', Number(id)).executeTakeFirst());
}

function parsePayload(payload: unknown): unknown {
  if (typeof payload !== 'string' || payload.length > 100_000) return undefined;
  try {
    return JSON.parse(payload);
  } catch {
    return undefined;
  }
}

/**
 * Records every changing admin request (and every read of secrets) in the audit log: who, from
 * where, which route and object, the outcome, and the object before and after with secrets
 * masked. The entry is written before the response is sent, so a listed change is never missing.
 * Logins are recorded by the login route itself.
 */
export function addAuditHook(api: FastifyInstance, db: Db): void {
  api.decorateRequest('auditBefore', undefined);

  api.addHook('preHandler', async (request) => {
    if (!mutatingMethods.has(request.method)) return;
    const target = targetOf(request);
    if (target) request.auditBefore = await readRow(db, target.resource, target.id);
  });

  api.addHook('onSend', async (request, reply, payload) => {
    const secretRead = secretReadAction(request);
    if (!mutatingMethods.has(request.method) && !secretRead) return payload;
    if (request.routeOptions.url === '/api/v1/auth/login') return payload;

    const target = targetOf(request);
    const succeeded = reply.statusCode < 400;
    const response = parsePayload(payload) as Record<string, unknown> | undefined;
    const objectId = target?.id ?? (succeeded && response?.id !== undefined ? String(response.id) : undefined);
    const after = succeeded && request.method !== 'DELETE' && target ? ((await readRow(db, target.resource, objectId)) ?? maskSecrets(response)) : undefined;

    try {
      await recordAudit(db, {
        actor: request.principal?.user.username ?? null,
        actorUserId: request.principal?.user.id ?? null,
        address: request.ip,
        action: secretRead ?? request.method.toLowerCase(),
        method: request.method,
        route: request.routeOptions.url ?? request.url,
        objectType: target?.objectType ?? null,
        objectId: objectId ?? null,
        outcome: succeeded ? 'success' : 'failure',
        statusCode: reply.statusCode,
        before: request.auditBefore,
        after: secretRead ? undefined : after,
      });
    } catch (error) {
      request.log.error({ err: error, method: request.method, route: request.routeOptions.url }, 'writing the audit entry failed');
    }
    return payload;
  });
}
