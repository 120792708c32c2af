import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** SIPp from the Debian package sip-tester, or SIPP_PATH. Tests that need it skip when it is missing. */
export const sippPath = process.env.SIPP_PATH ?? '/usr/bin/sipp';
export const sippMissingReason = fs.existsSync(sippPath)
  ? undefined
  : `${sippPath} not found; install it with "apt-get install -y sip-tester" to run the SIPp tests`;

export const sippScenarioDir = path.resolve('test/fixtures/sipp');

export interface SippOptions {
  /** File name in test/fixtures/sipp. */
  scenario: string;
  transport: 'udp' | 'tcp';
  extraArgs?: string[];
  /** Runs SIPp with -trace_msg, so that SippExit.messages lists every message it received and sent. */
  traceMessages?: boolean;
  /** Number of calls SIPp handles before it exits (-m); 1 by default. */
  calls?: number;
  /** SIPp fails and exits after this many seconds (-timeout); 15 by default. */
  timeoutSeconds?: number;
}

export interface SippExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Contents of SIPp's error log (-trace_err), empty when the call had no errors. */
  errors: string;
  /** Last part of SIPp's screen output, for failure messages. */
  output: string;
  /** Contents of SIPp's message log (-trace_msg), empty without traceMessages. */
  messages: string;
}

export interface SippRun {
  /** Port SIPp listens on at 127.0.0.1. */
  port: number;
  /** Settles when SIPp exits by itself or is stopped. */
  exited: Promise<SippExit>;
  /** Kills SIPp if it still runs and waits for it to exit. */
  stop(): Promise<SippExit>;
}

/** Minimal view of a tap test, so the helper registers its own teardown. */
interface TeardownHost {
  teardown(fn: () => unknown): void;
}

/**
 * Starts SIPp as a UAS for `options.calls` calls (one by default) on free loopback ports and
 * waits until its SIP port is open. SIPp is killed on teardown of `t`. Its exit code is 0 when
 * the calls followed the scenario, including any failure branch the scenario itself takes.
 */
export async function startSipp(t: TeardownHost, options: SippOptions): Promise<SippRun> {
  const port = await freePort(options.transport);
  const controlPort = await freePort('udp');
  const mediaPort = await freeMediaPort();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'htek-dms-sipp-'));

  const args = [
    '-sf', path.join(sippScenarioDir, options.scenario),
    '-i', '127.0.0.1',
    '-p', String(port),
    '-t', options.transport === 'udp' ? 'u1' : 't1',
    '-m', String(options.calls ?? 1),
    '-timeout', `${options.timeoutSeconds ?? 15}s`,
    '-timeout_error',
    '-nostdin',
    '-trace_err',
    '-cp', String(controlPort),
    '-mp', String(mediaPort),
    ...(options.traceMessages === true ? ['-trace_msg'] : []),
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(sippPath, args, { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });

  let output = '';
  const keepOutput = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout.on('data', keepOutput);
  child.stderr.on('data', keepOutput);

  const exited = new Promise<SippExit>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal, errors: readLogs(workDir, '_errors.log'), output, messages: readLogs(workDir, '_messages.log') });
    });
  });
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });

  const stop = async (): Promise<SippExit> => {
    if (!hasExited) child.kill('SIGKILL');
    return exited;
  };
  t.teardown(async () => {
    await stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  await waitForListening(options.transport, port, () => hasExited);
  if (hasExited) {
    const exit = await exited;
    throw new Error(`sipp exited with code ${exit.code} before it listened on port ${port}:\n${exit.errors}\n${exit.output}`);
  }

  return { port, exited, stop };
}

function readLogs(workDir: string, suffix: string): string {
  return fs
    .readdirSync(workDir)
    .filter((name) => name.endsWith(suffix))
    .map((name) => fs.readFileSync(path.join(workDir, name), 'utf8'))
    .join('\n');
}

/** Returns a loopback port that was free a moment ago. SIPp binds it shortly after. */
export async function freePort(transport: 'udp' | 'tcp'): Promise<number> {
  if (transport === 'udp') {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const { port } = socket.address();
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    return port;
  }

  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** SIPp binds its media port and the port two above it (RTP echo for audio and video). */
async function freeMediaPort(): Promise<number> {
  for (;;) {
    const port = await freePort('udp');
    if (port <= 65533) return port;
  }
}

/**
 * Polls the kernel's socket tables until something listens on 127.0.0.1:port. Reading
 * /proc/net avoids binding or connecting to the port, which could steal it from SIPp or
 * open a stray TCP connection to it.
 */
async function waitForListening(transport: 'udp' | 'tcp', port: number, hasExited: () => boolean): Promise<void> {
  const localAddress = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const table = `/proc/net/${transport}`;
  const deadline = Date.now() + 5000;

  while (Date.now() < deadline && !hasExited()) {
    const rows = fs.readFileSync(table, 'utf8').split('\n').slice(1);
    const listening = rows.some((row) => {
      const columns = row.trim().split(/\s+/);
      return columns[1] === localAddress && (transport === 'udp' || columns[3] === '0A');
    });
    if (listening) return;
    await sleep(20);
  }
  if (!hasExited()) throw new Error(`sipp did not listen on ${transport} 127.0.0.1:${port} within 5 s`);
}
