import type { AddressInfo } from 'node:net';

import t from 'tap';

import { buildApp } from '../../src/app.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createAdminToken } from '../helpers/admin.js';
import { createTestLogger } from '../helpers/logger.js';
import { createThrowawayPostgres, findPostgresBinaries } from '../helpers/throwaway-postgres.js';

const mac = '001fc1000a01';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Sample {
  status: number | 'hang' | 'error';
  durationMs: number;
}

/** Sends phone fetches from `workers` loops until `stop()`; each request may take 10 s at most. */
function startLoad(baseUrl: string, workers: number) {
  const samples: Sample[] = [];
  let running = true;

  const worker = async () => {
    while (running) {
      const started = performance.now();
      let status: Sample['status'];
      try {
        const response = await fetch(`${baseUrl}/cfg${mac}.xml`, { signal: AbortSignal.timeout(10_000) });
        await response.arrayBuffer();
        status = response.status;
      } catch (error) {
        status = (error as Error).name === 'TimeoutError' ? 'hang' : 'error';
      }
      samples.push({ status, durationMs: performance.now() - started });
      await sleep(20);
    }
  };

  const loops = Array.from({ length: workers }, worker);
  return {
    samples,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

const binDir = findPostgresBinaries();

t.test('Postgres stops and restarts under load', { skip: binDir === undefined ? 'initdb and pg_ctl not found under /usr/lib/postgresql: database outage test skipped' : false }, async (t) => {
  const postgres = await createThrowawayPostgres(binDir!);
  t.teardown(() => postgres.remove());
  postgres.start();

  const { logger } = createTestLogger('database-outage');
  const database = await openDatabase({ databaseUrl: postgres.url, dataDir: '', connectTimeoutMs: 1000, statementTimeoutMs: 3000 }, logger);
  t.teardown(() => database.close());
  await migrateToLatest(database.db, logger);

  const app = await buildApp({ config: { publicUrl: undefined, templatesDir: undefined }, db: database.db, logger });
  t.teardown(() => app.close());
  const adminToken = await createAdminToken(database.db);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  const call = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(`${baseUrl}${url}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    return { status: response.status, retryAfter: response.headers.get('retry-after'), json: text.startsWith('{') ? JSON.parse(text) : undefined };
  };

  const profile = await call('/api/v1/profiles', { method: 'POST', body: JSON.stringify({ name: 'Outage PBX', sipServer: 'pbx.example.net', sipPort: 5060, transport: 'udp' }) });
  const account = await call('/api/v1/accounts', {
    method: 'POST',
    body: JSON.stringify({ name: 'Outage', profileId: profile.json.id, active: true, label: '201', sipUserId: '201', authId: '201', authPassword: 'secret-201', pin: '1234', directPickupCode: '', groupPickupCode: '', featureKeySync: false, voicemailUserId: '', dialPlan: '', eventListBlfUrl: '', displayName: '', localSipPort: 5060, useRandomPort: false }),
  });
  t.equal(account.status, 201, 'account created');
  const device = await call('/api/v1/devices', { method: 'POST', body: JSON.stringify({ mac, model: 'UC926', profileId: profile.json.id, lines: [{ line: 1, accountId: account.json.id }] }) });
  t.equal(device.status, 201, 'device created');

  const load = startLoad(baseUrl, 4);
  await sleep(500);

  postgres.stop();
  await sleep(1500);

  const phone = await call(`/cfg${mac}.xml`);
  t.equal(phone.status, 503, 'phone request gets 503 while the database is down');
  t.equal(phone.retryAfter, '5', 'with Retry-After');

  const admin = await call('/api/v1/profiles');
  t.equal(admin.status, 503, 'admin API gets 503');
  t.equal(admin.json?.code, 'database_unavailable');
  t.equal(admin.retryAfter, '5');

  const ready = await call('/readyz');
  t.equal(ready.status, 503, 'not ready while the database is down');

  postgres.start();
  let recovered = false;
  for (let attempt = 0; attempt < 40 && !recovered; attempt++) {
    recovered = (await call(`/cfg${mac}.xml`)).status === 200;
    if (!recovered) await sleep(250);
  }
  t.ok(recovered, 'phone requests succeed again after the restart, without restarting the app');
  t.equal((await call('/readyz')).status, 200, 'ready again');
  await sleep(500);
  await load.stop();

  const statuses = new Set(load.samples.map((sample) => sample.status));
  t.same([...statuses].sort(), [200, 503], 'load saw only 200 and 503, no hangs or dropped connections');
  const slowest = Math.max(...load.samples.map((sample) => sample.durationMs));
  t.ok(slowest < 5000, `no request took longer than 5 s (slowest ${Math.round(slowest)} ms)`);
  t.equal(load.samples.at(-1)?.status, 200, 'the last request under load succeeded');
  t.comment(`${load.samples.length} requests under load`);
});
