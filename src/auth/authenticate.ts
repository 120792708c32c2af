import type {} from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';

import type { Db } from '../db/database.js';
import { type AdminUser, findUserById, findUserForLogin } from '../users/users-repo.js';
import { authErrors } from './auth-errors.js';
import { findApiTokenUser, findSession } from './credentials-repo.js';
import { verifyPassword } from './passwords.js';

export const sessionCookie = 'htek_session';
export const csrfCookie = 'htek_csrf';
export const csrfHeader = 'x-csrf-token';

/** The signed-in caller of an admin request and how they signed in. */
export interface Principal {
  user: AdminUser;
  via: 'session' | 'token' | 'basic';
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/**
 * Finds who sent the request: a Bearer token, HTTP Basic (over HTTPS or from loopback only), or
 * the session cookie, whose state-changing requests must echo the CSRF token in a header.
 * Returns undefined when nothing was sent; throws when something was sent but is invalid.
 */
export async function authenticate(db: Db, request: FastifyRequest): Promise<Principal | undefined> {
  const header = request.headers.authorization;

  if (header?.startsWith('Bearer ')) {
    const userId = await findApiTokenUser(db, header.slice('Bearer '.length).trim());
    return activePrincipal(userId === undefined ? undefined : await findUserById(db, userId), 'token');
  }
  if (header?.startsWith('Basic ')) {
    if (request.protocol !== 'https' && !isLoopback(request.ip)) throw authErrors.basicNotAllowed();
    return activePrincipal(await checkBasic(db, header.slice('Basic '.length).trim()), 'basic');
  }

  const sessionToken = request.cookies?.[sessionCookie];
  if (!sessionToken) return undefined;

  const session = await findSession(db, sessionToken);
  if (!session) throw authErrors.authenticationRequired();
  if (!safeMethods.has(request.method)) checkCsrf(request, session.csrfToken);
  return activePrincipal(await findUserById(db, session.userId), 'session');
}

function activePrincipal(user: AdminUser | undefined, via: Principal['via']): Principal {
  if (!user || !user.active) throw via === 'session' ? authErrors.authenticationRequired() : authErrors.invalidCredentials();
  return { user, via };
}

async function checkBasic(db: Db, encoded: string): Promise<AdminUser | undefined> {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) return undefined;

  const user = await findUserForLogin(db, decoded.slice(0, separator));
  if (!user || !(await verifyPassword(user.passwordHash, decoded.slice(separator + 1)))) return undefined;
  const { passwordHash: _hash, ...rest } = user;
  return rest;
}

function checkCsrf(request: FastifyRequest, sessionCsrf: string): void {
  const sent = request.headers[csrfHeader];
  const cookie = request.cookies?.[csrfCookie];
  if (typeof sent !== 'string' || sent !== cookie || sent !== sessionCsrf) throw authErrors.csrfFailed();
}
