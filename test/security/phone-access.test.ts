import t from 'tap';

import { forgetCachedAccessSettings } from '../../src/provisioning-access/access-settings.js';

import { accountBody, profileBody } from '../helpers/fixtures.js';
import { buildSecureApp, type SecureTestApp } from './security-app.js';

const internetAddress = '203.0.113.7';
const fleet = { username: 'fleet', password: 'fleet-pass-1' };

async function setUpDevice(app: SecureTestApp, mac: string) {
  await app.addUser('root', 'Administrator');
  const profile = await app.call('POST', '/api/v1/profiles', { as: 'root', body: profileBody() });
  const account = await app.call('POST', '/api/v1/accounts', { as: 'root', body: accountBody(profile.json.id) });
  const device = await app.call('POST', '/api/v1/devices', { as: 'root', body: { mac, model: 'UC926', profileId: profile.json.id, lines: [{ line: 1, accountId: account.json.id }] } });
  t.equal(device.status, 201, 'the device is created');
}

function basic(pair: { username: string; password: string }) {
  return { authorization: `Basic ${Buffer.from(`${pair.username}:${pair.password}`).toString('base64')}` };
}

async function setFleet(app: SecureTestApp, pair: { username: string; password: string }, extra: Record<string, unknown> = {}) {
  await app.database.db
    .updateTable('provisioningAccess')
    .set((eb) => ({
      previousFleetUsername: eb.ref('fleetUsername'),
      previousFleetPassword: eb.ref('fleetPassword'),
      fleetUsername: pair.username,
      fleetPassword: pair.password,
      fleetChangedAt: new Date(),
      allowBasicOverHttp: true,
      ...extra,
    }))
    .where('id', '=', 1)
    .execute();
  forgetCachedAccessSettings(app.database.db);
}

t.test('1000 guessed MACs get no password and end blocked', async (t) => {
  const app = await buildSecureApp(t);
  await setUpDevice(app, '001fc1000001');

  const statuses = new Map<number, number>();
  for (let i = 0; i < 1000; i++) {
    const mac = `001fc1${(i + 1).toString(16).padStart(6, '0')}`;
    const response = await app.call('GET', `/cfg${mac}.xml`, { remoteAddress: internetAddress });
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    if (response.body.includes('s3cret-201') || response.body.includes('AuthenticatePassword')) t.fail(`password served for ${mac}`);
  }
  t.equal(statuses.get(200) ?? 0, 0, 'no file was served');
  t.ok((statuses.get(429) ?? 0) > 900, `the address ended up blocked (${statuses.get(429)} answers 429)`);

  const fromLan = await app.call('GET', '/cfg001fc1000001.xml', { remoteAddress: '192.168.1.20' });
  t.equal(fromLan.status, 200, 'a phone on a private network is still served');
});

t.test('wrong, missing and expired credentials get 401', async (t) => {
  const app = await buildSecureApp(t);
  await setUpDevice(app, '001fc1000002');
  await setFleet(app, { username: 'old', password: 'old-pass-1' });
  await setFleet(app, fleet, { graceMinutes: 0 });
  const url = '/cfg001fc1000002.xml';

  const cases: [string, Record<string, string>][] = [
    ['missing', {}],
    ['wrong', basic({ username: 'fleet', password: 'nope' })],
    ['expired', basic({ username: 'old', password: 'old-pass-1' })],
  ];
  for (const [name, headers] of cases) {
    const response = await app.call('GET', url, { headers, remoteAddress: internetAddress });
    t.equal(response.status, 401, `${name} credentials get 401`);
    t.equal(response.body, '', `${name} credentials get no body`);
    t.match(String(response.headers['www-authenticate']), /^Basic/, `${name} credentials get a Basic challenge`);
  }

  const valid = await app.call('GET', url, { headers: basic(fleet), remoteAddress: internetAddress });
  t.equal(valid.status, 200, 'the fleet credentials are accepted');
  t.match(valid.body, /P1360.*fleet/, 'the file sets the fleet user name on the phone');
  t.match(valid.body, /P1361.*fleet-pass-1/, 'the file sets the fleet password on the phone');
});

t.test('old fleet credentials work within the grace period', async (t) => {
  const app = await buildSecureApp(t);
  await setUpDevice(app, '001fc1000003');
  await setFleet(app, { username: 'old', password: 'old-pass-1' });
  await setFleet(app, fleet, { graceMinutes: 60 });

  const response = await app.call('GET', '/cfg001fc1000003.xml', { headers: basic({ username: 'old', password: 'old-pass-1' }), remoteAddress: internetAddress });
  t.equal(response.status, 200, 'the previous credentials are still accepted');
});

t.test('Basic over plain HTTP is refused from the internet', async (t) => {
  const app = await buildSecureApp(t);
  await setUpDevice(app, '001fc1000004');
  await setFleet(app, fleet, { allowBasicOverHttp: false });

  const response = await app.call('GET', '/cfg001fc1000004.xml', { headers: basic(fleet), remoteAddress: internetAddress });
  t.equal(response.status, 401, 'Basic over HTTP gets 401');
});
