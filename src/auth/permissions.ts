/**
 * Permissions of the admin API: one entry per `METHOD /api/v1/route-pattern`. The auth hook
 * looks each request's route up here; a route without an entry is rejected for everyone, so a
 * new route stays closed until it is added. HEAD uses the entry of GET.
 */

export const permissions = [
  'profiles.read',
  'profiles.write',
  'accounts.read',
  'accounts.write',
  'accounts.import',
  'accounts.export',
  'accounts.export-secrets',
  'devices.read',
  'devices.write',
  'push.run',
  'users.manage',
  'settings.read',
  'settings.manage',
  'audit.read',
] as const;

export type Permission = (typeof permissions)[number];

/** Routes every signed-in user may call, whatever the role. */
export const signedInOnly = 'signed-in';

/** Routes callable without signing in (the login itself). */
export const publicRoute = 'public';

export type RouteRule = Permission | typeof signedInOnly | typeof publicRoute;

export const routePermissions: Readonly<Record<string, RouteRule>> = {
  'POST /api/v1/auth/login': publicRoute,
  'POST /api/v1/auth/logout': signedInOnly,
  'GET /api/v1/auth/me': signedInOnly,
  'POST /api/v1/auth/password': signedInOnly,

  'GET /api/v1/profiles': 'profiles.read',
  'POST /api/v1/profiles': 'profiles.write',
  'GET /api/v1/profiles/:id': 'profiles.read',
  'PATCH /api/v1/profiles/:id': 'profiles.write',
  'DELETE /api/v1/profiles/:id': 'profiles.write',

  'GET /api/v1/accounts': 'accounts.read',
  'POST /api/v1/accounts': 'accounts.write',
  'GET /api/v1/accounts/:id': 'accounts.read',
  'PATCH /api/v1/accounts/:id': 'accounts.write',
  'DELETE /api/v1/accounts/:id': 'accounts.write',
  'POST /api/v1/accounts/delete': 'accounts.write',
  'GET /api/v1/accounts/:id/devices': 'accounts.read',
  'GET /api/v1/accounts/template.xlsx': 'accounts.read',
  'POST /api/v1/accounts/import': 'accounts.import',
  'GET /api/v1/accounts/imports/:id': 'accounts.import',
  // NOTE: the export routes decide per request whether secrets are included; the stricter
  // accounts.export-secrets is checked by the auth hook when the query requests them.
  'GET /api/v1/accounts/export.xlsx': 'accounts.export',
  'GET /api/v1/accounts/export.csv': 'accounts.export',

  'GET /api/v1/models': 'devices.read',
  'GET /api/v1/devices': 'devices.read',
  'POST /api/v1/devices': 'devices.write',
  'GET /api/v1/devices/:id': 'devices.read',
  'PATCH /api/v1/devices/:id': 'devices.write',
  'DELETE /api/v1/devices/:id': 'devices.write',
  'GET /api/v1/devices/:id/preview': 'accounts.export-secrets',
  'GET /api/v1/devices/:id/requests': 'devices.read',
  'GET /api/v1/devices/:id/provisioning-access': 'devices.read',
  'PUT /api/v1/devices/:id/provisioning-access': 'settings.manage',
  'GET /api/v1/discovered-devices': 'devices.read',
  'POST /api/v1/discovered-devices/:mac/adopt': 'devices.write',

  'POST /api/v1/push': 'push.run',
  'GET /api/v1/push/:id': 'devices.read',

  'GET /api/v1/provisioning-access': 'settings.read',
  'PUT /api/v1/provisioning-access': 'settings.manage',

  'GET /api/v1/users': 'users.manage',
  'POST /api/v1/users': 'users.manage',
  'GET /api/v1/users/:id': 'users.manage',
  'PATCH /api/v1/users/:id': 'users.manage',
  'DELETE /api/v1/users/:id': 'users.manage',
  'GET /api/v1/roles': 'users.manage',
  'POST /api/v1/roles': 'users.manage',
  'GET /api/v1/roles/:id': 'users.manage',
  'PATCH /api/v1/roles/:id': 'users.manage',
  'DELETE /api/v1/roles/:id': 'users.manage',
  'GET /api/v1/permissions': 'users.manage',
  'GET /api/v1/tokens': signedInOnly,
  'POST /api/v1/tokens': signedInOnly,
  'DELETE /api/v1/tokens/:id': signedInOnly,

  'GET /api/v1/audit': 'audit.read',
};

/** Looks up the rule of a route; `undefined` means the route is missing and must be rejected. */
export function ruleForRoute(method: string, routeUrl: string | undefined): RouteRule | undefined {
  if (routeUrl === undefined) return undefined;
  const effectiveMethod = method === 'HEAD' ? 'GET' : method;
  return routePermissions[`${effectiveMethod} ${routeUrl}`];
}

/** Built-in roles, created by the migration and kept in step at start-up. */
export const builtInRoles: { name: string; description: string; permissions: readonly Permission[] }[] = [
  { name: 'Administrator', description: 'Everything, including users, roles and settings', permissions },
  {
    name: 'Operator',
    description: 'Profiles, accounts, devices, push, import and export; no users, roles or settings',
    permissions: ['profiles.read', 'profiles.write', 'accounts.read', 'accounts.write', 'accounts.import', 'accounts.export', 'accounts.export-secrets', 'devices.read', 'devices.write', 'push.run', 'settings.read'],
  },
  { name: 'Read-only', description: 'Reads profiles, accounts and devices; changes nothing and sees no secrets', permissions: ['profiles.read', 'accounts.read', 'accounts.export', 'devices.read'] },
];
