import t, { type Test } from 'tap';

import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createAdminToken, signInjectAsAdmin } from '../helpers/admin.js';
import { openTestDatabase } from '../helpers/database.js';
import { createAccount, createDevice, createProfile } from '../helpers/fixtures.js';
import { createTestLogger } from '../helpers/logger.js';

const { logger } = createTestLogger('status');

/** Builds the app with Action URLs on, as `htek-dms serve` does by default. */
async function buildStatusApp(t: Test) {
  const database = await openTestDatabase(t, logger);
  const config = loadConfig({ HTEK_DMS_PUBLIC_URL: 'http://prov.example.net/', HTEK_DMS_NOT_SEEN_AFTER: '60' });
  const app = await buildApp({ config, db: database.db, logger, push: { config: config.push } });
  t.teardown(() => app.close());
  signInjectAsAdmin(app, await createAdminToken(database.db));

  const call = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
    const response = await app.inject({ method, url, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: response.statusCode, json: response.body.startsWith('{') ? response.json() : undefined, response };
  };
  return { app, database, logFile: '', call };
}

async function setUp(t: Test) {
  const testApp = await buildStatusApp(t);
  const profile = await createProfile(testApp as never);
  const first = await createAccount(testApp as never, profile.id, { sipUserId: 'status1' });
  const second = await createAccount(testApp as never, profile.id, { sipUserId: 'status2' });
  const device = await createDevice(testApp as never, {
    mac: '001fc1ff0001',
    model: 'UC926',
    profileId: profile.id,
    lines: [
      { line: 1, accountId: first.id },
      { line: 2, accountId: second.id },
    ],
  });
  const file = await testApp.app.inject({ url: '/cfg001fc1ff0001.xml' });
  const token = /phone-events\/([0-9a-f]+)\/registered/.exec(file.body)?.[1] ?? '';
  return { ...testApp, first, second, device, file, token };
}

t.test('phone file carries Action URLs', async (t) => {
  const { file, token } = await setUp(t);

  t.equal(token.length, 32, 'the URL carries a 32-digit token');
  t.match(file.body, `<P3701 para="ActionUrl.SetupCompleted">http://prov.example.net/phone-events/${token}/setup-completed</P3701>`);
  t.match(file.body, `<P3702 para="ActionUrl.LogOn">http://prov.example.net/phone-events/${token}/registered</P3702>`);
  t.match(file.body, `<P3703 para="ActionUrl.LogOff">http://prov.example.net/phone-events/${token}/logged-off</P3703>`);
  t.match(file.body, `<P3704 para="ActionUrl.RegisterFailed">http://prov.example.net/phone-events/${token}/register-failed</P3704>`);
});

t.test('registered sets every line online', async (t) => {
  const { app, call, first, second, device, token } = await setUp(t);

  const report = await app.inject({ url: `/phone-events/${token}/registered`, remoteAddress: '192.0.2.44' });
  t.equal(report.statusCode, 200);

  for (const account of [first, second]) {
    const { json } = await call('GET', `/api/v1/accounts/${account.id}`);
    t.equal(json.accountStatus, 'online', `account ${account.id} is online`);
    t.ok(json.accountStatusChangedAt, 'the time of the change is stored');
  }
  const { json } = await call('GET', `/api/v1/devices/${device.id}`);
  t.equal(json.lastAddress, '192.0.2.44', 'the report updates the device address');
  t.equal(json.notSeenRecently, false);
});

t.test('logged-off for one line', async (t) => {
  const { app, call, first, second, token } = await setUp(t);
  await app.inject({ url: `/phone-events/${token}/registered` });

  const report = await app.inject({ method: 'POST', url: `/phone-events/${token}/logged-off?line=2&port=5099` });
  t.equal(report.statusCode, 200);

  t.equal((await call('GET', `/api/v1/accounts/${first.id}`)).json.accountStatus, 'online');
  t.equal((await call('GET', `/api/v1/accounts/${second.id}`)).json.accountStatus, 'offline');
});

t.test('register-failed sets offline', async (t) => {
  const { app, call, first, token } = await setUp(t);
  await app.inject({ url: `/phone-events/${token}/registered` });

  await app.inject({ url: `/phone-events/${token}/register-failed` });

  t.equal((await call('GET', `/api/v1/accounts/${first.id}`)).json.accountStatus, 'offline');
});

t.test('invalid token rejected', async (t) => {
  const { app, call, first } = await setUp(t);

  const report = await app.inject({ url: '/phone-events/00000000000000000000000000000000/registered' });
  t.equal(report.statusCode, 404);
  t.equal((await call('GET', `/api/v1/accounts/${first.id}`)).json.accountStatus, 'offline', 'nothing changed');

  const badEvent = await app.inject({ url: '/phone-events/abc/exploded' });
  t.equal(badEvent.statusCode, 400);
});
