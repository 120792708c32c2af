import fs from 'node:fs';
import path from 'node:path';

import { sql } from 'kysely';
import t from 'tap';

import { buildApp } from '../../src/app.js';
import { verifyPassword } from '../../src/auth/passwords.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createSecretBox, parseSecretKey } from '../../src/secrets/secret-box.js';
import { findUserForLogin } from '../../src/users/users-repo.js';
import { createAdminToken, signInjectAsAdmin } from '../helpers/admin.js';
import { createAccount, createProfile } from '../helpers/fixtures.js';
import { createTestLogger } from '../helpers/logger.js';
import { runCli, temporaryDataDir } from './cli-helpers.js';

const { logger } = createTestLogger('security-cli');

t.test('user add creates users', async (t) => {
  const dataDir = temporaryDataDir(t, 'htek-user-add-');

  const operator = await runCli(dataDir, ['user', 'add', 'alice', '--role', 'Operator'], { HTEK_DMS_ADMIN_PASSWORD: 'alice-password-1' });
  t.equal(operator.code, 0, `user add with a password exits 0 (stderr: ${operator.stderr})`);
  t.match(operator.stdout, 'Created the user alice (Operator).', 'the output names the user and role');
  t.notMatch(operator.stdout, 'alice-password-1', 'a given password is not printed');

  const generated = await runCli(dataDir, ['user', 'add', 'bob']);
  t.equal(generated.code, 0, `user add without a password exits 0 (stderr: ${generated.stderr})`);
  const bobPassword = /\n\n {4}(\S+)\n/.exec(generated.stdout)?.[1];
  t.ok(bobPassword, 'a generated password is printed');

  const duplicate = await runCli(dataDir, ['user', 'add', 'alice'], { HTEK_DMS_ADMIN_PASSWORD: 'alice-password-2' });
  t.equal(duplicate.code, 1, 'a taken name exits 1');
  t.match(duplicate.stderr, /already exists/, 'the error says the name is taken');

  const database = await openDatabase({ databaseUrl: undefined, dataDir }, logger);
  t.teardown(() => database.close());
  const alice = await findUserForLogin(database.db, 'alice');
  const bob = await findUserForLogin(database.db, 'bob');
  t.equal(alice?.role, 'Operator', 'alice has the role given');
  t.ok(alice && (await verifyPassword(alice.passwordHash, 'alice-password-1')), 'alice signs in with the password from HTEK_DMS_ADMIN_PASSWORD');
  t.equal(bob?.role, 'Administrator', 'bob is an Administrator by default');
  t.ok(bob && (await verifyPassword(bob.passwordHash, bobPassword ?? '')), 'bob signs in with the printed password');
});

/** Stores one account and the fleet password in a new embedded database; returns the account id. */
async function seedSecrets(dataDir: string): Promise<number> {
  const database = await openDatabase({ databaseUrl: undefined, dataDir }, logger);
  try {
    await migrateToLatest(database.db, logger);
    const app = await buildApp({ config: { publicUrl: undefined, templatesDir: undefined }, db: database.db, logger });
    const adminToken = await createAdminToken(database.db);
    signInjectAsAdmin(app, adminToken);
    const call = async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
      const response = await app.inject({ method, url, ...(body === undefined ? {} : { payload: body as object }) });
      return { status: response.statusCode, json: response.json(), response };
    };
    const seeded = { app, database, logFile: '', adminToken, call };
    const profile = await createProfile(seeded);
    const account = await createAccount(seeded, profile.id, { authPassword: 'rotate-sip-secret', pin: '97531' });
    await call('PUT', '/api/v1/provisioning-access', { mode: 'networks-or-credentials', allowedNetworks: ['10.0.0.0/8'], fleetUsername: 'fleet', fleetPassword: 'rotate-fleet-secret', graceMinutes: 10, allowBasicOverHttp: false });
    await app.close();
    return account.id;
  } finally {
    await database.close();
  }
}

t.test('rotate-key re-encrypts every secret', async (t) => {
  const dataDir = temporaryDataDir(t, 'htek-rotate-key-');
  const accountId = await seedSecrets(dataDir);
  const keyFile = path.join(dataDir, 'secret.key');
  const oldBox = createSecretBox(parseSecretKey(fs.readFileSync(keyFile, 'utf8'), 'old key file'));

  const rotated = await runCli(dataDir, ['rotate-key']);
  t.equal(rotated.code, 0, `rotate-key exits 0 (stderr: ${rotated.stderr})`);
  t.match(rotated.stdout, /Re-encrypted \d+ row\(s\)/, 'the output counts the rows');
  t.notOk(fs.existsSync(`${keyFile}.new`), 'no pending key file is left');
  const newBox = createSecretBox(parseSecretKey(fs.readFileSync(keyFile, 'utf8'), 'new key file'));
  t.not(newBox.keyId, oldBox.keyId, 'the key file holds a new key');

  // Opened with the new key file only: the old key is no longer needed for anything.
  const database = await openDatabase({ databaseUrl: undefined, dataDir }, logger);
  t.teardown(() => database.close());
  const account = await database.db.selectFrom('accounts').select(['authPassword', 'pin']).where('id', '=', accountId).executeTakeFirstOrThrow();
  t.equal(account.authPassword, 'rotate-sip-secret', 'the SIP password decrypts with the new key');
  t.equal(account.pin, '97531', 'the PIN decrypts with the new key');
  const access = await database.db.selectFrom('provisioningAccess').select('fleetPassword').executeTakeFirstOrThrow();
  t.equal(access.fleetPassword, 'rotate-fleet-secret', 'the fleet password decrypts with the new key');

  const raw = await sql<{ auth_password: string; pin: string }>`select auth_password, pin from accounts where id = ${accountId}`.execute(database.db.withoutPlugins());
  t.match(raw.rows[0]!.auth_password, `enc:v1:${newBox.keyId}:`, 'the stored SIP password names the new key');
  t.throws(() => oldBox.decrypt(raw.rows[0]!.pin), 'the old key cannot read the rotated values');
});
