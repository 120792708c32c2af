import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import t from 'tap';

import { settings } from '../../src/config.js';
import { repositoryRoot } from '../helpers/server-process.js';

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const options = { cwd: repositoryRoot, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' as const, timeout: 90_000 };
    const child = execFile(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], options, (_error, stdout, stderr) => {
      resolve({ status: child.exitCode, stdout, stderr });
    });
  });
}

// Each run starts Node with tsx, which takes seconds; the four run side by side.
const help = runCli(['serve', '--help']);
const invalidOption = runCli(['serve', '--port', '80a']);
const invalidVariable = runCli(['serve'], { HTEK_DMS_TRUST_PROXY: 'yes' });
const unknownOption = runCli(['serve', '--prot=8080']);

t.test('serve --help lists every setting', async (t) => {
  const { status, stdout } = await help;

  t.equal(status, 0);
  for (const setting of settings) {
    t.match(stdout, `--${setting.flag} <value>   ${setting.env}`, `lists --${setting.flag}`);
  }
});

t.test('invalid option stops start-up', async (t) => {
  const { status, stdout, stderr } = await invalidOption;

  t.equal(status, 1, 'exit code 1');
  t.equal(stdout, '', 'nothing on stdout');
  t.match(stderr, 'htek-dms: --port: "80a" is invalid; expected a whole number from 0 to 65535');
});

t.test('invalid variable stops start-up', async (t) => {
  const { status, stderr } = await invalidVariable;

  t.equal(status, 1, 'exit code 1');
  t.match(stderr, /^htek-dms: HTEK_DMS_TRUST_PROXY: "yes" is invalid; expected false, true, a hop count/);
});

t.test('unknown serve option stops start-up', async (t) => {
  const { status, stderr } = await unknownOption;

  t.equal(status, 1, 'exit code 1');
  t.match(stderr, 'htek-dms: --prot: is not an option; run htek-dms serve --help for the list');
});

t.test('busy port stops serve with one line', async (t) => {
  const occupier = createServer();
  await new Promise<void>((resolve) => occupier.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => occupier.close(() => resolve())));
  const port = (occupier.address() as AddressInfo).port;

  const dataDir = await mkdtemp(path.join(tmpdir(), 'htek-dms-busy-port-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const database: Record<string, string> = process.env.TEST_DATABASE_URL ? { DATABASE_URL: process.env.TEST_DATABASE_URL } : { HTEK_DMS_DATA_DIR: dataDir };

  const { status, stderr } = await runCli(['serve', '--port', String(port), '--host', '127.0.0.1'], database);

  t.equal(status, 1, 'exit code 1');
  t.equal(stderr, `htek-dms: port ${port} on 127.0.0.1 is already in use; stop the other program or set PORT/--port\n`, 'one line on stderr, no stack trace');
});
