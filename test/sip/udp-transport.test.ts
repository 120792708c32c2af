import dgram from 'node:dgram';
import { setTimeout as sleep } from 'node:timers/promises';

import t, { type Test } from 'tap';

import { createNotifySender, type NotifySender, type SipSenderSettings } from '../../src/sip/notify-sender.js';
import { createTestLogger } from '../helpers/logger.js';
import { responseTo, startUdpPhone } from './fake-phone.js';

// Small timers keep the retransmission tests short: Timer E fires at 50, 150, 350, 550, 750
// and 950 ms, and Timer F at 1050 ms, so a silent phone gets 7 NOTIFYs.
const fastTimers = { t1Ms: 50, t2Ms: 200, timerFMs: 1050, tcpConnectTimeoutMs: 1000 };

async function openSender(t: Test, overrides: Partial<SipSenderSettings> = {}): Promise<NotifySender> {
  const { logger } = createTestLogger('sip-udp');
  const sender = await createNotifySender({ bindAddress: '127.0.0.1', ...fastTimers, ...overrides }, logger);
  t.teardown(() => sender.close());
  return sender;
}

function gapsBetween(times: number[]): number[] {
  return times.slice(1).map((time, i) => time - (times[i] ?? 0));
}

t.test('UDP silent phone times out', async (t) => {
  const phone = await startUdpPhone();
  t.teardown(() => phone.close());
  const sender = await openSender(t);

  const result = await sender.sendCheckSync({ host: '127.0.0.1', port: phone.port, transport: 'udp' });
  await sleep(50);

  t.equal(result.outcome, 'timed-out');
  t.equal(result.sipStatus, undefined);
  t.equal(result.attempts, 7, 'first send plus 6 retransmissions before Timer F');
  t.equal(phone.received.length, 7, 'the phone received every transmission');

  const gaps = gapsBetween(phone.received.map((request) => request.receivedAt));
  const expected = [50, 100, 200, 200, 200, 200];
  gaps.forEach((gap, i) => {
    t.ok(gap >= (expected[i] ?? 0) - 10, `gap ${i + 1} is ${gap.toFixed(0)} ms, expected at least ${expected[i]} ms`);
  });

  const branches = new Set(phone.received.map((request) => request.header('Via')));
  t.equal(branches.size, 1, 'retransmissions repeat the same Via and branch');
});

t.test('UDP provisional response slows retransmissions to T2', async (t) => {
  const phone = await startUdpPhone((request, index, reply) => {
    if (index === 0) reply(responseTo(request, 100, 'Trying'));
    if (index === 3) reply(responseTo(request, 200, 'OK'));
  });
  t.teardown(() => phone.close());
  const sender = await openSender(t);

  const result = await sender.sendCheckSync({ host: '127.0.0.1', port: phone.port, transport: 'udp' });

  t.equal(result.outcome, 'answered');
  t.equal(result.sipStatus, 200);
  t.equal(result.attempts, 4, 'retransmissions go on after the 100 Trying');

  const gaps = gapsBetween(phone.received.map((request) => request.receivedAt));
  t.ok((gaps[1] ?? 0) >= 190, `second gap is ${gaps[1]?.toFixed(0)} ms, T2 after a provisional (100 ms without one)`);
  t.ok((gaps[2] ?? 0) >= 190, `third gap is ${gaps[2]?.toFixed(0)} ms, T2 after a provisional`);
});

t.test('UDP final response stops retransmissions', async (t) => {
  const phone = await startUdpPhone((request, index, reply) => {
    if (index === 1) reply(responseTo(request, 202, 'Accepted'));
  });
  t.teardown(() => phone.close());
  const sender = await openSender(t);

  const result = await sender.sendCheckSync({ host: '127.0.0.1', port: phone.port, transport: 'udp' });
  await sleep(300);

  t.same(result, { outcome: 'answered', sipStatus: 202, reason: '202 Accepted', attempts: 2 });
  t.equal(phone.received.length, 2, 'no NOTIFY after the final response');
});

t.test('UDP responses of other transactions are ignored', async (t) => {
  const phone = await startUdpPhone((request, index, reply) => {
    if (index !== 0) return;

    const otherBranch = responseTo(request, 500, 'Other Branch').replace(/branch=z9hG4bK\w+/, 'branch=z9hG4bKother');
    const otherMethod = responseTo(request, 501, 'Other Method').replace(/CSeq: 1 NOTIFY/, 'CSeq: 1 OPTIONS');
    reply(otherBranch);
    reply(otherMethod);
    reply('not a SIP message');
    setTimeout(() => reply(responseTo(request, 200, 'OK')), 20);
  });
  t.teardown(() => phone.close());
  const sender = await openSender(t);

  const result = await sender.sendCheckSync({ host: '127.0.0.1', port: phone.port, transport: 'udp' });

  t.equal(result.outcome, 'answered');
  t.equal(result.reason, '200 OK');
});

