import t from 'tap';

import { buildTestApp } from '../helpers/app.js';
import { createAccount, createDevice, createProfile } from '../helpers/fixtures.js';

t.test('export with secrets is audited', async (t) => {
  const app = await buildTestApp(t);
  const profile = await createProfile(app);
  await createAccount(app, profile.id, { authPassword: 'audit-export-secret' });

  const plain = await app.call('GET', '/api/v1/accounts/export.csv');
  t.equal(plain.status, 200, 'the export without secrets succeeds');
  const withSecrets = await app.call('GET', '/api/v1/accounts/export.csv?includeSecrets=true');
  t.equal(withSecrets.status, 200, 'the export with secrets succeeds');

  const audit = await app.call('GET', '/api/v1/audit?action=export-secrets');
  t.equal(audit.json.items.length, 1, 'one export with secrets is audited, the plain one is not');
  t.equal(audit.json.items[0].actor, 'test-admin', 'the entry names the user');
  t.equal(audit.json.items[0].outcome, 'success', 'the entry has the outcome');
  t.notMatch(JSON.stringify(audit.json), /audit-export-secret/, 'the entry holds no secret');
});

t.test('push is audited', async (t) => {
  const app = await buildTestApp(t);
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id);
  const device = await createDevice(app, { mac: '001fc1b10001', model: 'UC926', profileId: profile.id, lines: [{ line: 1, accountId: account.id }] });

  const push = await app.call('POST', '/api/v1/push', { deviceIds: [device.id], mode: 'now' });
  t.equal(push.status, 201, 'the push is queued');

  const audit = await app.call('GET', '/api/v1/audit?objectType=push');
  const entry = audit.json.items[0];
  t.ok(entry, 'the push has an audit entry');
  t.equal(entry?.route, '/api/v1/push', 'the entry names the route');
  t.equal(entry?.actor, 'test-admin', 'the entry names the user');
  t.equal(entry?.objectId, String(push.json.id), 'the entry names the push job');
});
