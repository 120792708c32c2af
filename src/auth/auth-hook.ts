import type { FastifyInstance, FastifyRequest } from 'fastify';

import type { Db } from '../db/database.js';
import { authErrors } from './auth-errors.js';
import { authenticate, type Principal } from './authenticate.js';
import { publicRoute, ruleForRoute, signedInOnly } from './permissions.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in admin caller; unset for the login route and when admin auth is off. */
    principal: Principal | undefined;
  }
}

/** Export routes that include SIP passwords and PINs when the query asks for them. */
function asksForSecrets(request: FastifyRequest): boolean {
  const value = (request.query as Record<string, unknown> | undefined)?.includeSecrets;
  return value === true || value === 'true' || value === '1';
}

/**
 * Adds the one permission check of the admin API. Every request is authenticated, then its
 * route is looked up in the permission map; a route missing there is rejected for everyone.
 * With `enforce` false (admin auth off) credentials are still read, so the audit log names the
 * caller when one is given, but nothing is rejected.
 */
export function addPermissionHook(api: FastifyInstance, db: Db, enforce: boolean): void {
  api.decorateRequest('principal', undefined);

  api.addHook('onRequest', async (request) => {
    const routeUrl = request.routeOptions.url;
    const rule = ruleForRoute(request.method, routeUrl);
    if (rule === publicRoute) return;

    if (!enforce) {
      request.principal = await authenticate(db, request).catch(() => undefined);
      return;
    }

    request.principal = await authenticate(db, request);
    if (!request.principal) throw authErrors.authenticationRequired();

    // A request that matched no route falls through to the 404 answer once signed in.
    if (routeUrl === undefined) return;
    if (rule === undefined) {
      request.log.error({ method: request.method, route: routeUrl }, 'admin route has no entry in the permission map; rejected');
      throw authErrors.routeNotMapped(`${request.method} ${routeUrl}`);
    }
    if (rule === signedInOnly) return;

    const granted = request.principal.user.permissions;
    if (!granted.includes(rule)) throw authErrors.permissionDenied(rule);
    if (routeUrl.includes('/export.') && asksForSecrets(request) && !granted.includes('accounts.export-secrets')) {
      throw authErrors.permissionDenied('accounts.export-secrets');
    }
  });
}
