import t from 'tap';

import { startServerProcess } from '../helpers/server-process.js';
import { temporaryDataDir } from './cli-helpers.js';

// Without HTEK_DMS_ADMIN_USER and HTEK_DMS_ADMIN_PASSWORD the server must make up the password.
const noAdminSettings = { HTEK_DMS_ADMIN_USER: '', HTEK_DMS_ADMIN_PASSWORD: '' };

/** Returns the password printed after the "created the admin user" line, or undefined. */
function printedPassword(lines: string[]): string | undefined {
  const start = lines.findIndex((line) => line.includes('created the admin user "admin"'));
  if (start < 0) return undefined;
  return lines.slice(start + 1).find((line) => line.trim() !== '')?.trim();
}

t.test('first start prints a random admin password once', async (t) => {
  const dataDir = temporaryDataDir(t, 'htek-first-admin-');

  const first = await startServerProcess(t, { HTEK_DMS_DATA_DIR: dataDir, ...noAdminSettings });
  const firstLines = first.logs.map((entry) => String(entry.msg));
  const password = printedPassword(firstLines);
  t.ok(password, 'a password is printed');
  t.ok((password ?? '').length >= 16, 'the password is long and random');

  const login = await fetch(`${first.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
  t.equal(login.status, 200, 'the printed password signs in');
  const structured = first.logs.filter((entry) => entry.level !== undefined);
  t.notMatch(JSON.stringify(structured), password ?? 'no password', 'the password is in no log line');

  first.child.kill('SIGTERM');
  t.equal((await first.exited).code, 0, 'the first server stops');

  const second = await startServerProcess(t, { HTEK_DMS_DATA_DIR: dataDir, ...noAdminSettings });
  t.equal(printedPassword(second.logs.map((entry) => String(entry.msg))), undefined, 'the second start prints no password');
  second.child.kill('SIGTERM');
  await second.exited;
});
