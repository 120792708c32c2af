// Boot-storm benchmark: N phones (default 10,000) each do the Htek boot sequence
// (cfg<device code>.xml, cfg<mac>, cfg<mac>.xml), every request on a fresh TCP connection,
// against htek-dms on Postgres and against @fastify/static serving the same pre-rendered files.
// Loopback only; every phase is bounded by the phone count and by PHASE_SECONDS.
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/boot-storm/run.ts
//
// PHONES, CONCURRENCY, PHASE_SECONDS and CPU_PROFILE_DIR change the run (see docs/benchmarks.md).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';

import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createProvisioningService } from '../../src/provisioning/provisioning-service.js';
import { createRenderer } from '../../src/provisioning/renderer.js';
import { generateSecretKey } from '../../src/secrets/secret-box.js';

const phones = Number(process.env.PHONES ?? 10_000);
const concurrency = Number(process.env.CONCURRENCY ?? 64);
const phaseSeconds = Number(process.env.PHASE_SECONDS ?? 120);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const here = path.dirname(fileURLToPath(import.meta.url));

// The seeding and the server child must share one key for the encrypted SIP passwords. Without a
// configured key each would generate its own, and every file request would fail to decrypt.
process.env.HTEK_DMS_SECRET_KEY ??= generateSecretKey().toString('base64');

interface PhaseResult {
  name: string;
  requests: number;
  errors: number;
  seconds: number;
  latenciesMs: number[];
  /** Unexpected responses by `<file kind> <status>`, e.g. `cfg<mac>.xml 500`. */
  unexpected: Map<string, number>;
}

const macOf = (index: number) => `001fc1${index.toString(16).padStart(6, '0')}`;

/** One GET on a fresh connection (agent: false); resolves with the status and latency. */
function get(port: number, file: string, mac: string): Promise<{ status: number; ms: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: `/${file}`, agent: false, headers: { 'user-agent': `Htek UC926 2.0.4.2 ${mac.match(/../g)?.join(':')}` } }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    request.on('error', () => resolve({ status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
  });
}

async function bootPhone(port: number, index: number, result: PhaseResult): Promise<void> {
  const mac = macOf(index);
  for (const [file, expected] of [['cfg0010.xml', 404], [`cfg${mac}`, 404], [`cfg${mac}.xml`, 200]] as const) {
    const { status, ms } = await get(port, file, mac);
    result.requests++;
    result.latenciesMs.push(ms);
    if (status !== expected) {
      result.errors++;
      const kind = `${file.replace(mac, '<mac>')} ${status}`;
      result.unexpected.set(kind, (result.unexpected.get(kind) ?? 0) + 1);
    }
  }
}

/**
 * Boots every phone against the port. With `phonesPerSecond` unset, `concurrency` phones run at
 * once (closed loop, peak load); with it set, phones start at that rate (open loop).
 */
