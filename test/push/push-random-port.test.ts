import t from 'tap';

import { resolveNotifyTarget, type TargetSource } from '../../src/push/push-target.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createAccount, createDevice, createProfile } from '../helpers/fixtures.js';
import { startCountingPhone, startTestWorker, waitForJob } from './push-helpers.js';

const allSettled = (job: any) => job.devices.every((device: any) => device.state !== 'queued' && device.state !== 'sent');

/** A device on 127.0.0.1 whose only line uses Use Random Port; its Local SIP Port has no listener. */
async function createRandomPortDevice(app: TestApp, mac: string, sipUserId: string) {
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id, { sipUserId, useRandomPort: true, localSipPort: 9 });
  const device = await createDevice(app, { mac, model: 'UC926', profileId: profile.id, lines: [{ line: 1, accountId: account.id }] });
  const { statusToken } = await app.database.db.selectFrom('devices').select('statusToken').where('id', '=', device.id).executeTakeFirstOrThrow();
  return { account, device, statusToken };
}

t.test('random port push uses reported port', async (t) => {
  const app = await buildTestApp(t);
  const { phone, callsByUser } = await startCountingPhone(t);
  const { account, statusToken } = await createRandomPortDevice(app, '001fc1dd0001', 'random1');
  const report = await app.app.inject({ url: `/phone-events/${statusToken}/registered?port=${phone.port}`, remoteAddress: '127.0.0.1' });
  t.equal(report.statusCode, 200, 'the status report is accepted');
  await startTestWorker(t, app);

  const created = await app.call('POST', '/api/v1/push', { accountId: account.id, mode: 'now' });
  const job = await waitForJob(app, created.json.id, allSettled);

  t.equal(job.devices[0].state, 'answered', job.devices[0].reason);
  t.equal(callsByUser.get('random1')?.size, 1, 'the phone got the NOTIFY on the port it reported');
});

t.test('random port without reported port', async (t) => {
  const app = await buildTestApp(t);
  const { account, device } = await createRandomPortDevice(app, '001fc1dd0002', 'random2');
  const fetched = await app.app.inject({ url: '/cfg001fc1dd0002.xml', remoteAddress: '127.0.0.1' });
  t.equal(fetched.statusCode, 200, 'the fetch stores an address but no SIP port');
  await waitForAddress(app, device.id);
  await startTestWorker(t, app);

  const created = await app.call('POST', '/api/v1/push', { accountId: account.id, mode: 'now' });
  const job = await waitForJob(app, created.json.id, allSettled);

  t.equal(job.devices[0].state, 'failed');
  t.equal(job.devices[0].outcome, 'no-address');
  t.match(job.devices[0].reason, /^no SIP port known: the line uses a random port/);
});

async function waitForAddress(app: TestApp, deviceId: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { json } = await app.call('GET', `/api/v1/devices/${deviceId}`);
    if (json.lastAddress !== null) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

t.test('target port choice', async (t) => {
  const line = { sipUserId: '201', authId: '201', authPassword: 'x', localSipPort: 5062, useRandomPort: true, transport: 'udp' as const };
  const source: TargetSource = { lastAddress: '::ffff:192.0.2.7', sipTarget: null, reportedSipPort: 5099, line };

  const cases: [string, TargetSource, { host: string; port: number } | string][] = [
    ['random port uses the reported port', source, { host: '192.0.2.7', port: 5099 }],
    ['fixed port ignores the reported port', { ...source, line: { ...line, useRandomPort: false } }, { host: '192.0.2.7', port: 5062 }],
    ['override port wins over the reported port', { ...source, sipTarget: '192.0.2.8:5070' }, { host: '192.0.2.8', port: 5070 }],
    ['override without port uses the reported port', { ...source, sipTarget: '192.0.2.8' }, { host: '192.0.2.8', port: 5099 }],
    ['random port never reported', { ...source, reportedSipPort: null }, 'no SIP port known'],
  ];
  for (const [name, input, expected] of cases) {
    const resolved = resolveNotifyTarget(input, false);
    if (typeof expected === 'string') {
      t.ok('reason' in resolved && resolved.reason.startsWith(expected), name);
    } else {
      t.match(resolved, { target: expected }, name);
    }
  }
});
