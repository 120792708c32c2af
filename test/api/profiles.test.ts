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

t.test('profile list and read count users', async (t) => {
  const busy = await createProfile(app, { name: 'Counted zc' });
  const idle = await createProfile(app, { name: 'Unused zc' });
  await createAccount(app, busy.id);
  await createAccount(app, busy.id);
  await createDevice(app, { mac: '001fc1000201', model: 'UC903', profileId: busy.id });

  const list = await app.call('GET', '/api/v1/profiles?name=zc&sort=name');
  t.equal(list.status, 200);
  t.match(list.json.items, [
    { name: 'Counted zc', accountCount: 2, deviceCount: 1 },
    { name: 'Unused zc', accountCount: 0, deviceCount: 0 },
  ]);

  const read = await app.call('GET', `/api/v1/profiles/${busy.id}`);
  t.equal(read.json.accountCount, 2, 'read: accountCount');
  t.equal(read.json.deviceCount, 1, 'read: deviceCount');

  const patched = await app.call('PATCH', `/api/v1/profiles/${busy.id}`, { sipPort: 5070 });
  t.equal(patched.json.accountCount, 2, 'update: accountCount');
  t.equal(patched.json.deviceCount, 1, 'update: deviceCount');

  const unchanged = await app.call('PATCH', `/api/v1/profiles/${idle.id}`, {});
  t.equal(unchanged.json.accountCount, 0, 'update without changes: accountCount');
  t.equal(unchanged.json.deviceCount, 0, 'update without changes: deviceCount');
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

t.test('profile registrar and proxy addresses', async (t) => {
  const rejectedServers = ['pbx.example.net:5070', 'sip://pbx.example.net/ x', 'sip:pbx.example.net', '[2001:db8::1]:5060', 'pbx example.net'];
  for (const sipServer of rejectedServers) {
    const { status, json } = await app.call('POST', '/api/v1/profiles', profileBody({ sipServer }));
    t.equal(status, 400, `sipServer ${sipServer} is rejected`);
    const problem = problemOf(json, 'sipServer');
    t.equal(problem?.value, sipServer, `problem for ${sipServer} has the value`);
    t.match(problem?.message, JSON.stringify(sipServer), `message for ${sipServer} names the value`);
    t.match(problem?.message, 'put the port in sipPort', `message for ${sipServer} says where the port goes`);
  }

  const portMessage = problemOf((await app.call('POST', '/api/v1/profiles', profileBody({ sipServer: 'pbx.example.net:5070' }))).json, 'sipServer')?.message;
  t.match(portMessage, 'contains a port');

  for (const sipServer of ['pbx.example.net', '192.0.2.10', '2001:db8::1', 'pbx']) {
    const { status } = await app.call('POST', '/api/v1/profiles', profileBody({ sipServer }));
    t.equal(status, 201, `sipServer ${sipServer} is accepted`);
  }

  for (const proxy of ['proxy.example.net', 'proxy.example.net:5061', '192.0.2.20:5060', '[2001:db8::2]:5061', '2001:db8::2']) {
    const { status, json } = await app.call('POST', '/api/v1/profiles', profileBody({ outboundProxy: proxy, failoverServer: proxy }));
    t.equal(status, 201, `proxy ${proxy} is accepted`);
    t.equal(json.outboundProxy, proxy);
  }

  for (const proxy of ['proxy.example.net:0', 'proxy.example.net:70000', 'sip:proxy.example.net', 'proxy.example.net:5061:5060', 'proxy.example.net/x']) {
    const { status, json } = await app.call('POST', '/api/v1/profiles', profileBody({ outboundProxy: proxy, failoverServer: proxy }));
    t.equal(status, 400, `proxy ${proxy} is rejected`);
    t.equal(problemOf(json, 'outboundProxy')?.value, proxy, `outboundProxy ${proxy} is named`);
    t.equal(problemOf(json, 'failoverServer')?.value, proxy, `failoverServer ${proxy} is named`);
  }

  const badPort = await app.call('POST', '/api/v1/profiles', profileBody({ outboundProxy: 'proxy.example.net:70000' }));
  t.match(problemOf(badPort.json, 'outboundProxy')?.message, 'from 1 to 65535');

  const profile = await createProfile(app);
  const patched = await app.call('PATCH', `/api/v1/profiles/${profile.id}`, { sipServer: 'pbx.example.net:5070' });
  t.equal(patched.status, 400, 'PATCH checks sipServer too');
  const cleared = await app.call('PATCH', `/api/v1/profiles/${profile.id}`, { outboundProxy: '' });
  t.equal(cleared.status, 200, 'an empty proxy clears it');
  t.equal(cleared.json.outboundProxy, null);
});

t.test('profile extra parameters reject secrets', async (t) => {
  const secretKeys = ['P34', 'P734', 'P506', 'Account1_AuthenticatePassword', 'Account9_AuthenticatePassword'];
  for (const key of secretKeys) {
    const { status, json } = await app.call('POST', '/api/v1/profiles', profileBody({ extraParameters: { [key]: 'hunter2' } }));
    t.equal(status, 400, `${key} is rejected`);
    const problem = problemOf(json, `extraParameters.${key}`);
    t.match(problem?.message, 'set it on the account', `${key} points to the account`);
    t.equal(problem?.value, key, `${key} problem names the key, not the password`);
    t.notMatch(JSON.stringify(json), 'hunter2', `${key} response does not echo the password`);
  }

  for (const key of ['P1361', 'FirmwareUpGrade_Password']) {
    const { status, json } = await app.call('POST', '/api/v1/profiles', profileBody({ extraParameters: { [key]: 'hunter2' } }));
    t.equal(status, 400, `${key} is rejected`);
    t.match(problemOf(json, `extraParameters.${key}`)?.message, 'set it in provisioning access', `${key} points to provisioning access`);
    t.notMatch(JSON.stringify(json), 'hunter2', `${key} response does not echo the password`);
  }

  const profile = await createProfile(app);
  const patched = await app.call('PATCH', `/api/v1/profiles/${profile.id}`, { extraParameters: { P34: 'hunter2' } });
  t.equal(patched.status, 400, 'PATCH rejects secrets too');

  const allowed = await app.call('POST', '/api/v1/profiles', profileBody({ extraParameters: { P35: '201', P1360: 'fleet' } }));
  t.equal(allowed.status, 201, 'non-secret keys are still accepted');
});
