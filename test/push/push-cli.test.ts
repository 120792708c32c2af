import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import t, { type Test } from 'tap';

import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { runPushCli } from '../../src/push/push-cli.js';
import { createAdminToken, signInjectAsAdmin } from '../helpers/admin.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createAccount, createDevice, createProfile } from '../helpers/fixtures.js';
import { createTestLogger } from '../helpers/logger.js';
import { sippMissingReason, startSipp } from '../sip/sipp.js';

// SIPp plays the phone. Timers are short so that a silent phone times out in 1.3 s: Timer E
// sends at 0, 100, 300, 700 and 1100 ms before Timer F.
const { logger } = createTestLogger('push-cli');
const pushConfig = { ...loadConfig({}).push, sipBindAddress: '127.0.0.1', t1Ms: 100, t2Ms: 400, timerFMs: 1300 };
const skip = sippMissingReason ?? false;
// SIPp waits up to 60 s for its call, because creating the rows can take seconds on a loaded machine.
if (sippMissingReason !== undefined) t.comment(`SKIPPED SIPp tests: ${sippMissingReason}`);

/** Runs `htek-dms push` in this process on the test database and returns its exit code and output. */
async function runPush(app: TestApp, args: string[], values: Record<string, string | boolean | undefined> = {}) {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await runPushCli(
    { db: app.database.db, logger, push: pushConfig, print: (line) => lines.push(line), printError: (line) => errors.push(line), pollIntervalMs: 50 },
    args,
    values,
  );
  return { code, lines, errors };
}

async function createBoundDevice(app: TestApp, mac: string, accountId: number, profileId: number, sipTarget?: string) {
  return createDevice(app, { mac, model: 'UC926', profileId, lines: [{ line: 1, accountId }], ...(sipTarget === undefined ? {} : { sipTarget }) });
}

async function countJobs(app: TestApp): Promise<number> {
  const row = await app.database.db.selectFrom('pushJobs').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

t.test('push cli MAC answered', { skip }, async (t) => {
  const app = await buildTestApp(t);
  const sipp = await startSipp(t, { scenario: 'uas-200.xml', transport: 'udp', timeoutSeconds: 60 });
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id, { sipUserId: 'cli1' });
  await createBoundDevice(app, '001fc1cc0001', account.id, profile.id, `127.0.0.1:${sipp.port}`);

  const { code, lines, errors } = await runPush(app, ['00:1F:C1:CC:00:01']);
  const exit = await sipp.exited;

  t.equal(code, 0, `exit code (errors: ${errors.join(' ') || 'none'})`);
  t.match(lines[0], /^push [0-9a-f-]{36}: device 001fc1cc0001, sending now$/);
  t.ok(lines.includes('001fc1cc0001 answered: 200 OK'), 'the answer is printed');
  t.equal(lines.at(-1), 'done: 1 answered, 0 failed');
  t.equal(exit.code, 0, `sipp exit code (errors: ${exit.errors.trim() || 'none'})`);
});

t.test('push cli reboot flag', { skip }, async (t) => {
  const app = await buildTestApp(t);
  const sipp = await startSipp(t, { scenario: 'uas-reboot.xml', transport: 'udp', timeoutSeconds: 60 });
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id);
  await createBoundDevice(app, '001fc1cc0002', account.id, profile.id, `127.0.0.1:${sipp.port}`);

  const { code, lines } = await runPush(app, ['001fc1cc0002'], { reboot: true });
  const exit = await sipp.exited;

  t.equal(code, 0);
  t.match(lines[0], /with reboot$/);
  t.equal(exit.code, 0, `sipp checked Event: check-sync;reboot=true (errors: ${exit.errors.trim() || 'none'})`);
});

t.test('push cli account with unreachable device', { skip }, async (t) => {
  const app = await buildTestApp(t);
  const sipp = await startSipp(t, { scenario: 'uas-200.xml', transport: 'udp', timeoutSeconds: 60 });
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id, { name: 'Front desk', sipUserId: '4711' });
  await createBoundDevice(app, '001fc1cc0003', account.id, profile.id, `127.0.0.1:${sipp.port}`);
  await createBoundDevice(app, '001fc1cc0004', account.id, profile.id);

  const { code, lines } = await runPush(app, ['front desk'], { 'max-concurrent': '1', rate: '0' });
  await sipp.exited;

  t.equal(code, 1, 'exit code 1 because a device failed');
  t.match(lines[0], new RegExp(`account #${account.id} "Front desk"`));
  t.ok(lines.includes('001fc1cc0003 answered: 200 OK'));
  t.ok(lines.some((line) => line.startsWith('001fc1cc0004 failed: no address known')), 'the device without address fails');
  t.equal(lines.at(-1), 'done: 1 answered, 1 failed');

  const job = await app.database.db.selectFrom('pushJobs').select(['maxConcurrent', 'ratePerSecond']).executeTakeFirstOrThrow();
  t.same(job, { maxConcurrent: 1, ratePerSecond: 0 }, 'the options are stored on the job');
});

t.test('push cli silent phone timed out', { skip }, async (t) => {
  const app = await buildTestApp(t);
  const sipp = await startSipp(t, { scenario: 'uas-no-answer.xml', transport: 'udp', traceMessages: true, timeoutSeconds: 60 });
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id, { sipUserId: 'silent1' });
  await createBoundDevice(app, '001fc1cc0005', account.id, profile.id, `127.0.0.1:${sipp.port}`);

  const { code, lines } = await runPush(app, ['silent1']);
  const exit = await sipp.exited;

  t.equal(code, 1);
  t.ok(lines.includes('001fc1cc0005 failed: timed-out: no final response before Timer F'), lines.join('\n'));
  t.equal((exit.messages.match(/^NOTIFY sip:/gm) ?? []).length, 5, 'SIPp received the NOTIFY and its 4 retransmissions');
});

