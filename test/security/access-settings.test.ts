import fs from 'node:fs';

import t from 'tap';

import { buildApp } from '../../src/app.js';
import { createProvisioningService } from '../../src/provisioning/provisioning-service.js';
import { createRenderer } from '../../src/provisioning/renderer.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createAccount, createDevice, createProfile } from '../helpers/fixtures.js';
import { createTestLogger } from '../helpers/logger.js';

const internetAddress = '203.0.113.7';
const lanAddress = '192.168.1.20';
const fleet = { username: 'fleet', password: 'fleet-pass-1' };

function basic(pair: { username: string; password: string }) {
  return { authorization: `Basic ${Buffer.from(`${pair.username}:${pair.password}`).toString('base64')}` };
}

function settingsBody(overrides: Record<string, unknown> = {}) {
  return { mode: 'networks-or-credentials', allowedNetworks: ['127.0.0.0/8', '10.0.0.0/8', '192.168.0.0/16'], fleetUsername: null, graceMinutes: 60, allowBasicOverHttp: true, ...overrides };
}

async function addDevice(app: TestApp, mac: string) {
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id);
  return createDevice(app, { mac, model: 'UC926', profileId: profile.id, lines: [{ line: 1, accountId: account.id }] });
}

async function fetchFile(app: TestApp, mac: string, remoteAddress: string, headers: Record<string, string> = {}) {
  const response = await app.app.inject({ url: `/cfg${mac}.xml`, remoteAddress, headers });
  return { status: response.statusCode, body: response.body };
}

t.test('settings API never returns passwords', async (t) => {
  const app = await buildTestApp(t);

  const initial = await app.call('GET', '/api/v1/provisioning-access');
  t.equal(initial.status, 200, 'the settings are readable');
  t.equal(initial.json.mode, 'networks-or-credentials', 'the default mode serves private networks without credentials');
  t.ok(initial.json.allowedNetworks.includes('fc00::/7'), 'the default networks include fc00::/7');
  t.equal(initial.json.fleetPasswordSet, false, 'no fleet password is set at first');

  const updated = await app.call('PUT', '/api/v1/provisioning-access', settingsBody({ fleetUsername: fleet.username, fleetPassword: fleet.password }));
  t.equal(updated.status, 200, 'the settings are changed');
  t.equal(updated.json.fleetUsername, 'fleet', 'the fleet user is returned');
  t.equal(updated.json.fleetPasswordSet, true, 'the response says a password is stored');
  t.notMatch(updated.response.body, /fleet-pass-1/, 'the PUT response has no password');
  t.notMatch((await app.call('GET', '/api/v1/provisioning-access')).response.body, /fleet-pass-1/, 'the GET response has no password');

  const audit = await app.call('GET', '/api/v1/audit?objectType=provisioning-access');
  t.equal(audit.json.items[0]?.action, 'put', 'the change is audited');
  t.equal(audit.json.items[0]?.after.fleetPassword, '[secret]', 'the audited password is masked');
  t.notMatch(JSON.stringify(audit.json), /fleet-pass-1/, 'the audit list has no password');
});

t.test('settings API rejects bad input', async (t) => {
  const app = await buildTestApp(t);

  const network = await app.call('PUT', '/api/v1/provisioning-access', settingsBody({ allowedNetworks: ['10.0.0.0/8', '10.1.2.300/24'] }));
  t.equal(network.status, 400, 'an invalid CIDR is rejected');
  t.equal(network.json.details.fields[0].field, 'allowedNetworks[1]', 'the error names the entry');
  t.match(network.json.message, /10\.1\.2\.300\/24/, 'the message shows the value');

  const noPassword = await app.call('PUT', '/api/v1/provisioning-access', settingsBody({ fleetUsername: 'fleet' }));
  t.equal(noPassword.status, 400, 'a fleet user without a password is rejected');
  t.equal(noPassword.json.details.fields[0].field, 'fleetPassword', 'the error names the password');

  const mode = await app.call('PUT', '/api/v1/provisioning-access', settingsBody({ mode: 'everyone' }));
  t.equal(mode.status, 400, 'an unknown mode is rejected');

  const unchanged = await app.call('GET', '/api/v1/provisioning-access');
  t.equal(unchanged.json.allowedNetworks.length, 6, 'rejected changes store nothing');
});

