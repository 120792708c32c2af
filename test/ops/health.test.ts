import { sql } from 'kysely';
import t from 'tap';

import { checkReadiness } from '../../src/ops/ops-routes.js';
import { buildTestApp } from '../helpers/app.js';
import { testBackend } from '../helpers/database.js';
import { createAccount, createDevice, createProfile } from '../helpers/fixtures.js';

/** Reads one sample's value from Prometheus text, or undefined when it is missing. */
function sampleValue(text: string, sample: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

// One database for the whole file: PGlite takes several seconds to create one. The readiness
// test breaks the migration table, so it runs last.
t.test(`operations endpoints on ${testBackend}`, async (t) => {
  const app = await buildTestApp(t);

  t.test('health endpoints', async (t) => {
    const health = await app.call('GET', '/healthz');
    t.equal(health.status, 200);
    t.same(health.json, { status: 'ok' });

    const ready = await app.call('GET', '/readyz');
    t.equal(ready.status, 200);
    t.same(ready.json, { status: 'ready' });

    const metrics = await app.app.inject({ url: '/metrics' });
    t.equal(metrics.statusCode, 200);
    t.match(metrics.headers['content-type'], /^text\/plain; version=0\.0\.4/);
    t.match(metrics.body, /# TYPE htek_dms_config_fetches_total counter/);
    t.match(metrics.body, /# TYPE htek_dms_config_render_seconds histogram/);
    t.match(metrics.body, /# TYPE htek_dms_sip_notifies_total counter/);
    t.match(metrics.body, /# TYPE htek_dms_exports_total counter/);
    t.match(metrics.body, /# TYPE htek_dms_db_pool_connections gauge/);
    t.match(metrics.body, /htek_dms_process_resident_memory_bytes/);
  });

  t.test('phone fetches counted', async (t) => {
    const profile = await createProfile(app);
    const account = await createAccount(app, profile.id);
    await createDevice(app, { mac: '001fc1000101', model: 'UC926', profileId: profile.id, lines: [{ line: 1, accountId: account.id }] });

    const before = (await app.app.inject({ url: '/metrics' })).body;
    t.equal((await app.app.inject({ url: '/cfg001fc1000101.xml' })).statusCode, 200);
    t.equal((await app.app.inject({ url: '/cfg001fc1000102.xml' })).statusCode, 404);
    t.equal((await app.app.inject({ url: '/cfg001fc1000101.xml' })).statusCode, 200);
    const after = (await app.app.inject({ url: '/metrics' })).body;

    const delta = (sample: string) => (sampleValue(after, sample) ?? 0) - (sampleValue(before, sample) ?? 0);
    t.equal(delta('htek_dms_config_fetches_total{status="200"}'), 2, 'two 200s counted');
    t.equal(delta('htek_dms_config_fetches_total{status="404"}'), 1, 'one 404 counted');
    t.equal(delta('htek_dms_config_render_seconds_count'), 2, 'each rendered file is timed');
  });

  t.test('readiness needs migrations', async (t) => {
    t.same(await checkReadiness(app.database.db), { ready: true });

    const [latest] = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(app.database.db).then((result) => result.rows);
    await sql`delete from kysely_migration where name = ${latest?.name}`.execute(app.database.db);

    const readiness = await checkReadiness(app.database.db);
    t.equal(readiness.ready, false, 'not ready with a migration missing');
    t.match(readiness, { reason: `migrations not applied yet: ${latest?.name}` });

    const response = await app.call('GET', '/readyz');
    t.equal(response.status, 503);
    t.equal(response.response.headers['retry-after'], '5');
    t.equal(response.json.status, 'unavailable');
  });
});