async function runPhase(name: string, port: number, phonesPerSecond?: number): Promise<PhaseResult> {
  const result: PhaseResult = { name, requests: 0, errors: 0, seconds: 0, latenciesMs: [], unexpected: new Map() };
  const started = Date.now();
  const deadline = started + phaseSeconds * 1000;
  let next = 0;

  if (phonesPerSecond === undefined) {
    const worker = async () => {
      while (next < phones && Date.now() < deadline) await bootPhone(port, next++, result);
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  } else {
    const running: Promise<void>[] = [];
    while (next < phones && Date.now() < deadline) {
      const due = started + (next / phonesPerSecond) * 1000;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      running.push(bootPhone(port, next++, result));
    }
    await Promise.all(running);
  }
  result.seconds = (Date.now() - started) / 1000;
  return result;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

function startChild(script: string, env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  // CPU_PROFILE_DIR=<folder> writes a V8 CPU profile of each server there when it exits.
  const profiling = process.env.CPU_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.CPU_PROFILE_DIR] : [];
  const child = spawn(process.execPath, [...profiling, '--import', 'tsx', path.join(here, script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /port (\d+)/.exec(chunk.toString());
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/** Peak resident set size of a process in MiB, from /proc (Linux). */
function peakRssMiB(pid: number | undefined): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function seed(databaseUrl: string, filesDir: string): Promise<void> {
  const logger = pino({ level: 'warn' });
  const database = await openDatabase({ databaseUrl, dataDir: '' }, logger);
  await migrateToLatest(database.db, logger);
  const db = database.db;

  const profile = await db.insertInto('profiles').values({ name: 'Bench PBX', sipServer: 'pbx.example.net' }).returning('id').executeTakeFirstOrThrow();
  for (let start = 0; start < phones; start += 1000) {
    const indexes = Array.from({ length: Math.min(1000, phones - start) }, (_, offset) => start + offset);
    const accounts = await db
      .insertInto('accounts')
      .values(indexes.map((index) => ({ name: `Bench ${index}`, profileId: profile.id, label: `${1000 + index}`, sipUserId: `${1000 + index}`, authId: `${1000 + index}`, authPassword: `secret-${index}`, pin: '1234' })))
      .returning('id')
      .execute();
    const devices = await db
      .insertInto('devices')
      .values(indexes.map((index) => ({ mac: macOf(index), model: 'UC926', profileId: profile.id })))
      .returning('id')
      .execute();
    await db
      .insertInto('deviceLines')
      .values(devices.map((device, offset) => ({ deviceId: device.id, line: 1, accountId: accounts[offset]?.id ?? 0 })))
      .execute();
  }

  const provisioning = createProvisioningService({ db, logger, renderer: createRenderer(undefined), publicUrl: 'http://127.0.0.1/', checkIntervalMinutes: 1440 });
  for (let index = 0; index < phones; index++) {
    const body = await provisioning.renderForMac(macOf(index), 'http://127.0.0.1/');
    fs.writeFileSync(path.join(filesDir, `cfg${macOf(index)}.xml`), body ?? '');
  }
  await sql`analyze`.execute(db);
  await database.close();
}

function row(result: PhaseResult, rssMiB: number): string {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const rps = result.requests / result.seconds;
  return `| ${result.name} | ${result.requests} | ${result.errors} | ${rps.toFixed(0)} | ${percentile(sorted, 0.5).toFixed(1)} | ${percentile(sorted, 0.99).toFixed(1)} | ${rssMiB.toFixed(0)} |`;
}

async function main(): Promise<void> {
  const name = `htek_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'htek-boot-storm-'));

  const children: ChildProcess[] = [];
  try {
    console.error(`seeding ${phones} devices and pre-rendering their files`);
    await seed(url.toString(), filesDir);

    const dms = await startChild('dms-server.ts', { DATABASE_URL: url.toString() });
    const files = await startChild('static-server.ts', { FILES_DIR: filesDir });
    children.push(dms.child, files.child);

    console.error('warming up');
    await runPhase('warm-up', dms.port).then(() => runPhase('warm-up', files.port));

    console.error('peak load');
    const dmsPeak = await runPhase('htek-dms, peak', dms.port);
    const staticPeak = await runPhase('@fastify/static, peak', files.port);
    const dmsRps = dmsPeak.requests / dmsPeak.seconds;
    const staticRps = staticPeak.requests / staticPeak.seconds;

    console.error('80 % of htek-dms peak load');
    const dmsPaced = await runPhase('htek-dms, 80 % of its peak', dms.port, (0.8 * dmsRps) / 3);
    const staticPaced = await runPhase('@fastify/static, same rate', files.port, (0.8 * dmsRps) / 3);

    const dmsRss = peakRssMiB(dms.child.pid);
    const staticRss = peakRssMiB(files.child.pid);
    console.log(`${phones} phones x 3 requests, fresh connection per request, ${concurrency} phones at once at peak; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})`);
    console.log('');
    console.log('| Run | Requests | Errors | Requests/s | p50 ms | p99 ms | Peak RSS MiB |');
    console.log('|---|---|---|---|---|---|---|');
    for (const [result, rss] of [[dmsPeak, dmsRss], [staticPeak, staticRss], [dmsPaced, dmsRss], [staticPaced, staticRss]] as const) console.log(row(result, rss));
    console.log('');
    for (const result of [dmsPeak, staticPeak, dmsPaced, staticPaced]) {
      if (result.unexpected.size > 0) console.log(`Unexpected responses in "${result.name}": ${[...result.unexpected].map(([kind, count]) => `${kind} x${count}`).join(', ')}`);
    }
    console.log(`Ratio htek-dms / @fastify/static requests/s at peak: ${(dmsRps / staticRps).toFixed(2)}`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    fs.rmSync(filesDir, { recursive: true, force: true });
  }
}

await main();
