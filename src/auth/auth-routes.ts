import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';

import { recordAudit } from '../audit/audit-repo.js';
import type { Db } from '../db/database.js';
import { errors } from '../errors.js';
import { IdParams } from '../http/common-schemas.js';
import { findUserForLogin, recordLogin } from '../users/users-repo.js';
import { authErrors } from './auth-errors.js';
import { csrfCookie, sessionCookie } from './authenticate.js';
import { createApiToken, createSession, deleteApiToken, deleteSession, listApiTokens } from './credentials-repo.js';
import type { LoginThrottle } from './login-throttle.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';

const LoginBody = Type.Object({ username: Type.String({ minLength: 1, maxLength: 200 }), password: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false });
const TokenBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })) },
  { additionalProperties: false },
);

function cookieOptions(request: FastifyRequest, httpOnly: boolean, expires: Date) {
  return { path: '/', httpOnly, sameSite: 'strict' as const, secure: request.protocol === 'https', expires };
}

function clearCookies(request: FastifyRequest, reply: FastifyReply): void {
  const past = new Date(0);
  reply.setCookie(sessionCookie, '', cookieOptions(request, true, past));
  reply.setCookie(csrfCookie, '', cookieOptions(request, false, past));
}

/** Login, logout, the caller's own user, and the caller's API tokens. */
export const authRoutes: FastifyPluginAsyncTypebox<{ db: Db; throttle: LoginThrottle }> = async (app, { db, throttle }) => {
  const tags = ['Authentication'];

  app.post('/auth/login', { schema: { tags, summary: 'Sign in and receive a session cookie and a CSRF token', body: LoginBody } }, async (request, reply) => {
    const { username, password } = request.body;
    const address = request.ip;

    const wait = throttle.retryAfterSeconds(username, address);
    if (wait > 0) {
      await recordAudit(db, { actor: username, address, action: 'login', outcome: 'failure', statusCode: 429, method: 'POST', route: '/api/v1/auth/login' });
      reply.header('retry-after', String(wait));
      throw authErrors.tooManyLoginFailures(wait);
    }

    const user = await findUserForLogin(db, username);
    const valid = user ? user.active && (await verifyPassword(user.passwordHash, password)) : await verifyAgainstDummy(password);
    if (!user || !valid) {
      throttle.recordFailure(username, address);
      request.log.warn({ username, address }, 'admin login failed');
      await recordAudit(db, { actor: username, address, action: 'login', outcome: 'failure', statusCode: 401, method: 'POST', route: '/api/v1/auth/login' });
      throw authErrors.invalidCredentials();
    }

    throttle.recordSuccess(username);
    const session = await createSession(db, user.id, address);
    await recordLogin(db, user.id);
    await recordAudit(db, { actor: user.username, actorUserId: user.id, address, action: 'login', outcome: 'success', statusCode: 200, method: 'POST', route: '/api/v1/auth/login' });
    request.log.info({ userId: user.id, username: user.username, address }, 'admin signed in');

    reply.setCookie(sessionCookie, session.sessionToken, cookieOptions(request, true, session.expiresAt));
    reply.setCookie(csrfCookie, session.csrfToken, cookieOptions(request, false, session.expiresAt));
    return { user: { id: user.id, username: user.username, role: user.role, permissions: user.permissions }, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
  });

  app.post('/auth/logout', { schema: { tags, summary: 'End the session of the cookie' } }, async (request, reply) => {
    const token = request.cookies[sessionCookie];
    if (token) await deleteSession(db, token);
    clearCookies(request, reply);
    return reply.code(204).send();
  });

  app.get('/auth/me', { schema: { tags, summary: 'The signed-in user, their role and permissions' } }, async (request) => {
    const principal = request.principal;
    if (!principal) throw authErrors.authenticationRequired();
    const { user } = principal;
    return { user: { id: user.id, username: user.username, role: user.role, permissions: user.permissions }, via: principal.via, csrfToken: request.cookies[csrfCookie] ?? null };
  });

  app.get('/tokens', { schema: { tags, summary: 'List API tokens (own, or all with users.manage)' } }, async (request) => {
    const principal = request.principal;
    if (!principal) throw authErrors.authenticationRequired();
    const everyone = principal.user.permissions.includes('users.manage');
    return { items: await listApiTokens(db, everyone ? undefined : principal.user.id) };
  });

  app.post('/tokens', { schema: { tags, summary: 'Create an API token; its value is shown only in this response', body: TokenBody } }, async (request, reply) => {
    const principal = request.principal;
    if (!principal) throw authErrors.authenticationRequired();
    const { name, expiresInDays } = request.body;
    const expiresAt = expiresInDays === undefined ? null : new Date(Date.now() + expiresInDays * 86_400_000);
    return reply.code(201).send(await createApiToken(db, principal.user.id, name, expiresAt));
  });

  app.delete('/tokens/:id', { schema: { tags, summary: 'Revoke an API token', params: IdParams } }, async (request, reply) => {
    const principal = request.principal;
    if (!principal) throw authErrors.authenticationRequired();
    const everyone = principal.user.permissions.includes('users.manage');
    if (!(await deleteApiToken(db, request.params.id, everyone ? undefined : principal.user.id))) throw errors.notFound('token', request.params.id);
    return reply.code(204).send();
  });
};
