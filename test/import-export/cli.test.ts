import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import t from 'tap';

import { fixture, makeTempDir } from '../fixtures/spreadsheets/helpers.js';

const run = promisify(execFile);

/** Runs the CLI on an embedded database in `dataDir`; resolves with the exit code and output. */
async function cli(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, HTEK_DMS_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

t.test('import and export commands', async (t) => {
  const dir = await makeTempDir(t);
  const dataDir = join(dir, 'data');

  const imported = await cli(dataDir, 'import', fixture('admin-mistakes-de.csv'), '--mode', 'dry-run');
  t.equal(imported.code, 1, 'a file with problems exits 1');
  // The embedded database may log a JSON line first; the report is the rest.
  const lines = imported.stdout.split('\n').filter((line) => !line.startsWith('{'));
  t.equal(lines[0], 'dry-run: 7 rows, 0 created, 0 updated, 0 unchanged, 7 skipped');
  t.equal(lines[1], 'row 1, Bemerkung "Bemerkung": is not a column of the template; rename it to one of the template headers (see the Help sheet) or delete the column');
  t.equal(lines[2], 'row 2, Name "Müller": is also in row 4; every account needs its own name (compared in any letter case)');

  const badMode = await cli(dataDir, 'import', fixture('admin-mistakes-de.csv'), '--mode', 'all');
  t.equal(badMode.code, 2);
  t.equal(badMode.stderr, 'htek-dms: --mode "all" is not a mode; use one of dry-run, all-or-nothing, valid-rows\n');

  const file = join(dir, 'accounts.csv');
  const exported = await cli(dataDir, 'export', file);
  t.equal(exported.code, 0);
  t.equal(exported.stdout.split('\n').filter((line) => !line.startsWith('{')).join('\n'), `0 accounts written to ${file}\n`);
  t.match(await readFile(file, 'utf8'), /^\ufeffName \*,Profile \*,Account Active,/);
});
