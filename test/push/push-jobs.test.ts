import t from 'tap';

import { buildTestApp } from '../helpers/app.js';
import { createAccount, createDevice, createProfile } from '../helpers/fixtures.js';
import { createPushDevices, startCountingPhone, startTestWorker, waitForJob } from './push-helpers.js';

const allSettled = (job: any) => job.devices.every((device: any) => device.state !== 'queued' && device.state !== 'sent');

t.test('push by device ids answered', async (t) => {
  const app = await buildTestApp(t);
  const { phone, callsByUser } = await startCountingPhone(t);
  const { devices } = await createPushDevices(app, 3, phone.port);
  await startTestWorker(t, app);

  const created = await app.call('POST', '/api/v1/push', { deviceIds: devices.map((device) => device.id), mode: 'now' });
  t.equal(created.status, 201);
  const job = await waitForJob(app, created.json.id, allSettled);

  t.equal(job.state, 'done');
  for (const device of job.devices) {
    t.equal(device.state, 'answered', `device ${device.deviceId} answered`);
    t.equal(device.sipStatus, 200);
    t.equal(device.reason, '200 OK');
  }
  for (const device of devices) t.equal(callsByUser.get(device.user)?.size, 1, `${device.user} got one NOTIFY`);
});

t.test('push reboot flag on the wire', async (t) => {
  const app = await buildTestApp(t);
  const { phone } = await startCountingPhone(t);
  const { devices } = await createPushDevices(app, 1, phone.port);
  await startTestWorker(t, app);

  const created = await app.call('POST', '/api/v1/push', { deviceIds: [devices[0]?.id], mode: 'now', reboot: true });
  await waitForJob(app, created.json.id, allSettled);

  t.equal(phone.received[0]?.header('Event'), 'check-sync;reboot=true');
});

t.test('push without address fails unsent', async (t) => {
  const app = await buildTestApp(t);
  const profile = await createProfile(app);
  const device = await createDevice(app, { mac: '001fc1bb0001', model: 'UC926', profileId: profile.id });
  await startTestWorker(t, app);

  const created = await app.call('POST', '/api/v1/push', { deviceIds: [device.id], mode: 'now' });
  const job = await waitForJob(app, created.json.id, allSettled);

  t.equal(job.devices[0].state, 'failed');
  t.equal(job.devices[0].outcome, 'no-address');
  t.match(job.devices[0].reason, /^no address known/);
  t.equal(job.devices[0].sipStatus, null);
});

t.test('push uses last fetch address and line port', async (t) => {
  const app = await buildTestApp(t);
  const { phone, callsByUser } = await startCountingPhone(t);
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id, { sipUserId: 'fetched1', localSipPort: phone.port });
  const device = await createDevice(app, { mac: '001fc1bb0002', model: 'UC926', profileId: profile.id, lines: [{ line: 1, accountId: account.id }] });
  const fetched = await app.app.inject({ url: '/cfg001fc1bb0002.xml', remoteAddress: '127.0.0.1' });
  t.equal(fetched.statusCode, 200);
  await waitForAddress(app, device.id);
  await startTestWorker(t, app);

  const created = await app.call('POST', '/api/v1/push', { accountId: account.id, mode: 'now' });
  const job = await waitForJob(app, created.json.id, allSettled);

  t.equal(job.devices[0].state, 'answered');
  t.equal(callsByUser.get('fetched1')?.size, 1);
});