t.test('settings PUT keeps omitted fields', async (t) => {
  const app = await buildTestApp(t);
  const full = await app.call('PUT', '/api/v1/provisioning-access', settingsBody({ fleetUsername: fleet.username, fleetPassword: fleet.password, graceMinutes: 90, allowBasicOverHttp: false }));
  t.equal(full.status, 200);

  const modeOnly = await app.call('PUT', '/api/v1/provisioning-access', { mode: 'credentials' });
  t.equal(modeOnly.status, 200, 'a PUT with only the mode is accepted');
  t.equal(modeOnly.json.mode, 'credentials', 'the sent field is changed');
  t.equal(modeOnly.json.fleetUsername, 'fleet', 'the fleet user is kept');
  t.equal(modeOnly.json.fleetPasswordSet, true, 'the fleet password is kept');
  t.equal(modeOnly.json.previousFleetUsername, null, 'keeping the credentials is no rotation');
  t.equal(modeOnly.json.graceMinutes, 90, 'graceMinutes is kept');
  t.equal(modeOnly.json.allowBasicOverHttp, false, 'allowBasicOverHttp is kept');
  t.same(modeOnly.json.allowedNetworks, settingsBody().allowedNetworks, 'allowedNetworks is kept');

  const empty = await app.call('PUT', '/api/v1/provisioning-access', {});
  t.equal(empty.status, 200, 'an empty PUT is accepted');
  t.equal(empty.json.mode, 'credentials', 'an empty PUT changes nothing');
});

t.test('settings PUT reports every invalid field', async (t) => {
  const app = await buildTestApp(t);
  const response = await app.call('PUT', '/api/v1/provisioning-access', { mode: 'everyone', allowedNetworks: ['10.0.0.0/8', '10.1.2.300/24'], graceMinutes: -1 });
  t.equal(response.status, 400);
  const fields = response.json.details.fields.map((problem: { field: string }) => problem.field).sort();
  t.same(fields, ['allowedNetworks[1]', 'graceMinutes', 'mode'], 'schema problems and the invalid network come in one response');
  t.match(response.json.message, /10\.1\.2\.300\/24/, 'the message shows the network');

  const passwordAndNetwork = await app.call('PUT', '/api/v1/provisioning-access', { fleetUsername: 'fleet', allowedNetworks: ['bad'] });
  t.equal(passwordAndNetwork.status, 400);
  const serviceFields = passwordAndNetwork.json.details.fields.map((problem: { field: string }) => problem.field).sort();
  t.same(serviceFields, ['allowedNetworks[0]', 'fleetPassword'], 'a missing password and a bad network come in one response');
});

t.test('each mode decides who gets the file', async (t) => {
  const app = await buildTestApp(t);
  const mac = '001fc1a00001';
  await addDevice(app, mac);

  await app.call('PUT', '/api/v1/provisioning-access', settingsBody({ mode: 'networks' }));
  t.equal((await fetchFile(app, mac, lanAddress)).status, 200, 'networks: an allowed network is served');
  t.equal((await fetchFile(app, mac, internetAddress)).status, 403, 'networks: other addresses get 403');

  await app.call('PUT', '/api/v1/provisioning-access', settingsBody({ mode: 'credentials', fleetUsername: fleet.username, fleetPassword: fleet.password }));
  t.equal((await fetchFile(app, mac, lanAddress)).status, 401, 'credentials: an allowed network without credentials gets 401');
  t.equal((await fetchFile(app, mac, lanAddress, basic(fleet))).status, 200, 'credentials: the fleet credentials are served');

  await app.call('PUT', '/api/v1/provisioning-access', settingsBody({ mode: 'open' }));
  const open = await fetchFile(app, mac, internetAddress);
  t.equal(open.status, 200, 'open: any address is served');
  t.notMatch(open.body, /P1361/, 'open without fleet credentials writes no phone access password');
});

t.test('fleet credentials change with a grace period', async (t) => {
  const app = await buildTestApp(t);
  const mac = '001fc1a00002';
  await addDevice(app, mac);
  const old = { username: 'old', password: 'old-pass-1' };

  await app.call('PUT', '/api/v1/provisioning-access', settingsBody({ fleetUsername: old.username, fleetPassword: old.password }));
  const changed = await app.call('PUT', '/api/v1/provisioning-access', settingsBody({ fleetUsername: fleet.username, fleetPassword: fleet.password, graceMinutes: 60 }));
  t.equal(changed.json.previousFleetUsername, 'old', 'the previous user is kept');
  t.type(changed.json.previousAcceptedUntil, 'string', 'the end of the grace period is returned');

  t.equal((await fetchFile(app, mac, internetAddress, basic(old))).status, 200, 'the old pair works within the grace period');
  const served = await fetchFile(app, mac, internetAddress, basic(fleet));
  t.equal(served.status, 200, 'the new pair works');
  t.match(served.body, /P1361[^>]*>fleet-pass-1</, 'the file hands the new password to the phone');

  await app.call('PUT', '/api/v1/provisioning-access', settingsBody({ fleetUsername: fleet.username, graceMinutes: 0 }));
  t.equal((await fetchFile(app, mac, internetAddress, basic(old))).status, 401, 'the old pair fails once the grace period is over');
  t.equal((await fetchFile(app, mac, internetAddress, basic(fleet))).status, 200, 'a PUT without a password keeps the stored one');
});

