import t from 'tap';

import { buildTestApp } from '../helpers/app.js';
import { createAccount, createDevice, createProfile } from '../helpers/fixtures.js';

t.test('push request validation', async (t) => {
  const app = await buildTestApp(t);
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id);
  const bound = await createDevice(app, { mac: '001fc1cc0001', model: 'UC926', profileId: profile.id, lines: [{ line: 1, accountId: account.id }] });
  const unbound = await createDevice(app, { mac: '001fc1cc0002', model: 'UC912', profileId: profile.id });

  const others = await app.call('POST', '/api/v1/push', { accountId: account.id, deviceIds: [bound.id, unbound.id], mode: 'now' });
  t.equal(others.status, 400, 'a device not bound to the account is rejected');
  t.match(others.json.message, new RegExp(`devices ${unbound.id} are not bound to account ${account.id}`));

  const accountPush = await app.call('POST', '/api/v1/push', { accountId: account.id, mode: 'now' });
  t.equal(accountPush.status, 201);
  const job = await app.call('GET', `/api/v1/push/${accountPush.json.id}`);
  t.same(job.json.devices.map((device: any) => device.deviceId), [bound.id], 'only the bound device is pushed');
  t.equal(job.json.devices[0].state, 'queued');

  const missing = await app.call('POST', '/api/v1/push', { deviceIds: [999999], mode: 'now' });
  t.equal(missing.status, 400);
  t.match(missing.json.message, /devices 999999 do not exist/);

  const noSelection = await app.call('POST', '/api/v1/push', { mode: 'now' });
  t.equal(noSelection.status, 400);
  t.match(noSelection.json.message, /accountId, deviceIds or filter/);

  const atMissing = await app.call('POST', '/api/v1/push', { deviceIds: [bound.id], mode: 'at' });
  t.equal(atMissing.status, 400);
  t.match(atMissing.json.message, /at: is missing/);

  const atPast = await app.call('POST', '/api/v1/push', { deviceIds: [bound.id], mode: 'at', at: '1999-01-01T00:00:00Z' });
  t.equal(atPast.status, 400, 'a time in the past is rejected');
  t.equal(atPast.json.details.fields[0].field, 'at');
  t.equal(atPast.json.details.fields[0].value, '1999-01-01T00:00:00Z', 'the problem names the value');
  t.match(atPast.json.message, /at: is in the past/);

  const twoMinutesAgo = new Date(Date.now() - 120_000).toISOString();
  const atTwoMinutesAgo = await app.call('POST', '/api/v1/push', { deviceIds: [bound.id], mode: 'at', at: twoMinutesAgo });
  t.equal(atTwoMinutesAgo.status, 400, 'a time two minutes ago is rejected');

  const secondsAgo = new Date(Date.now() - 10_000).toISOString();
  const atSecondsAgo = await app.call('POST', '/api/v1/push', { deviceIds: [bound.id], mode: 'at', at: secondsAgo });
  t.equal(atSecondsAgo.status, 201, 'a time a few seconds ago is accepted');

  const atWithNow = await app.call('POST', '/api/v1/push', { deviceIds: [bound.id], mode: 'now', at: '2030-01-01T00:00:00Z' });
  t.equal(atWithNow.status, 400);

  const badMode = await app.call('POST', '/api/v1/push', { deviceIds: [bound.id], mode: 'later' });
  t.equal(badMode.status, 400);

  const emptyFilter = await app.call('POST', '/api/v1/push', { filter: { model: 'UC903' }, mode: 'now' });
  t.equal(emptyFilter.status, 400);
  t.match(emptyFilter.json.message, /selects no devices/);
});

t.test('push by filter', async (t) => {
  const app = await buildTestApp(t);
  const profile = await createProfile(app);
  const uc926 = await createDevice(app, { mac: '001fc1dd0001', model: 'UC926', profileId: profile.id });
  await createDevice(app, { mac: '001fc1dd0002', model: 'UC912', profileId: profile.id });

  const created = await app.call('POST', '/api/v1/push', { filter: { model: 'uc926' }, mode: 'now', maxConcurrent: 5, ratePerSecond: 10 });
  t.equal(created.status, 201);
  const { json } = await app.call('GET', `/api/v1/push/${created.json.id}`);

  t.same(json.devices.map((device: any) => device.deviceId), [uc926.id]);
  t.equal(json.maxConcurrent, 5);
  t.equal(json.ratePerSecond, 10);
});

t.test('push unknown id not found', async (t) => {
  const app = await buildTestApp(t);

  const notUuid = await app.call('GET', '/api/v1/push/abc');
  t.equal(notUuid.status, 404);
  t.equal(notUuid.json.code, 'push_not_found');

  const unknown = await app.call('GET', '/api/v1/push/00000000-0000-4000-8000-000000000000');
  t.equal(unknown.status, 404);
});

t.test('device sipTarget validation', async (t) => {
  const app = await buildTestApp(t);
  const profile = await createProfile(app);

  const bad = await app.call('POST', '/api/v1/devices', { mac: '001fc1ee0001', model: 'UC926', profileId: profile.id, sipTarget: 'sip://phone' });
  t.equal(bad.status, 400);
  t.match(bad.json.message, /sipTarget: "sip:\/\/phone" is not a SIP target/);

  const good = await app.call('POST', '/api/v1/devices', { mac: '001fc1ee0002', model: 'UC926', profileId: profile.id, sipTarget: 'tcp:[::1]:5062' });
  t.equal(good.status, 201);
  t.equal(good.json.sipTarget, 'tcp:[::1]:5062');
  t.equal(good.json.notSeenRecently, true, 'a device never seen is not seen recently');
});