async function waitForAddress(app: Awaited<ReturnType<typeof buildTestApp>>, deviceId: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { json } = await app.call('GET', `/api/v1/devices/${deviceId}`);
    if (json.lastAddress !== null) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

t.test('confirmed after the phone fetch', async (t) => {
  const app = await buildTestApp(t);
  const { phone } = await startCountingPhone(t);
  const { devices } = await createPushDevices(app, 2, phone.port);
  await startTestWorker(t, app);

  const created = await app.call('POST', '/api/v1/push', { deviceIds: devices.map((device) => device.id), mode: 'now' });
  await waitForJob(app, created.json.id, allSettled);

  const fetched = await app.app.inject({ url: `/cfg${devices[0]?.mac}.xml` });
  t.equal(fetched.statusCode, 200);
  const job = await waitForJob(app, created.json.id, (current) => current.devices[0].state === 'confirmed');

  t.equal(job.devices[0].state, 'confirmed', 'the device that fetched is confirmed');
  t.equal(job.devices[1].state, 'answered', 'the device that did not fetch stays answered');
});

t.test('fetch before the push confirms nothing', async (t) => {
  const app = await buildTestApp(t);
  const { phone } = await startCountingPhone(t);
  const { devices } = await createPushDevices(app, 1, phone.port);
  await app.app.inject({ url: `/cfg${devices[0]?.mac}.xml` });
  await startTestWorker(t, app);

  const created = await app.call('POST', '/api/v1/push', { deviceIds: [devices[0]?.id], mode: 'now' });
  await waitForJob(app, created.json.id, allSettled);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const { json } = await app.call('GET', `/api/v1/push/${created.json.id}`);

  t.equal(json.devices[0].state, 'answered');
});

t.test('two workers notify each device once', async (t) => {
  const app = await buildTestApp(t);
  const { phone, callsByUser } = await startCountingPhone(t);
  const { devices } = await createPushDevices(app, 20, phone.port);
  await startTestWorker(t, app);
  await startTestWorker(t, app);

  const created = await app.call('POST', '/api/v1/push', { deviceIds: devices.map((device) => device.id), mode: 'now', maxConcurrent: 4 });
  const job = await waitForJob(app, created.json.id, allSettled);

  t.equal(job.devices.filter((device: any) => device.state === 'answered').length, 20);
  for (const device of devices) t.equal(callsByUser.get(device.user)?.size, 1, `${device.user} got one NOTIFY`);
  for (const device of job.devices) t.equal(device.dispatches, 1);
});

t.test('stopped worker job resumed by a new one', async (t) => {
  const app = await buildTestApp(t);
  const { phone, callsByUser, state } = await startCountingPhone(t);
  const { devices } = await createPushDevices(app, 3, phone.port);
  state.answering = false;
  const first = await startTestWorker(t, app);

  const created = await app.call('POST', '/api/v1/push', { deviceIds: devices.map((device) => device.id), mode: 'now' });
  const inFlight = await waitForJob(app, created.json.id, (job) => job.devices.every((device: any) => device.state === 'sent'));
  t.ok(inFlight.devices.every((device: any) => device.state === 'sent'), 'the first worker sent every NOTIFY');
  await first.stop(0);

  state.answering = true;
  await startTestWorker(t, app, { staleAfterMs: 300 });
  const job = await waitForJob(app, created.json.id, allSettled);

  for (const device of job.devices) {
    t.equal(device.state, 'answered', `device ${device.deviceId} answered after the restart`);
    t.equal(device.dispatches, 2, 'the row shows it was sent twice');
  }
  for (const device of devices) t.equal(callsByUser.get(device.user)?.size, 2, `${device.user} got the first NOTIFY and one resend`);
});

t.test('scheduled push waits for its time', async (t) => {
  const app = await buildTestApp(t);
  const { phone } = await startCountingPhone(t);
  const { devices } = await createPushDevices(app, 1, phone.port);
  await startTestWorker(t, app);

  const at = new Date(Date.now() + 60 * 60_000).toISOString();
  const created = await app.call('POST', '/api/v1/push', { deviceIds: [devices[0]?.id], mode: 'at', at });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const { json } = await app.call('GET', `/api/v1/push/${created.json.id}`);

  t.equal(json.state, 'scheduled');
  t.equal(json.devices[0].state, 'queued');
  t.equal(phone.received.length, 0);
});