t.test('UDP many NOTIFYs share one socket', async (t) => {
  const phone = await startUdpPhone((request, _index, reply) => {
    setTimeout(() => reply(responseTo(request, 200, 'OK')), Math.random() * 30);
  });
  t.teardown(() => phone.close());
  const sender = await openSender(t, { timerFMs: 5000 });

  const results = await Promise.all(
    Array.from({ length: 300 }, (_, i) => sender.sendCheckSync({ host: '127.0.0.1', port: phone.port, transport: 'udp', user: `phone${i}` })),
  );

  t.equal(results.filter((result) => result.outcome === 'answered').length, 300);
  t.same(new Set(phone.sources), new Set([`127.0.0.1:${sender.udpLocalAddress.port}`]), 'every NOTIFY left from the one socket');
  const uris = new Set(phone.received.map((request) => request.text.split('\r\n')[0]));
  t.equal(uris.size, 300, 'each NOTIFY went to its own Request-URI');
});

t.test('UDP request headers on the wire', async (t) => {
  const phone = await startUdpPhone((request, _index, reply) => reply(responseTo(request, 200, 'OK')));
  t.teardown(() => phone.close());
  const sender = await openSender(t);
  const localPort = sender.udpLocalAddress.port;

  const result = await sender.sendCheckSync({ host: '127.0.0.1', port: phone.port, transport: 'udp', user: '1001', reboot: true });
  const request = phone.received[0];

  t.equal(result.outcome, 'answered');
  t.equal(request?.text.split('\r\n')[0], `NOTIFY sip:1001@127.0.0.1:${phone.port} SIP/2.0`);
  t.match(request?.header('Via'), new RegExp(`^SIP/2\\.0/UDP 127\\.0\\.0\\.1:${localPort};branch=z9hG4bK[0-9a-f]+;rport$`));
  t.equal(request?.header('Contact'), `<sip:htek-dms@127.0.0.1:${localPort}>`);
  t.equal(request?.header('Event'), 'check-sync;reboot=true');
  t.equal(request?.header('Subscription-State'), 'terminated');
  t.equal(request?.header('Max-Forwards'), '70');
  t.equal(request?.header('User-Agent'), 'htek-dms');
  t.equal(request?.header('CSeq'), '1 NOTIFY');
  t.match(request?.header('From'), /;tag=[0-9a-f]+$/);
});

t.test('UDP host name target', async (t) => {
  const phone = await startUdpPhone((request, _index, reply) => reply(responseTo(request, 200, 'OK')));
  t.teardown(() => phone.close());
  const sender = await openSender(t);

  const result = await sender.sendCheckSync({ host: 'localhost', port: phone.port, transport: 'udp' });

  t.equal(result.outcome, 'answered', 'localhost resolves to 127.0.0.1 for the IPv4 socket');
  t.equal(phone.received[0]?.text.split('\r\n')[0], `NOTIFY sip:localhost:${phone.port} SIP/2.0`, 'the Request-URI keeps the name');
});

t.test('UDP advertised host and port', async (t) => {
  const phone = await startUdpPhone((request, _index, reply) => reply(responseTo(request, 200, 'OK')));
  t.teardown(() => phone.close());
  const sender = await openSender(t, { advertisedHost: 'dms.example.net', advertisedPort: 5999 });

  await sender.sendCheckSync({ host: '127.0.0.1', port: phone.port, transport: 'udp' });
  const request = phone.received[0];

  t.match(request?.header('Via'), /^SIP\/2\.0\/UDP dms\.example\.net:5999;/);
  t.equal(request?.header('Contact'), '<sip:htek-dms@dms.example.net:5999>');
  t.equal(phone.sources[0], `127.0.0.1:${sender.udpLocalAddress.port}`, 'the datagram still leaves from the bound port');
});

/** Finds two consecutive free UDP ports and keeps the first one bound. */
async function holdPortBelowFreePort(): Promise<{ heldSocket: dgram.Socket; heldPort: number }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const heldSocket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => heldSocket.bind(0, '127.0.0.1', resolve));
    const heldPort = heldSocket.address().port;

    const probe = dgram.createSocket('udp4');
    const nextFree = await new Promise<boolean>((resolve) => {
      probe.once('error', () => resolve(false));
      probe.bind(heldPort + 1, '127.0.0.1', () => resolve(true));
    });
    probe.close();
    if (nextFree && heldPort < 65535) return { heldSocket, heldPort };
    heldSocket.close();
  }
  throw new Error('found no two consecutive free UDP ports on 127.0.0.1');
}

