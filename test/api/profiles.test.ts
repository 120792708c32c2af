import t from 'tap';

import { buildTestApp } from '../helpers/app.js';
import { testBackend } from '../helpers/database.js';
import { createAccount, createDevice, createProfile, profileBody } from '../helpers/fixtures.js';

// One app and database for the whole file: starting an embedded database takes seconds.
const app = await buildTestApp(t);

type Problem = { field: string; value?: unknown; message: string };

function problemOf(json: { details?: { fields?: Problem[] } }, field: string): Problem | undefined {
  return json.details?.fields?.find((problem) => problem.field === field);
}

t.test(`profile create, read, update, delete on ${testBackend}`, async (t) => {
  const body = {
    name: ' Head office ',
    sipServer: ' pbx.example.net ',
    sipPort: 5070,
    transport: 'tls',
    outboundProxy: 'proxy.example.net:5061',
    failoverServer: 'pbx2.example.net',
    registrationExpiry: 600,
    dtmfMode: 'sip-info',
    natTraversal: true,
    rport: false,
    mwiSubscribe: true,
    extraParameters: { P8681: 'on-site', LogUser_Admin: 'admin', P52: '2' },
  };

  const created = await app.call('POST', '/api/v1/profiles', body);
  t.equal(created.status, 201);
  t.match(created.json, { ...body, name: 'Head office', sipServer: 'pbx.example.net', version: 1 });

  const read = await app.call('GET', `/api/v1/profiles/${created.json.id}`);
  t.same(read.json, created.json);

  const patched = await app.call('PATCH', `/api/v1/profiles/${created.json.id}`, { transport: 'tcp', extraParameters: {}, version: 1 });
  t.equal(patched.status, 200);
  t.equal(patched.json.transport, 'tcp');
  t.same(patched.json.extraParameters, {}, 'sending extraParameters replaces them');
  t.equal(patched.json.sipPort, 5070, 'fields not sent keep their value');
  t.equal(patched.json.version, 2);

  const deleted = await app.call('DELETE', `/api/v1/profiles/${created.json.id}`);
  t.equal(deleted.status, 204);
  const gone = await app.call('GET', `/api/v1/profiles/${created.json.id}`);
  t.equal(gone.status, 404);
  t.equal(gone.json.code, 'profile_not_found');
});

t.test('profile defaults', async (t) => {

  const { status, json } = await app.call('POST', '/api/v1/profiles', { name: 'Minimal', sipServer: '192.0.2.10' });
  t.equal(status, 201);
  t.match(json, { sipPort: 5060, transport: 'udp', registrationExpiry: 3600, dtmfMode: 'rfc2833', natTraversal: false, rport: true, mwiSubscribe: false, extraParameters: {} });
});

t.test('profile field rules', async (t) => {
  await createProfile(app, { name: 'Taken' });

  const { status, json } = await app.call('POST', '/api/v1/profiles', {
    name: 'TAKEN',
    sipServer: '  ',
    sipPort: 0,
    transport: 'sctp',
    registrationExpiry: 10,
    dtmfMode: 'loud',
    natTraversal: 'on',
  });
  t.equal(status, 400);
  t.ok(problemOf(json, 'sipPort'), 'port 0 is rejected');
  t.match(problemOf(json, 'transport')?.message, /udp, tcp, tls|must be/);
  t.ok(problemOf(json, 'registrationExpiry'), 'expiry below 30 s is rejected');
  t.ok(problemOf(json, 'dtmfMode'));
  t.same(problemOf(json, 'natTraversal'), { field: 'natTraversal', value: 'on', message: 'must be true or false' });

  const blankAndTaken = await app.call('POST', '/api/v1/profiles', { name: 'taken', sipServer: ' ' });
  t.equal(blankAndTaken.status, 400);
  t.ok(problemOf(blankAndTaken.json, 'sipServer'), 'blank registrar is rejected');
  t.match(problemOf(blankAndTaken.json, 'name')?.message, /already used/, 'the name is unique in any case');
});

