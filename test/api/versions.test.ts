import t from 'tap';

import { buildTestApp } from '../helpers/app.js';
import { testBackend } from '../helpers/database.js';
import { createAccount, createDevice, createProfile } from '../helpers/fixtures.js';

// One app and database for the whole file: starting an embedded database takes seconds.
const app = await buildTestApp(t);

t.test(`stale account version on ${testBackend}`, async (t) => {
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id, { label: 'First' });
  const url = `/api/v1/accounts/${account.id}`;
  await app.call('PATCH', url, { label: 'Second', version: 1 });

  const stale = await app.call('PATCH', url, { label: 'Third', authPassword: 'new-secret', version: 1 });
  t.equal(stale.status, 409);
  t.equal(stale.json.code, 'version_conflict');
  t.same(stale.json.details, { id: account.id, sentVersion: 1, currentVersion: 2 });
  t.match(stale.json.message, /Reload/);

  const after = await app.call('GET', url);
  t.equal(after.json.label, 'Second', 'the stale update changed nothing');
  t.equal(after.json.version, 2);
  const row = await app.database.db.selectFrom('accounts').select('authPassword').where('id', '=', account.id).executeTakeFirstOrThrow();
  t.equal(row.authPassword, 's3cret-201', 'the password was not changed either');
});

t.test('stale profile version', async (t) => {
  const profile = await createProfile(app, { sipPort: 5060 });
  const url = `/api/v1/profiles/${profile.id}`;
  await app.call('PATCH', url, { sipPort: 5070, version: 1 });

  const stale = await app.call('PATCH', url, { sipPort: 5080, version: 1 });
  t.equal(stale.status, 409);
  t.equal(stale.json.code, 'version_conflict');

  const after = await app.call('GET', url);
  t.equal(after.json.sipPort, 5070, 'the stale update changed nothing');
  t.equal(after.json.version, 2);
});

t.test('stale device version', async (t) => {
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id);
  const device = await createDevice(app, { mac: '001fc1000401', model: 'UC926', profileId: profile.id, lines: [{ line: 1, accountId: account.id }] });
  const url = `/api/v1/devices/${device.id}`;
  await app.call('PATCH', url, { description: 'Desk', version: 1 });

  const stale = await app.call('PATCH', url, { description: 'Lobby', lines: [], version: 1 });
  t.equal(stale.status, 409);
  t.equal(stale.json.code, 'version_conflict');

  const after = await app.call('GET', url);
  t.equal(after.json.description, 'Desk', 'the stale update changed nothing');
  t.equal(after.json.lines.length, 1, 'the stale update kept the lines');
  t.equal(after.json.version, 2);
});

t.test('concurrent updates with one version', async (t) => {
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id);
  const url = `/api/v1/accounts/${account.id}`;

  const results = await Promise.all(['A', 'B', 'C', 'D'].map((label) => app.call('PATCH', url, { label, version: 1 })));
  const statuses = results.map((result) => result.status).sort();
  t.same(statuses, [200, 409, 409, 409], 'exactly one of four racing updates wins');

  const winner = results.find((result) => result.status === 200);
  const after = await app.call('GET', url);
  t.equal(after.json.label, winner?.json.label, 'the stored label is the winner');
  t.equal(after.json.version, 2);
});

t.test('PATCH without changes keeps the version', async (t) => {
  const profile = await createProfile(app, { sipPort: 5060, extraParameters: { P8681: 'a', P52: '2' } });
  const account = await createAccount(app, profile.id, { label: 'Same' });
  const device = await createDevice(app, { mac: '001fc1000501', model: 'UC926', profileId: profile.id, description: 'Desk', lines: [{ line: 1, accountId: account.id }] });

  const cases: [string, string, object, number][] = [
    ['empty account PATCH', `/api/v1/accounts/${account.id}`, {}, account.version],
    ['account PATCH with stored values', `/api/v1/accounts/${account.id}`, { label: 'Same', authPassword: 's3cret-201', version: account.version }, account.version],
    ['empty profile PATCH', `/api/v1/profiles/${profile.id}`, {}, profile.version],
    ['profile PATCH with stored values', `/api/v1/profiles/${profile.id}`, { sipPort: 5060, extraParameters: { P52: '2', P8681: 'a' } }, profile.version],
    ['empty device PATCH', `/api/v1/devices/${device.id}`, {}, device.version],
    ['device PATCH with stored values', `/api/v1/devices/${device.id}`, { description: 'Desk', lines: [{ line: 1, accountId: account.id }] }, device.version],
  ];
  for (const [name, url, body, version] of cases) {
    const before = await app.call('GET', url);
    const patched = await app.call('PATCH', url, body);
    t.equal(patched.status, 200, `${name}: 200`);
    t.equal(patched.json.version, version, `${name}: version unchanged`);
    t.equal(patched.json.updatedAt, before.json.updatedAt, `${name}: updatedAt unchanged`);
    t.same(patched.json, before.json, `${name}: returns the stored row`);
  }

  const changed = await app.call('PATCH', `/api/v1/accounts/${account.id}`, { label: 'Other' });
  t.equal(changed.json.version, account.version + 1, 'a real change still bumps the version');
  const stale = await app.call('PATCH', `/api/v1/accounts/${account.id}`, { version: account.version });
  t.equal(stale.status, 409, 'an empty PATCH with a stale version is still a conflict');
  const movedLines = await app.call('PATCH', `/api/v1/devices/${device.id}`, { lines: [] });
  t.equal(movedLines.json.version, device.version + 1, 'a change of lines bumps the device version');
});
