import dgram from 'node:dgram';
import fs from 'node:fs';
import type os from 'node:os';

import t, { type Test } from 'tap';

import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { chooseAdvertisedHost } from '../../src/push/advertised-host.js';
import { startPushRuntime } from '../../src/push/push-runtime.js';
import { openTestDatabase } from '../helpers/database.js';
import { createTestLogger } from '../helpers/logger.js';

const { logger, file: logFile } = createTestLogger('push-startup');

const loopbackOnly: NodeJS.Dict<os.NetworkInterfaceInfo[]> = {
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
};
const withLan: NodeJS.Dict<os.NetworkInterfaceInfo[]> = {
  ...loopbackOnly,
  eth0: [
    { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:00:00:00:00:01', internal: false, cidr: 'fe80::1/64', scopeid: 2 },
    { address: '192.0.2.20', netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: '192.0.2.20/24' },
  ],
};

t.test('advertised host choice', async (t) => {
  const cases: [string, { sipBindAddress: string; sipAdvertisedHost: string | undefined }, NodeJS.Dict<os.NetworkInterfaceInfo[]>, string | undefined, string][] = [
    ['setting wins', { sipBindAddress: '0.0.0.0', sipAdvertisedHost: 'sip.example.net' }, withLan, 'sip.example.net', 'setting'],
    ['specific bind address', { sipBindAddress: '192.0.2.30', sipAdvertisedHost: undefined }, withLan, undefined, 'bind-address'],
    ['first external IPv4', { sipBindAddress: '0.0.0.0', sipAdvertisedHost: undefined }, withLan, '192.0.2.20', 'network-interface'],
    ['loopback as last resort', { sipBindAddress: '::', sipAdvertisedHost: undefined }, loopbackOnly, '127.0.0.1', 'loopback'],
  ];
  for (const [name, config, interfaces, host, source] of cases) {
    t.same(chooseAdvertisedHost(config, logger, interfaces), { host, source }, name);
  }

  const log = fs.readFileSync(logFile, 'utf8');
  t.match(log, /SIP advertised host not set: NOTIFYs carry 192\.0\.2\.20 in Via and Contact\. Set HTEK_DMS_SIP_ADVERTISED_HOST/, 'the warning names the host and the setting');
});

t.test('worker starts with default settings', async (t) => {
  const database = await openTestDatabase(t, logger);
  const config = { ...loadConfig({}).push, sipAdvertisedHost: undefined };

  const runtime = await startPushRuntime(config, database.db, logger);
  t.teardown(() => runtime.stop(0));

  t.equal(runtime.unavailableReason(), undefined, 'the worker runs without an advertised host setting');
});

t.test('busy source port makes push unavailable', async (t) => {
  const database = await openTestDatabase(t, logger);
  const busy = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => busy.bind(0, '127.0.0.1', resolve));
  t.teardown(() => busy.close());
  const port = busy.address().port;
  const config = { ...loadConfig({}).push, sipBindAddress: '127.0.0.1', sipSourcePorts: [port, port] as [number, number] };

  const runtime = await startPushRuntime(config, database.db, logger);

  t.match(runtime.unavailableReason(), /^the SIP NOTIFY sender could not start: /);
  t.match(runtime.unavailableReason(), String(port), 'the reason names the port');
  await runtime.stop(0);
});

t.test('push API answers 503 without worker', async (t) => {
  const app = await buildUnavailableApp(t, 'the SIP NOTIFY sender could not start: no free UDP port');

  const response = await app.inject({ method: 'POST', url: '/api/v1/push', payload: { deviceIds: [1], mode: 'now' } });
  const body = response.json();

  t.equal(response.statusCode, 503);
  t.equal(body.code, 'push_unavailable');
  t.match(body.message, 'Push is unavailable on this server: the SIP NOTIFY sender could not start: no free UDP port');
  t.match(body.message, 'nothing was queued');
  const jobs = await app.database.db.selectFrom('pushJobs').select('id').execute();
  t.same(jobs, [], 'no job was stored');
});

async function buildUnavailableApp(t: Test, reason: string) {
  const database = await openTestDatabase(t, logger);
  const config = loadConfig({});
  const app = await buildApp({ config: { ...config, adminAuth: 'off' }, db: database.db, logger, push: { config: config.push, pushUnavailableReason: () => reason } });
  t.teardown(() => app.close());
  return Object.assign(app, { database });
}
