import type { Test } from 'tap';

import { startPushWorker, type PushWorker } from '../../src/push/push-worker.js';
import { createNotifySender } from '../../src/sip/notify-sender.js';
import type { TestApp } from '../helpers/app.js';
import { createAccount, createDevice, createProfile } from '../helpers/fixtures.js';
import { createTestLogger } from '../helpers/logger.js';
import { responseTo, startUdpPhone } from '../sip/fake-phone.js';

const { logger } = createTestLogger('push-worker');

/** Starts a push worker with its own sender on 127.0.0.1; teardown stops it unless the test did. */
export async function startTestWorker(t: Test, app: TestApp, options: { staleAfterMs?: number } = {}): Promise<{ worker: PushWorker; stop(graceMs?: number): Promise<void> }> {
  const sender = await createNotifySender({ bindAddress: '127.0.0.1', t1Ms: 100, t2Ms: 400, timerFMs: 1500, tcpConnectTimeoutMs: 1000 }, logger);
  const worker = startPushWorker({ db: app.database.db, logger, sender, maxInFlight: 50, pollIntervalMs: 50, staleAfterMs: options.staleAfterMs ?? 60_000 });

  let stopped = false;
  const stop = async (graceMs?: number) => {
    if (stopped) return;
    stopped = true;
    await worker.stop(graceMs);
    await sender.close();
  };
  t.teardown(() => stop(0));
  return { worker, stop };
}

/** Starts a UDP phone that responds 200 while `answering` is true and counts NOTIFYs (by Call-ID) per Request-URI user. */
export async function startCountingPhone(t: Test) {
  const callsByUser = new Map<string, Set<string>>();
  const state = { answering: true };
  const phone = await startUdpPhone((request, _index, reply) => {
    const user = /^NOTIFY sip:(?:([^@]+)@)?/.exec(request.text)?.[1] ?? '';
    const calls = callsByUser.get(user) ?? new Set<string>();
    calls.add(request.header('Call-ID') ?? '');
    callsByUser.set(user, calls);
    if (state.answering) reply(responseTo(request, 200, 'OK'));
  });
  t.teardown(() => phone.close());
  return { phone, callsByUser, state };
}

/** Creates `count` devices, each with one line whose SIP user is `dev<n>`, all sending NOTIFYs to `port`. */
export async function createPushDevices(app: TestApp, count: number, port: number, prefix = '0a') {
  const profile = await createProfile(app);
  const devices: { id: number; mac: string; user: string; accountId: number }[] = [];
  for (let index = 0; index < count; index++) {
    const user = `dev${prefix}${index}`;
    const account = await createAccount(app, profile.id, { sipUserId: user });
    const mac = `001fc1${prefix}${index.toString(16).padStart(4, '0')}`;
    const device = await createDevice(app, { mac, model: 'UC926', profileId: profile.id, lines: [{ line: 1, accountId: account.id }], sipTarget: `127.0.0.1:${port}` });
    devices.push({ id: device.id, mac, user, accountId: account.id });
  }
  return { profile, devices };
}

/** Polls the push job until `done` returns true or 15 s pass; returns the last job seen. */
export async function waitForJob(app: TestApp, id: string, done: (job: any) => boolean): Promise<any> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { json } = await app.call('GET', `/api/v1/push/${id}`);
    if (done(json) || Date.now() > deadline) return json;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
