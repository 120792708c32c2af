import t from 'tap';

import { createNotifySender } from '../../src/sip/notify-sender.js';
import { createTestLogger } from '../helpers/logger.js';
import { sippMissingReason, startSipp } from './sipp.js';

// SIPp plays a phone that receives the NOTIFY and never responds. With T1 100 ms, T2 400 ms and
// Timer F 1300 ms, RFC 3261 Timer E sends at 0, 100, 300, 700 and 1100 ms, because the
// intervals double from T1 up to T2. Timer F fires before the next one at 1500 ms.
const settings = { bindAddress: '127.0.0.1', t1Ms: 100, t2Ms: 400, timerFMs: 1300, tcpConnectTimeoutMs: 1000 };
const expectedTransmissions = 5;

const { logger } = createTestLogger('sip-no-answer');

if (sippMissingReason !== undefined) t.comment(`SKIPPED SIPp tests: ${sippMissingReason}`);

t.test('sipp silent phone timed out', { skip: sippMissingReason ?? false }, async (t) => {
  const sipp = await startSipp(t, { scenario: 'uas-no-answer.xml', transport: 'udp', traceMessages: true });
  const sender = await createNotifySender(settings, logger);
  t.teardown(() => sender.close());

  const started = performance.now();
  const result = await sender.sendCheckSync({ host: '127.0.0.1', port: sipp.port, transport: 'udp', user: '1001' });
  const elapsedMs = performance.now() - started;
  const exit = await sipp.exited;

  t.equal(result.outcome, 'timed-out');
  t.equal(result.sipStatus, undefined, 'no status without a response');
  t.equal(result.reason, 'no final response before Timer F');
  t.equal(result.attempts, expectedTransmissions, 'our count of transmissions');
  t.ok(elapsedMs >= settings.timerFMs - 5, `gave up at Timer F, after ${Math.round(elapsedMs)} ms`);

  const received = exit.messages.match(/^NOTIFY sip:/gm) ?? [];
  t.equal(received.length, expectedTransmissions, 'NOTIFYs in the SIPp message log');
  const callIds = new Set(exit.messages.match(/^Call-ID: .*$/gm) ?? []);
  t.equal(callIds.size, 1, 'the retransmissions repeat one Call-ID');
  t.notMatch(exit.messages, /^SIP\/2\.0 /m, 'SIPp sent no response');
  t.equal(exit.code, 0, `sipp exit code (errors: ${exit.errors.trim() || 'none'})`);
});
