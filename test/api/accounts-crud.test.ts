import t from 'tap';

import { buildTestApp } from '../helpers/app.js';
import { testBackend } from '../helpers/database.js';
import { accountBody, createAccount, createProfile } from '../helpers/fixtures.js';

// One app and database for the whole file: starting an embedded database takes seconds.
const app = await buildTestApp(t);

t.test(`account create, read, update on ${testBackend}`, async (t) => {
  const profile = await createProfile(app);
  const body = accountBody(profile.id, { name: '  Reception  ', label: ' 201 ', directPickupCode: '   ' });

  const created = await app.call('POST', '/api/v1/accounts', body);
  t.equal(created.status, 201);
  t.equal(created.json.name, 'Reception', 'name is trimmed');
  t.equal(created.json.label, '201', 'label is trimmed');
  t.equal(created.json.directPickupCode, null, 'blank optional text is stored as null');
  t.equal(created.json.profileName, profile.name);
  t.equal(created.json.version, 1);
  t.equal(created.json.accountStatus, 'offline', 'offline until the phone status is known');
  t.equal(created.json.accountStatusChangedAt, null);
  t.equal(created.json.assignStatus, 'unallocated');
  t.notOk('authPassword' in created.json, 'password is never returned');
  t.notOk('pin' in created.json, 'PIN is never returned');

  const read = await app.call('GET', `/api/v1/accounts/${created.json.id}`);
  t.equal(read.status, 200);
  t.same(read.json, created.json, 'read returns what create returned');

  const patched = await app.call('PATCH', `/api/v1/accounts/${created.json.id}`, { label: 'Front desk', version: 1 });
  t.equal(patched.status, 200);
  t.equal(patched.json.label, 'Front desk');
  t.equal(patched.json.name, 'Reception', 'fields not sent keep their value');
  t.equal(patched.json.sipUserId, body.sipUserId);
  t.equal(patched.json.version, 2, 'each update raises the version');

  const withoutVersion = await app.call('PATCH', `/api/v1/accounts/${created.json.id}`, { active: false });
  t.equal(withoutVersion.status, 200, 'an update without a version is applied');
  t.equal(withoutVersion.json.active, false);
  t.equal(withoutVersion.json.version, 3);
});

t.test('account defaults', async (t) => {
  const profile = await createProfile(app);
  const minimal = { name: 'Bob', profileId: profile.id, label: 'Bob', sipUserId: '202', authId: '202', authPassword: 'pw-202', pin: '1234' };

  const { status, json } = await app.call('POST', '/api/v1/accounts', minimal);
  t.equal(status, 201);
  t.equal(json.localSipPort, 5060, 'Local SIP Port defaults to 5060');
  t.equal(json.active, true, 'Account Active defaults to true');
  t.equal(json.featureKeySync, false);
  t.equal(json.useRandomPort, false);
  t.equal(json.dialPlan, null);
});

t.test('password stored exactly', async (t) => {
  const profile = await createProfile(app);
  const password = 'a b&<"\'>é €';
  const account = await createAccount(app, profile.id, { authPassword: password });

  const row = await app.database.db.selectFrom('accounts').select(['authPassword', 'pin']).where('id', '=', account.id).executeTakeFirstOrThrow();
  t.equal(row.authPassword, password, 'inner spaces and symbols are kept');
  t.equal(row.pin, '4711');
});

t.test('account read missing', async (t) => {

  const { status, json } = await app.call('GET', '/api/v1/accounts/999');
  t.equal(status, 404);
  t.equal(json.code, 'account_not_found');
  t.match(json.message, /999/);
  t.match(json.message, /GET \/api\/v1\/accounts/, 'the message says where to look');

  const patch = await app.call('PATCH', '/api/v1/accounts/999', { label: 'x' });
  t.equal(patch.status, 404);
  t.equal(patch.json.code, 'account_not_found');
});

t.test('secrets never in the log', async (t) => {
  const profile = await createProfile(app);
  await createAccount(app, profile.id, { authPassword: 'never-log-this-1', pin: '98765' });
  await app.call('POST', '/api/v1/accounts', accountBody(profile.id, { authPassword: ' never-log-this-2', pin: 'abc98765' }));

  const { readFile } = await import('node:fs/promises');
  const log = await readFile(app.logFile, 'utf8');
  t.notMatch(log, /never-log-this/, 'no password in the log');
  t.notMatch(log, /98765/, 'no PIN in the log');
});
