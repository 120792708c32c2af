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
