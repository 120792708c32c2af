import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import readline from 'node:readline';

import type { Test } from 'tap';

import { testAdmin } from './admin.js';

export const repositoryRoot = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  child: ChildProcess;
  /** Base URL such as `http://127.0.0.1:41234`. */
  baseUrl: string;
  /** Log lines (parsed pino JSON) written so far. */
  logs: Record<string, unknown>[];
  /** Resolves with the exit code and signal once the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Authorization header of the test administrator, which `startServerProcess` creates; Basic is accepted from loopback. */
export const adminAuthorization = `Basic ${Buffer.from(`${testAdmin.username}:${testAdmin.password}`).toString('base64')}`;

/**
 * Starts `htek-dms serve` from the TypeScript sources on a free loopback port and waits for
 * its "htek-dms listening" log line. The server creates the test administrator at start-up
 * (send `adminAuthorization`). The process is killed when the test ends, if still alive.
 */
export async function startServerProcess(t: Test, env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', HTEK_DMS_LOG_FORMAT: 'json', HTEK_DMS_ADMIN_USER: testAdmin.username, HTEK_DMS_ADMIN_PASSWORD: testAdmin.password, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });

  const logs: Record<string, unknown>[] = [];
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not listen within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
    exited.then(({ code }) => reject(new Error(`server exited with ${code} before listening; stderr: ${stderr}`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = parseLogLine(line);
      logs.push(entry);
      if (entry.msg === 'htek-dms listening') {
        clearTimeout(timer);
        resolve(String(entry.address));
      }
    });
  });

  const baseUrl = await listening;
  return { child, baseUrl, logs, exited };
}

function parseLogLine(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { msg: line };
  }
}
