import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

import t, { type Test } from 'tap';

import { createNotifySender, type NotifySender, type SipSenderSettings } from '../../src/sip/notify-sender.js';
import { createTestLogger } from '../helpers/logger.js';
import { freePort } from './sipp.js';
import { responseTo, startTcpPhone, startUdpPhone, type ReceivedRequest } from './fake-phone.js';

const fastTimers = { t1Ms: 50, t2Ms: 200, timerFMs: 600, tcpConnectTimeoutMs: 1000 };
const password = 'pa55-word-never-logged';
const { logger, file: logFile } = createTestLogger('sip-tcp');

async function openSender(t: Test, overrides: Partial<SipSenderSettings> = {}): Promise<NotifySender> {
  const sender = await createNotifySender({ bindAddress: '127.0.0.1', ...fastTimers, ...overrides }, logger);
  t.teardown(() => sender.close());
  return sender;
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

/** Reads `name="value"` or `name=value` out of a Digest credentials header. */
function digestParam(header: string | undefined, name: string): string | undefined {
  const match = new RegExp(`[ ,]${name}=(?:"([^"]*)"|([^,\\s]+))`).exec(header ?? '');
  return match?.[1] ?? match?.[2];
}

/** Recomputes the qop=auth digest response from the header fields, independent of src/sip/digest.ts. */
function expectedDigest(header: string | undefined, realm: string, nonce: string): string {
  const ha1 = md5(`admin:${realm}:${password}`);
  const ha2 = md5(`NOTIFY:${digestParam(header, 'uri')}`);
  return md5(`${ha1}:${nonce}:${digestParam(header, 'nc')}:${digestParam(header, 'cnonce')}:auth:${ha2}`);
}

t.test('TCP answer split across writes', async (t) => {
  const phone = await startTcpPhone((request, _index, reply) => {
    const final = responseTo(request, 200, 'OK');
    reply(responseTo(request, 100, 'Trying') + final.slice(0, 10));
    setTimeout(() => reply(final.slice(10, 40)), 20);
    setTimeout(() => reply(final.slice(40)), 40);
  });
  t.teardown(() => phone.close());
  const sender = await openSender(t);

  const result = await sender.sendCheckSync({ host: '127.0.0.1', port: phone.port, transport: 'tcp', user: '1001' });
  const request = phone.received[0];

  t.same(result, { outcome: 'answered', sipStatus: 200, reason: '200 OK', attempts: 1 });
  t.match(request?.header('Via'), /^SIP\/2\.0\/TCP 127\.0\.0\.1:\d+;branch=z9hG4bK[0-9a-f]+;rport$/);
  t.match(request?.header('Contact'), /^<sip:htek-dms@127\.0\.0\.1:\d+;transport=tcp>$/);
  t.equal(request?.text.split('\r\n')[0], `NOTIFY sip:1001@127.0.0.1:${phone.port} SIP/2.0`);
  t.equal(phone.connections, 1);
});

t.test('TCP silent phone times out at Timer F', async (t) => {
  const phone = await startTcpPhone();
  t.teardown(() => phone.close());
  const sender = await openSender(t);

  const started = performance.now();
  const result = await sender.sendCheckSync({ host: '127.0.0.1', port: phone.port, transport: 'tcp' });
  const elapsed = performance.now() - started;

  t.equal(result.outcome, 'timed-out');
  t.equal(result.attempts, 1, 'TCP does not retransmit');
  t.ok(elapsed >= fastTimers.timerFMs - 5, `waited ${elapsed.toFixed(0)} ms, Timer F is ${fastTimers.timerFMs} ms`);
  t.equal(phone.received.length, 1);
});

t.test('TCP connection refused', async (t) => {
  const closedPort = await freePort('tcp');
  const sender = await openSender(t);

  const result = await sender.sendCheckSync({ host: '127.0.0.1', port: closedPort, transport: 'tcp' });

  t.equal(result.outcome, 'failed');
  t.match(result.reason, new RegExp(`TCP connect to 127\\.0\\.0\\.1:${closedPort} failed: .*ECONNREFUSED`));
  t.equal(result.attempts, 0);
});

t.test('TCP peer closes before answering', async (t) => {
  const phone = await startTcpPhone();
  t.teardown(() => phone.close());
  const sender = await openSender(t, { timerFMs: 5000 });

  const pending = sender.sendCheckSync({ host: '127.0.0.1', port: phone.port, transport: 'tcp' });
  while (phone.received.length === 0) await sleep(5);
  await phone.close();
  const result = await pending;

  t.equal(result.outcome, 'failed');
  t.match(result.reason, /closed by the peer before a final response/);
  t.equal(result.attempts, 1);
});

t.test('TCP digest retry on the same connection', async (t) => {
  const phone = await startTcpPhone((request, index, reply) => {
    if (index === 0) {
      reply(responseTo(request, 401, 'Unauthorized', ['WWW-Authenticate: Digest realm="htek", nonce="n-401", qop="auth", algorithm=MD5']));
      return;
    }
    const authorization = request.header('Authorization');
    const valid = digestParam(authorization, 'response') === expectedDigest(authorization, 'htek', 'n-401');
    reply(valid ? responseTo(request, 200, 'OK') : responseTo(request, 403, 'Forbidden'));
  });
  t.teardown(() => phone.close());
  const sender = await openSender(t);

  const result = await sender.sendCheckSync({
    host: '127.0.0.1',
    port: phone.port,
    transport: 'tcp',
    user: '1001',
    credentials: { username: 'admin', password },
  });
  const [first, second] = phone.received as [ReceivedRequest, ReceivedRequest];

  t.same(result, { outcome: 'answered', sipStatus: 200, reason: '200 OK', attempts: 2 });
  t.equal(phone.connections, 1, 'the retry uses the same connection');
  t.equal(second.header('Call-ID'), first.header('Call-ID'), 'same Call-ID');
  t.equal(second.header('From'), first.header('From'), 'same From tag');
  t.equal(first.header('CSeq'), '1 NOTIFY');
  t.equal(second.header('CSeq'), '2 NOTIFY', 'CSeq + 1');
  t.not(second.header('Via'), first.header('Via'), 'new branch');
  t.equal(first.header('Authorization'), undefined);
  t.equal(digestParam(second.header('Authorization'), 'uri'), `sip:1001@127.0.0.1:${phone.port}`);
});

t.test('UDP proxy challenge 407', async (t) => {
  const phone = await startUdpPhone((request, index, reply) => {
    if (index === 0) {
      reply(responseTo(request, 407, 'Proxy Authentication Required', ['Proxy-Authenticate: Digest realm="proxy", nonce="n-407", qop="auth"']));
      return;
    }
    if (request.header('CSeq') !== '2 NOTIFY') return;

    const authorization = request.header('Proxy-Authorization');
    const valid = digestParam(authorization, 'response') === expectedDigest(authorization, 'proxy', 'n-407');
    reply(valid ? responseTo(request, 200, 'OK') : responseTo(request, 403, 'Forbidden'));
  });
  t.teardown(() => phone.close());
  const sender = await openSender(t);

  const result = await sender.sendCheckSync({ host: '127.0.0.1', port: phone.port, transport: 'udp', credentials: { username: 'admin', password } });

  t.equal(result.outcome, 'answered');
  t.equal(result.sipStatus, 200);
  t.equal(phone.received.at(-1)?.header('Authorization'), undefined, 'a 407 is answered with Proxy-Authorization only');
});

t.test('challenge without credentials is refused', async (t) => {
  const phone = await startTcpPhone((request, _index, reply) => {
    reply(responseTo(request, 401, 'Unauthorized', ['WWW-Authenticate: Digest realm="htek", nonce="n"']));
  });
  t.teardown(() => phone.close());
  const sender = await openSender(t);

  const result = await sender.sendCheckSync({ host: '127.0.0.1', port: phone.port, transport: 'tcp' });

  t.equal(result.outcome, 'refused');
  t.equal(result.sipStatus, 401);
  t.match(result.reason, /^401 Unauthorized: the target has no credentials for the digest challenge$/);
  t.equal(result.attempts, 1);
  t.equal(phone.received.length, 1, 'no retry');
});

t.test('unsupported challenge is refused', async (t) => {
  const phone = await startTcpPhone((request, _index, reply) => {
    reply(responseTo(request, 401, 'Unauthorized', ['WWW-Authenticate: Digest realm="htek", nonce="n", algorithm=AKAv1-MD5']));
  });
  t.teardown(() => phone.close());
  const sender = await openSender(t);

  const result = await sender.sendCheckSync({ host: '127.0.0.1', port: phone.port, transport: 'tcp', credentials: { username: 'admin', password } });

  t.equal(result.outcome, 'refused');
  t.match(result.reason, /AKAV1-MD5.*not supported/);
  t.equal(phone.received.length, 1, 'no retry');
});

t.test('password absent from the log', async (t) => {
  const log = fs.readFileSync(logFile, 'utf8');

  t.match(log, /check-sync NOTIFY answered/, 'the log file has the outcomes of this file');
  t.notMatch(log, password);
});