t.test('push cli at a time', { skip }, async (t) => {
  const app = await buildTestApp(t);
  const sipp = await startSipp(t, { scenario: 'uas-200.xml', transport: 'udp', timeoutSeconds: 60 });
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id);
  await createBoundDevice(app, '001fc1cc0006', account.id, profile.id, `127.0.0.1:${sipp.port}`);
  const at = new Date(Date.now() + 1500);

  const { code, lines } = await runPush(app, ['001fc1cc0006'], { at: at.toISOString() });

  t.equal(code, 0);
  t.match(lines[0], `sending at ${at.toISOString()}`);
  const row = await app.database.db.selectFrom('pushJobDevices').select(['sentAt', 'state']).executeTakeFirstOrThrow();
  t.equal(row.state, 'answered');
  t.ok(row.sentAt !== null && row.sentAt.getTime() >= at.getTime() - 50, `sent at ${row.sentAt?.toISOString()}, not before ${at.toISOString()}`);
});

t.test('push cli invalid input', async (t) => {
  const app = await buildTestApp(t);
  const profile = await createProfile(app);
  const first = await createAccount(app, profile.id, { name: 'Clash', sipUserId: '900' });
  await createAccount(app, profile.id, { sipUserId: 'clash' });
  await createAccount(app, profile.id, { sipUserId: 'nodevices' });

  const cases: [string, string[], Record<string, string | boolean>, RegExp][] = [
    ['no target', [], {}, /push needs a MAC or an account/],
    ['two targets', ['a', 'b'], {}, /run it once per target/],
    ['unknown MAC', ['00:1f:c1:00:00:99'], {}, /No device has the MAC 001fc1000099/],
    ['unknown account', ['nobody'], {}, /"nobody" is neither a MAC nor an account/],
    ['ambiguous account', ['clash'], {}, new RegExp(`matches several accounts: #${first.id} `)],
    ['account without devices', ['nodevices'], {}, /selects no devices/],
    ['rate not a number', ['900'], { rate: 'fast' }, /--rate "fast" is invalid; expected a whole number from 0 to 100000/],
    ['max-concurrent zero', ['900'], { 'max-concurrent': '0' }, /--max-concurrent "0" is invalid/],
    ['at without zone', ['900'], { at: '2026-12-24 22:00' }, /--at "2026-12-24 22:00" is not a date and time with a time zone/],
    ['reboot with a value', ['900'], { reboot: 'yes' }, /--reboot takes no value/],
    ['misspelt option', ['900'], { rebot: true }, /--rebot is not an option of push/],
  ];
  for (const [name, args, values, message] of cases) {
    const { code, errors, lines } = await runPush(app, args, values);
    t.equal(code, 2, `${name}: exit code`);
    t.match(errors.join('\n'), message, `${name}: message`);
    t.same(lines, [], `${name}: nothing printed to stdout`);
  }
  t.equal(await countJobs(app), 0, 'no job was stored');
});

t.test('push cli binary end to end', { skip }, async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'htek-dms-push-cli-'));
  t.teardown(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  await seedDataDir(t, dataDir);
  const sipp = await startSipp(t, { scenario: 'uas-200.xml', transport: 'udp', timeoutSeconds: 60 });
  await setSipTarget(dataDir, `127.0.0.1:${sipp.port}`);

  const run = await runBinary(['push', '001fc1cc0007', '--sip-bind-address', '127.0.0.1'], dataDir);

  t.equal(run.code, 0, `exit code (stderr: ${run.stderr})`);
  t.match(run.stdout, /^push [0-9a-f-]{36}: device 001fc1cc0007, sending now\n/);
  t.match(run.stdout, /^001fc1cc0007 answered: 200 OK$/m);
  t.match(run.stdout, /done: 1 answered, 0 failed\n$/);
  t.equal((await sipp.exited).code, 0);
});

/** Creates one device with a line in an embedded database in `dataDir`, then closes it so the CLI can lock it. */
async function seedDataDir(t: Test, dataDir: string): Promise<void> {
  const database = await openDatabase({ databaseUrl: undefined, dataDir }, logger);
  try {
    await migrateToLatest(database.db, logger);
    const app = await buildApp({ config: { publicUrl: undefined, templatesDir: undefined }, db: database.db, logger });
    const adminToken = await createAdminToken(database.db);
    signInjectAsAdmin(app, adminToken);
    const call: TestApp['call'] = async (method, url, body) => {
      const response = await app.inject({ method, url, ...(body === undefined ? {} : { payload: body as object }) });
      return { status: response.statusCode, json: response.json(), response };
    };
    const seeded = { app, database, logFile: '', adminToken, call };
    const profile = await createProfile(seeded);
    const account = await createAccount(seeded, profile.id);
    await createBoundDevice(seeded, '001fc1cc0007', account.id, profile.id, '127.0.0.1:5060');
    await app.close();
  } finally {
    await database.close();
  }
  t.pass('seeded the embedded database');
}

async function setSipTarget(dataDir: string, sipTarget: string): Promise<void> {
  const database = await openDatabase({ databaseUrl: undefined, dataDir }, logger);
  try {
    await database.db.updateTable('devices').set({ sipTarget }).execute();
  } finally {
    await database.close();
  }
}

function runBinary(args: string[], dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, HTEK_DMS_DATA_DIR: dataDir, HTEK_DMS_SIP_T1: '100', HTEK_DMS_SIP_T2: '400', HTEK_DMS_SIP_TIMER_F: '1300' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['bin/htek-dms.js', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });

  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}
