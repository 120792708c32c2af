import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';

import type { Db } from '../db/database.js';
import { pendingMigrations } from '../db/migrate.js';
import { isDatabaseDown } from '../http/error-handler.js';
import { registry } from './metrics.js';
import { retryAfterSeconds } from './retry-after.js';

const readinessTimeoutMs = 3000;

export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * Checks that the database responds within 3 s and has every migration file of this build
 * applied. An older build on a database migrated further still reports ready.
 */
export async function checkReadiness(db: Db): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, reason: `the database did not answer within ${readinessTimeoutMs / 1000} s` }), readinessTimeoutMs);
  });

  const check = async (): Promise<Readiness> => {
    await sql`select 1`.execute(db);
    const pending = await pendingMigrations(db);
    if (pending.length > 0) return { ready: false, reason: `migrations not applied yet: ${pending.join(', ')}` };
    return { ready: true };
  };

  try {
    return await Promise.race([check(), timeout]);
  } catch (error) {
    const reason = isDatabaseDown(error) ? 'the database is unreachable' : `the database check failed: ${(error as Error).message}`;
    return { ready: false, reason };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Operations endpoints for load balancers and monitoring: `/healthz` (the process runs),
 * `/readyz` (the database is reachable and migrated, else 503) and `/metrics` (Prometheus).
 */
export const opsRoutes: FastifyPluginAsync<{ db: Db }> = async (app, { db }) => {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
    const readiness = await checkReadiness(db);
    if (readiness.ready) return { status: 'ready' };

    request.log.warn({ reason: readiness.reason }, 'readiness check failed');
    return reply.code(503).header('retry-after', String(retryAfterSeconds)).send({ status: 'unavailable', reason: readiness.reason });
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const body = await registry.metrics();
    return reply.type(registry.contentType).send(body);
  });
};
