import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Test } from 'tap';

import { repositoryRoot } from '../helpers/server-process.js';

/** Helpers for the security CLI tests; this file contains no tests. */

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `htek-dms <args>` on the embedded database in `dataDir` with only the given variables set. */
export function runCli(dataDir: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const options = { cwd: repositoryRoot, env: { PATH: process.env.PATH ?? '', HTEK_DMS_DATA_DIR: dataDir, HTEK_DMS_LOG_FORMAT: 'json', ...env }, encoding: 'utf8' as const, timeout: 60_000 };
    const child = execFile(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], options, (_error, stdout, stderr) => {
      resolve({ code: child.exitCode, stdout, stderr });
    });
  });
}

/** Creates a temporary folder removed when the test ends; returns the data folder path inside it. */
export function temporaryDataDir(t: Test, prefix: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.teardown(() => fs.rmSync(folder, { recursive: true, force: true }));
  return path.join(folder, 'data');
}