t.test('UDP source port range', async (t) => {
  const { heldSocket, heldPort } = await holdPortBelowFreePort();
  t.teardown(() => heldSocket.close());
  const { logger } = createTestLogger('sip-udp');

  const sender = await openSender(t, { sourcePortRange: [heldPort, heldPort + 1] });
  t.equal(sender.udpLocalAddress.port, heldPort + 1, 'the busy port is skipped');

  await t.rejects(
    createNotifySender({ bindAddress: '127.0.0.1', ...fastTimers, sourcePortRange: [heldPort, heldPort + 1] }, logger),
    { message: new RegExp(`no UDP port from ${heldPort} to ${heldPort + 1}`) },
    'a range with every port busy rejects',
  );
});

t.test('sender settings validation', async (t) => {
  const { logger } = createTestLogger('sip-udp');
  const valid: SipSenderSettings = { bindAddress: '127.0.0.1', ...fastTimers };

  await t.rejects(createNotifySender({ ...valid, bindAddress: 'localhost' }, logger), { message: /bindAddress "localhost"/ });
  await t.rejects(createNotifySender({ ...valid, bindAddress: '0.0.0.0' }, logger), { message: /advertisedHost is missing/ });
  await t.rejects(createNotifySender({ ...valid, t2Ms: 10 }, logger), { message: /t2Ms 10 is smaller than t1Ms 50/ });
  await t.rejects(createNotifySender({ ...valid, timerFMs: 0 }, logger), { message: /timerFMs 0 is invalid/ });
  await t.rejects(createNotifySender({ ...valid, sourcePortRange: [6000, 5000] }, logger), { message: /sourcePortRange \[6000, 5000\] is empty/ });
  await t.rejects(createNotifySender({ ...valid, advertisedPort: 70000 }, logger), { message: /advertisedPort 70000 is not a port/ });
  await t.rejects(createNotifySender({ ...valid, advertisedHost: 'a\r\nb' }, logger), { message: /advertisedHost/ });
});

t.test('UDP wildcard bind with advertised host', async (t) => {
  const phone = await startUdpPhone((request, _index, reply) => reply(responseTo(request, 200, 'OK')));
  t.teardown(() => phone.close());
  const sender = await openSender(t, { bindAddress: '0.0.0.0', advertisedHost: '127.0.0.1' });

  const result = await sender.sendCheckSync({ host: '127.0.0.1', port: phone.port, transport: 'udp' });

  t.equal(result.outcome, 'answered');
  t.match(phone.received[0]?.header('Via'), new RegExp(`^SIP/2\\.0/UDP 127\\.0\\.0\\.1:${sender.udpLocalAddress.port};`));
});

t.test('invalid targets fail without sending', async (t) => {
  const phone = await startUdpPhone();
  t.teardown(() => phone.close());
  const sender = await openSender(t);

  const cases = [
    { target: { host: '127.0.0.1\r\nX-Injected: 1', port: phone.port, transport: 'udp' as const }, reason: /invalid target host/ },
    { target: { host: '127.0.0.1', port: 0, transport: 'udp' as const }, reason: /invalid target port 0/ },
    { target: { host: '127.0.0.1', port: phone.port, transport: 'sctp' as 'udp' }, reason: /invalid target transport "sctp"/ },
    {
      target: { host: '127.0.0.1', port: phone.port, transport: 'udp' as const, credentials: { username: 'a\r\nb', password: 'x' } },
      reason: /invalid digest username/,
    },
  ];
  for (const { target, reason } of cases) {
    const result = await sender.sendCheckSync(target);
    t.equal(result.outcome, 'failed', String(reason));
    t.match(result.reason, reason);
    t.equal(result.attempts, 0);
  }

  await sleep(20);
  t.equal(phone.received.length, 0, 'nothing reached the phone');
});

t.test('close ends NOTIFYs in flight', async (t) => {
  const phone = await startUdpPhone();
  t.teardown(() => phone.close());
  const sender = await openSender(t, { timerFMs: 5000 });

  const pending = sender.sendCheckSync({ host: '127.0.0.1', port: phone.port, transport: 'udp' });
  await sleep(20);
  await sender.close();
  const result = await pending;

  t.equal(result.outcome, 'failed');
  t.match(result.reason, /closed before a final response/);

  const afterClose = await sender.sendCheckSync({ host: '127.0.0.1', port: phone.port, transport: 'udp' });
  t.equal(afterClose.outcome, 'failed');
  t.match(afterClose.reason, /sender is closed/);
});