t.test('device override and own credentials', async (t) => {
  const app = await buildTestApp(t);
  const own = { username: 'desk-12', password: 'desk-12-pass' };
  const device = await addDevice(app, '001fc1a00003');
  const other = await addDevice(app, '001fc1a00004');
  await app.call('PUT', '/api/v1/provisioning-access', settingsBody({ mode: 'credentials', fleetUsername: fleet.username, fleetPassword: fleet.password }));

  const set = await app.call('PUT', `/api/v1/devices/${device.id}/provisioning-access`, { mode: null, username: own.username, password: own.password });
  t.equal(set.status, 200, 'the device gets its own credentials');
  t.same(set.json, { deviceId: device.id, mode: null, username: 'desk-12', passwordSet: true, effectiveMode: 'credentials' }, 'the response has no password');

  t.equal((await fetchFile(app, device.mac, internetAddress, basic(own))).status, 200, 'the device pair is accepted');
  t.equal((await fetchFile(app, device.mac, internetAddress, basic(fleet))).status, 401, 'the fleet pair is not accepted for this device');
  t.equal((await fetchFile(app, other.mac, internetAddress, basic(fleet))).status, 200, 'other devices keep the fleet pair');
  t.match((await fetchFile(app, device.mac, internetAddress, basic(own))).body, /P1360[^>]*>desk-12</, 'the file hands the device user to the phone');

  const opened = await app.call('PUT', `/api/v1/devices/${other.id}/provisioning-access`, { mode: 'open', username: null });
  t.equal(opened.json.effectiveMode, 'open', 'the override changes the effective mode');
  t.equal((await fetchFile(app, other.mac, internetAddress)).status, 200, 'the open device is served without credentials');

  const noPassword = await app.call('PUT', `/api/v1/devices/${other.id}/provisioning-access`, { mode: null, username: 'x-user' });
  t.equal(noPassword.status, 400, 'a device user without a password is rejected');
  t.equal((await app.call('PUT', '/api/v1/devices/999999/provisioning-access', { mode: null, username: null })).status, 404, 'an unknown device gets 404');

  const audit = await app.call('GET', `/api/v1/audit?objectType=device-provisioning-access&objectId=${device.id}`);
  t.equal(audit.json.items[0]?.after.devicePassword, '[secret]', 'the audited device password is masked');
});

t.test('P1360 and P1361 come from the settings', async (t) => {
  const app = await buildTestApp(t);
  const device = await addDevice(app, '001fc1a00005');
  await app.call('PUT', '/api/v1/provisioning-access', settingsBody({ fleetUsername: fleet.username, fleetPassword: fleet.password }));

  const preview = await app.call('GET', `/api/v1/devices/${device.id}/preview`);
  t.match(preview.json.body, /P1360[^>]*>fleet</, 'the preview has the fleet user before any phone fetch');
  t.match(preview.json.body, /P1361[^>]*>\*+</, 'the preview masks the fleet password');

  const { logger } = createTestLogger('access-settings-render');
  const provisioning = createProvisioningService({ db: app.database.db, logger, renderer: createRenderer(undefined), publicUrl: 'http://prov.example.net/', checkIntervalMinutes: 1440 });
  const rendered = await provisioning.renderForMac(device.mac, 'http://prov.example.net/');
  t.match(rendered, /P1361[^>]*>fleet-pass-1</, 'the render command writes the fleet password');
});

t.test('open mode is warned about at start-up', async (t) => {
  const app = await buildTestApp(t);
  await app.call('PUT', '/api/v1/provisioning-access', settingsBody({ mode: 'open' }));

  const { logger, file } = createTestLogger('access-settings-open-start');
  const restarted = await buildApp({ config: { publicUrl: undefined, templatesDir: undefined }, db: app.database.db, logger });
  t.teardown(() => restarted.close());
  await restarted.ready();
  logger.flush();

  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  const warning = lines.find((entry) => /phone access mode is open/.test(entry.msg));
  t.ok(warning, 'the start-up log warns about the open mode');
  t.equal(warning?.level, 40, 'at warn level');
});