t.test('extra parameters against catalogue', async (t) => {

  const invalid = await app.call('POST', '/api/v1/profiles', profileBody({
    extraParameters: {
      P52: '1',
      P31: 'yes',
      P32: 'soon',
      Profile1_SipTransport: 'udp',
      account1_sipuserid: '201',
      'P 8681': 'x',
      p8681: 'x',
      Admin: 'x',
      P0: 'x',
    },
  }));
  t.equal(invalid.status, 400);
  t.match(problemOf(invalid.json, 'extraParameters.P52')?.message, /"0" \(off\), "2"/, 'NAT traversal takes 0 or 2');
  t.match(problemOf(invalid.json, 'extraParameters.P31')?.message, /"0" \(off\), "1" \(on\)/, 'a boolean takes 0 or 1');
  t.equal(problemOf(invalid.json, 'extraParameters.P31')?.value, 'yes');
  t.match(problemOf(invalid.json, 'extraParameters.P32')?.message, /whole number/);
  t.match(problemOf(invalid.json, 'extraParameters.Profile1_SipTransport')?.message, /"0" \(UDP\)/, 'element names are checked too');
  t.match(problemOf(invalid.json, 'extraParameters.account1_sipuserid')?.message, /spelt Account1_SipUserId/);
  for (const key of ['P 8681', 'p8681', 'Admin', 'P0']) {
    t.match(problemOf(invalid.json, `extraParameters.${key}`)?.message, /P8681.*LogUser_Admin/, `${key} is not a parameter name`);
  }

  const control = await app.call('POST', '/api/v1/profiles', profileBody({ extraParameters: { P9999: 'a\nb' } }));
  t.equal(control.status, 400);
  t.ok(problemOf(control.json, 'extraParameters.P9999'), 'control characters in a value are rejected');

  const valid = await app.call('POST', '/api/v1/profiles', profileBody({
    extraParameters: { P52: '2', P31: '0', P32: '1800', Profile2_SipTransport: '1', Account5_Label: 'any text', P8681: 'unknown code', LogUser_Admin: 'x' },
  }));
  t.equal(valid.status, 201, 'known keys with valid values and unknown well-formed keys are accepted');
  t.equal(valid.json.extraParameters.P8681, 'unknown code', 'values are stored as written');

  const numberValue = await app.call('POST', '/api/v1/profiles', profileBody({ extraParameters: { P8681: 1 } }));
  t.equal(numberValue.status, 400, 'values are text');
});

t.test('profile in use delete conflict', async (t) => {
  const profile = await createProfile(app, { name: 'Busy' });
  const first = await createAccount(app, profile.id);
  await createAccount(app, profile.id);
  const device = await createDevice(app, { mac: '001fc1000101', model: 'UC903', profileId: profile.id });

  const refused = await app.call('DELETE', `/api/v1/profiles/${profile.id}`);
  t.equal(refused.status, 409);
  t.equal(refused.json.code, 'profile_in_use');
  t.same(refused.json.details, { accountCount: 2, deviceCount: 1 });
  t.match(refused.json.message, /2 account\(s\) and 1 device\(s\)/);

  await app.call('DELETE', `/api/v1/devices/${device.id}`);
  const stillAccounts = await app.call('DELETE', `/api/v1/profiles/${profile.id}`);
  t.equal(stillAccounts.status, 409);
  t.same(stillAccounts.json.details, { accountCount: 2, deviceCount: 0 });

  await app.call('POST', '/api/v1/accounts/delete', { ids: [first.id, first.id + 1] });
  const done = await app.call('DELETE', `/api/v1/profiles/${profile.id}`);
  t.equal(done.status, 204, 'an unused profile is deleted');
});

t.test('profile list filters', async (t) => {
  await createProfile(app, { name: 'Berlin zq', sipServer: 'pbx.berlin.example', transport: 'tcp' });
  await createProfile(app, { name: 'Paris zq', sipServer: 'pbx.paris.example', transport: 'udp' });

  const byName = await app.call('GET', '/api/v1/profiles?name=BERLIN');
  t.same(byName.json.items.map((item: { name: string }) => item.name), ['Berlin zq']);
  t.equal(byName.json.total, 1);

  const byTransport = await app.call('GET', '/api/v1/profiles?name=zq&transport=udp');
  t.same(byTransport.json.items.map((item: { name: string }) => item.name), ['Paris zq']);

  const sorted = await app.call('GET', '/api/v1/profiles?name=ZQ&sort=name&order=desc');
  t.same(sorted.json.items.map((item: { name: string }) => item.name), ['Paris zq', 'Berlin zq']);

  const byServer = await app.call('GET', '/api/v1/profiles?sipServer=paris');
  t.equal(byServer.json.total, 1);
});

t.test('foreign key names', async (t) => {
  // The services turn a foreign-key violation into a 400 by constraint name, for a profile or
  // account deleted between their checks and their write.
  const { sql } = await import('kysely');
  const result = await sql<{ conname: string }>`select conname from pg_constraint where contype = 'f' order by conname`.execute(app.database.db);
  const names = result.rows.map((row) => row.conname);
  for (const name of ['accounts_profile_id_fkey', 'devices_profile_id_fkey', 'device_lines_account_id_fkey']) {
    t.ok(names.includes(name), `${name} exists`);
  }
});
