import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

import { addAuditHook } from '../audit/audit-hook.js';
import { auditRoutes } from '../audit/audit-routes.js';
import type { Db } from '../db/database.js';
import { usersRoutes } from '../users/users-routes.js';
import { createUsersService } from '../users/users-service.js';
import { addPermissionHook } from './auth-hook.js';
import { authRoutes } from './auth-routes.js';
import { createLoginThrottle } from './login-throttle.js';

export type AdminAuthSetting = 'required' | 'off';

/**
 * Adds logins, the permission check, the audit log and the user, role, token and audit routes
 * to the `/api/v1` scope. Call it inside that scope before its resource routes.
 */
export async function registerAdminAuth(api: FastifyInstance, deps: { db: Db; logger: Logger; adminAuth: AdminAuthSetting | undefined }): Promise<void> {
  const { db, logger } = deps;
  await api.register(cookie);

  // The one default of the setting: an app built without it requires logins, as loadConfig does
  // unless HTEK_DMS_ADMIN_AUTH=off.
  const enforce = (deps.adminAuth ?? 'required') === 'required';
  if (!enforce) logger.warn('admin auth is off (HTEK_DMS_ADMIN_AUTH=off): anyone who reaches the admin API can change everything');
  addPermissionHook(api, db, enforce);
  addAuditHook(api, db);

  await api.register(authRoutes, { db, throttle: createLoginThrottle() });
  await api.register(usersRoutes, { users: createUsersService({ db, logger }) });
  await api.register(auditRoutes, { db });
}
