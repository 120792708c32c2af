// Push benchmark: one push job of N devices (default 10,000), every device's NOTIFY target a
// single SIPp UAS on loopback that responds to each check-sync with 200 OK. Measures the time from
// storing the job until every device has a result, the devices without a 200 (lost), SIPp's own
// verdict and the peak RSS of this process, which runs the push worker and the NOTIFY sender.
// Needs a Postgres server on loopback; the script creates and drops its own database.
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/push/run.ts
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';

import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createSecretBox } from '../../src/secrets/secret-box.js';
import { insertJob } from '../../src/push/push-repo.js';
import { startPushWorker } from '../../src/push/push-worker.js';
import { createNotifySender, defaultSipSenderSettings } from '../../src/sip/notify-sender.js';
import { startSipp } from '../../test/sip/sipp.js';

const pushes = Number(process.env.PUSHES ?? 10_000);
const maxConcurrent = Number(process.env.MAX_CONCURRENT ?? 50);
const ratePerSecond = Number(process.env.RATE ?? 0);
const limitSeconds = Number(process.env.LIMIT_SECONDS ?? 300);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function withAdmin(query: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

/** Inserts one profile and `count` devices whose NOTIFY target is the SIPp port, in batches. */
async function seedDevices(db: Awaited<ReturnType<typeof openDatabase>>['db'], count: number, sipPort: number): Promise<{ id: number; mac: string }[]> {
  const profile = await db.insertInto('profiles').values({ name: 'Bench', sipServer: 'pbx.example.net' }).returning('id').executeTakeFirstOrThrow();
  const devices: { id: number; mac: string }[] = [];

  for (let start = 0; start < count; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - start) }, (_, offset) => ({
      mac: `001fc1${(start + offset).toString(16).padStart(6, '0')}`,
      model: 'UC926',
      profileId: profile.id,
      sipTarget: `127.0.0.1:${sipPort}`,
    }));
    devices.push(...(await db.insertInto('devices').values(batch).returning(['id', 'mac']).execute()));
  }
  return devices;
}

async function countStates(db: Awaited<ReturnType<typeof openDatabase>>['db'], jobId: string): Promise<Record<string, number>> {
  const rows = await sql<{ state: string; count: number }>`
    select state, count(*)::int as count from push_job_devices where job_id = ${jobId} group by state`.execute(db);
  return Object.fromEntries(rows.rows.map((row) => [row.state, row.count]));
}

async function main(): Promise<void> {
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const name = `htek_bench_push_${process.pid}`;
  await withAdmin(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '', secretBox: createSecretBox(Buffer.alloc(32, 1)) }, logger);

  const cleanups: (() => unknown)[] = [];
  try {
    await migrateToLatest(database.db, logger);
    const sipp = await startSipp({ teardown: (fn) => cleanups.push(fn) }, { scenario: 'uas-200.xml', transport: 'udp', calls: pushes, timeoutSeconds: limitSeconds });
    const devices = await seedDevices(database.db, pushes, sipp.port);

    const sender = await createNotifySender({ ...defaultSipSenderSettings, bindAddress: '127.0.0.1' }, logger);
    const worker = startPushWorker({ db: database.db, logger, sender, maxInFlight: Math.max(maxConcurrent, 100), pollIntervalMs: 500, staleAfterMs: 2 * defaultSipSenderSettings.timerFMs + 15_000 });

    const started = performance.now();
    const jobId = await insertJob(database.db, { mode: 'now', runAt: new Date(), reboot: false, maxConcurrent, ratePerSecond }, devices);
    worker.wake();

    let states: Record<string, number> = {};
    const deadline = started + limitSeconds * 1000;
    for (;;) {
      states = await countStates(database.db, jobId);
      if ((states.queued ?? 0) + (states.sent ?? 0) === 0 || performance.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seconds = (performance.now() - started) / 1000;

    await worker.stop(1000);
    await sender.close();
    const sippExit = await Promise.race([sipp.exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 5000))]);

    const failures = await sql<{ reason: string; count: number }>`
      select reason, count(*)::int as count from push_job_devices where job_id = ${jobId} and state = 'failed' group by reason`.execute(database.db);
    const answered = states.answered ?? 0;
    const result = {
      pushes,
      maxConcurrent,
      ratePerSecond,
      seconds: Math.round(seconds * 100) / 100,
      notifiesPerSecond: Math.round(answered / seconds),
      answered,
      lost: pushes - answered,
      states,
      failures: failures.rows,
      sippExitCode: sippExit?.code ?? 'still running',
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    console.log(JSON.stringify(result));
    console.log(`| ${pushes} | ${maxConcurrent} | ${ratePerSecond === 0 ? 'uncapped' : ratePerSecond} | ${result.seconds} | ${result.notifiesPerSecond} | ${result.lost} | ${result.peakRssMiB} |`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await database.close();
    await withAdmin(`drop database if exists ${name} with (force)`);
  }
}

await main();
