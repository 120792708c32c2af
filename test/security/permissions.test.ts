import t from 'tap';

import { builtInRoles, ruleForRoute } from '../../src/auth/permissions.js';
import { accountBody, profileBody } from '../helpers/fixtures.js';
import { buildSecureApp } from './security-app.js';

t.test('every admin route has a permission', async (t) => {
  const { app } = await buildSecureApp(t);
  const routes = collectRoutes(app);
  t.ok(routes.length > 20, `found ${routes.length} admin routes`);
  for (const route of routes) {
    const [method = '', url] = route.split(' ');
    t.not(ruleForRoute(method, url), undefined, `${route} is in the permission map`);
  }
});

function collectRoutes(app: { printRoutes(options: object): string }): string[] {
  // printRoutes with includeMeta is not stable across Fastify versions, so the routes are
  // rebuilt from the tree text: each line ends with its methods in brackets.
  const lines = app.printRoutes({ commonPrefix: false }).split('\n');
  const stack: string[] = [];
  const found: string[] = [];
  for (const line of lines) {
    const match = /^([\s│├└─]*)(\S.*?) \(([^)]+)\)$/.exec(line.replace(/[├└]── /g, '    '));
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack[depth] = match[2]!;
    const url = stack.join('');
    if (!url.startsWith('/api/v1') && !url.startsWith('api/v1')) continue;
    for (const method of match[3]!.split(', ')) {
      if (method !== 'HEAD') found.push(`${method} ${url.startsWith('/') ? url : `/${url}`}`);
    }
  }
  return found;
}

t.test('role matrix', async (t) => {
  const app = await buildSecureApp(t);
  await app.addUser('root', 'Administrator');
  await app.addUser('operator', 'Operator');
  await app.addUser('viewer', 'Read-only');
  const custom = await app.call('POST', '/api/v1/roles', { as: 'root', body: { name: 'Auditor', permissions: ['audit.read'] } });
  t.equal(custom.status, 201, 'a custom role is created');
  await app.addUser('auditor', 'Auditor');

  const profile = await app.call('POST', '/api/v1/profiles', { as: 'root', body: profileBody() });
  t.equal(profile.status, 201, 'the administrator creates a profile');

  const cases: [string, string, string, () => unknown, number[]][] = [
    ['operator', 'POST', '/api/v1/accounts', () => accountBody(profile.json.id), [201]],
    ['operator', 'GET', '/api/v1/accounts', () => undefined, [200]],
    ['operator', 'GET', '/api/v1/users', () => undefined, [403]],
    ['operator', 'POST', '/api/v1/roles', () => ({ name: 'X', permissions: [] }), [403]],
    ['operator', 'GET', '/api/v1/audit', () => undefined, [403]],
    ['viewer', 'GET', '/api/v1/accounts', () => undefined, [200]],
    ['viewer', 'POST', '/api/v1/accounts', () => accountBody(profile.json.id), [403]],
    ['viewer', 'GET', '/api/v1/accounts/export.csv?includeSecrets=true', () => undefined, [403]],
    ['viewer', 'PATCH', `/api/v1/profiles/${profile.json.id}`, () => ({ name: 'changed' }), [403]],
    ['viewer', 'GET', '/api/v1/users', () => undefined, [403]],
    ['auditor', 'GET', '/api/v1/audit', () => undefined, [200]],
    ['auditor', 'GET', '/api/v1/accounts', () => undefined, [403]],
    ['root', 'GET', '/api/v1/users', () => undefined, [200]],
    ['root', 'GET', '/api/v1/audit', () => undefined, [200]],
  ];
  for (const [user, method, url, body, expected] of cases) {
    const response = await app.call(method as 'GET', url, { as: user, body: body() });
    t.ok(expected.includes(response.status), `${user} ${method} ${url} is ${expected.join(' or ')} (got ${response.status})`);
  }

  const anonymous = await app.call('GET', '/api/v1/accounts');
  t.equal(anonymous.status, 401, 'no credentials get 401');
  t.equal(anonymous.json.code, 'authentication_required', '401 names the cause');
});

t.test('built-in roles cover the permissions', async (t) => {
  const admin = builtInRoles.find((role) => role.name === 'Administrator')!;
  const operator = builtInRoles.find((role) => role.name === 'Operator')!;
  t.ok(admin.permissions.includes('users.manage'), 'Administrator manages users');
  t.notOk(operator.permissions.includes('users.manage'), 'Operator does not manage users');
  t.notOk(operator.permissions.includes('settings.manage'), 'Operator does not manage settings');
});
