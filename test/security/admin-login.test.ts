import { sql } from 'kysely';
import t from 'tap';

import { accountBody, profileBody } from '../helpers/fixtures.js';
import { buildSecureApp, testPassword } from './security-app.js';

function cookiesOf(headers: Record<string, unknown>): Record<string, string> {
  const list = ([] as string[]).concat((headers['set-cookie'] as string | string[] | undefined) ?? []);
  return Object.fromEntries(list.map((cookie) => cookie.split(';')[0]!.split('=') as [string, string]));
}

t.test('login sets a session and CSRF cookie', async (t) => {
  const app = await buildSecureApp(t);
  await app.addUser('root', 'Administrator');

  const login = await app.call('POST', '/api/v1/auth/login', { body: { username: 'root', password: testPassword } });
  t.equal(login.status, 200, 'login succeeds');
  const setCookie = ([] as string[]).concat(login.headers['set-cookie'] as string[]);
  t.match(setCookie.find((cookie) => cookie.startsWith('htek_session='))!, /HttpOnly/, 'the session cookie is HttpOnly');
  t.match(setCookie.find((cookie) => cookie.startsWith('htek_session='))!, /SameSite=Strict/, 'the session cookie is SameSite=Strict');
  t.notMatch(setCookie.find((cookie) => cookie.startsWith('htek_csrf='))!, /HttpOnly/, 'the CSRF cookie is readable by the page');

  const cookies = cookiesOf(login.headers);
  const cookie = `htek_session=${cookies.htek_session}; htek_csrf=${cookies.htek_csrf}`;
  const me = await app.call('GET', '/api/v1/auth/me', { headers: { cookie } });
  t.equal(me.json.user.username, 'root', 'the session signs the user in');

  const withoutCsrf = await app.call('POST', '/api/v1/profiles', { headers: { cookie }, body: profileBody() });
  t.equal(withoutCsrf.status, 403, 'a change without the CSRF header is rejected');
  t.equal(withoutCsrf.json.code, 'csrf_token_invalid', 'the rejection names the CSRF token');

  const withCsrf = await app.call('POST', '/api/v1/profiles', { headers: { cookie, 'x-csrf-token': login.json.csrfToken }, body: profileBody() });
  t.equal(withCsrf.status, 201, 'a change with the CSRF header succeeds');
});

t.test('failed logins are rate-limited and audited', async (t) => {
  const app = await buildSecureApp(t);
  await app.addUser('root', 'Administrator');

  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) statuses.push((await app.call('POST', '/api/v1/auth/login', { body: { username: 'root', password: 'wrong password' } })).status);
  t.same(statuses.slice(0, 5), [401, 401, 401, 401, 401], 'the first failures get 401');
  t.equal(statuses[6], 429, 'later attempts get 429');

  const audit = await app.call('GET', '/api/v1/audit?action=login&outcome=failure', { as: 'root' });
  t.ok(audit.json.items.length >= 5, 'failed logins are in the audit log');
});

t.test('Basic is refused over HTTP from a remote address', async (t) => {
  const app = await buildSecureApp(t);
  await app.addUser('root', 'Administrator');
  const response = await app.call('GET', '/api/v1/profiles', { as: 'root', remoteAddress: '198.51.100.9' });
  t.equal(response.status, 401, 'Basic over HTTP from a remote address gets 401');
  t.equal(response.json.code, 'basic_auth_not_allowed', 'the answer names the cause');
});

t.test('API tokens authenticate scripts', async (t) => {
  const app = await buildSecureApp(t);
  await app.addUser('root', 'Administrator');
  const created = await app.call('POST', '/api/v1/tokens', { as: 'root', body: { name: 'backup script' } });
  t.equal(created.status, 201, 'the token is created');

  const response = await app.call('GET', '/api/v1/profiles', { headers: { authorization: `Bearer ${created.json.token}` }, remoteAddress: '198.51.100.9' });
  t.equal(response.status, 200, 'the token is accepted from any address');
});

t.test('secrets are encrypted at rest and audited masked', async (t) => {
  const app = await buildSecureApp(t);
  await app.addUser('root', 'Administrator');
  const profile = await app.call('POST', '/api/v1/profiles', { as: 'root', body: profileBody() });
  const account = await app.call('POST', '/api/v1/accounts', { as: 'root', body: accountBody(profile.json.id, { authPassword: 'plain-sip-secret', pin: '8642' }) });
  t.equal(account.status, 201, 'the account is created');

  const raw = await sql<{ auth_password: string; pin: string }>`select auth_password, pin from accounts where id = ${account.json.id}`.execute(app.database.db.withoutPlugins());
  t.match(raw.rows[0]!.auth_password, /^enc:v1:/, 'the SIP password is stored encrypted');
  t.match(raw.rows[0]!.pin, /^enc:v1:/, 'the PIN is stored encrypted');

  const read = await app.database.db.selectFrom('accounts').select(['authPassword', 'pin']).where('id', '=', account.json.id).executeTakeFirstOrThrow();
  t.equal(read.authPassword, 'plain-sip-secret', 'Kysely reads the SIP password as plaintext');
  t.equal(read.pin, '8642', 'Kysely reads the PIN as plaintext');

  const changed = await app.call('PATCH', `/api/v1/accounts/${account.json.id}`, { as: 'root', body: { name: 'Renamed', version: account.json.version } });
  t.equal(changed.status, 200, 'the account is changed');
  const audit = await app.call('GET', `/api/v1/audit?objectType=account&objectId=${account.json.id}&action=patch`, { as: 'root' });
  const entry = audit.json.items[0];
  t.equal(entry.actor, 'root', 'the audit entry names the actor');
  t.equal(entry.before.name, account.json.name, 'the entry has the value before');
  t.equal(entry.after.name, 'Renamed', 'the entry has the value after');
  t.equal(entry.after.authPassword, '[secret]', 'the SIP password is masked');
  t.notMatch(JSON.stringify(audit.json), /plain-sip-secret|8642/, 'no secret is in the audit list');
});
