import fs from 'node:fs';
import path from 'node:path';

import t from 'tap';

import { testAdmin } from '../helpers/admin.js';
import { accountBody } from '../helpers/fixtures.js';
import { testLogDir } from '../helpers/logger.js';
import { testPassword } from './security-app.js';

// The secrets the fixtures and these tests send: account SIP passwords and PINs, admin and fleet
// passwords. None may appear in any log file the suite writes.
const fixtureAccount = accountBody(1);
const secrets = [
  String(fixtureAccount.authPassword),
  `"${fixtureAccount.pin}"`,
  'plain-sip-secret',
  testPassword,
  testAdmin.password,
  'fleet-pass-1',
  'old-pass-1',
  'desk-12-pass',
  'alice-password-1',
  'audit-export-secret',
  'rotate-sip-secret',
  'rotate-fleet-secret',
];

t.test('test logs contain no secrets', async (t) => {
  const files = fs.existsSync(testLogDir) ? fs.readdirSync(testLogDir).filter((name) => name.endsWith('.log')) : [];
  t.ok(files.length > 0, `found ${files.length} log files`);

  for (const secret of secrets) {
    const leaks = files.filter((name) => fs.readFileSync(path.join(testLogDir, name), 'utf8').includes(secret));
    t.same(leaks, [], `${JSON.stringify(secret)} appears in no log`);
  }
});
