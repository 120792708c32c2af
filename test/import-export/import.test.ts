import { sql } from 'kysely';
import t from 'tap';

import { isEncrypted } from '../../src/secrets/secret-box.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createAccount, createProfile } from '../helpers/fixtures.js';
import { fixture } from '../fixtures/spreadsheets/helpers.js';
import { csv, csvLine, listAccounts, upload, uploadFile } from '../fixtures/spreadsheets/upload-helpers.js';

const UNKNOWN_PROFILE = 'is not an existing profile; create the profile first or choose one from the drop-down list of the template';

const MISTAKES_REPORT_ERRORS = [
  { row: 1, column: 'Bemerkung', value: 'Bemerkung', message: 'is not a column of the template; rename it to one of the template headers (see the Help sheet) or delete the column' },
  { row: 2, column: 'Name', value: 'Müller', message: 'is also in row 4; every account needs its own name (compared in any letter case)' },
  { row: 2, column: 'Account Active', value: 'ja', message: 'must be yes or no (true/false and 1/0 are accepted too)' },
  { row: 2, column: 'SIP User ID', value: '0101', message: 'is also in row 6 with the same profile; a SIP User ID can appear once per profile' },
  { row: 3, column: 'PIN', value: '***', message: 'must be 4 to 12 digits' },
  { row: 4, column: 'Name', value: 'MÜLLER', message: 'is also in row 2; every account needs its own name (compared in any letter case)' },
  { row: 5, column: 'Profile', value: 'Branch', message: UNKNOWN_PROFILE },
  { row: 6, column: 'SIP User ID', value: '0101', message: 'is also in row 2 with the same profile; a SIP User ID can appear once per profile' },
  { row: 7, column: 'Authenticate Password', value: '', message: 'is required for a new account; enter it, or match an existing account by Profile and SIP User ID' },
  { row: 7, column: 'Local SIP Port', value: '70000', message: 'must be at most 65535' },
];

async function appWithProfile(t: Parameters<typeof buildTestApp>[0]): Promise<{ app: TestApp; profile: any }> {
  const app = await buildTestApp(t);
  const profile = await createProfile(app, { name: 'Head office' });
  return { app, profile };
}

async function storedAccount(app: TestApp, sipUserId: string) {
  return app.database.db.selectFrom('accounts').selectAll().where('sipUserId', '=', sipUserId).executeTakeFirstOrThrow();
}

t.test('dry run of a German Excel CSV with mistakes', async (t) => {
  const { app } = await appWithProfile(t);
  const { status, json } = await uploadFile(app, fixture('admin-mistakes-de.csv'), 'mode=dry-run');

  t.equal(status, 200);
  t.same(json.errors, MISTAKES_REPORT_ERRORS);
  t.equal(json.mode, 'dry-run');
  t.equal(json.rows, 7);
  t.equal(json.created, 1);
  t.equal(json.updated, 0);
  t.equal(json.unchanged, 0);
  t.equal(json.skipped, 6);
  t.equal(json.moreErrors, 0);
  t.same(await listAccounts(app), [], 'a dry run writes nothing');
});

t.test('all-or-nothing rejects a file with mistakes', async (t) => {
  const { app } = await appWithProfile(t);
  const { status, json } = await uploadFile(app, fixture('admin-mistakes-de.csv'));

  t.equal(status, 422);
  t.equal(json.code, 'import_rejected');
  t.equal(json.message, 'The file has 10 problem(s), so no account was imported. Fix the rows listed in errors and upload the file again, or import only the valid rows with mode=valid-rows.');
  t.same(json.errors, MISTAKES_REPORT_ERRORS);
  t.equal(json.created, 0);
  t.equal(json.skipped, 7);
  t.same(await listAccounts(app), [], 'nothing is written');
});

t.test('valid-rows writes only the valid row', async (t) => {
  const { app } = await appWithProfile(t);
  const { status, json } = await uploadFile(app, fixture('admin-mistakes-de.csv'), 'mode=valid-rows');

  t.equal(status, 200);
  t.same(json.errors, MISTAKES_REPORT_ERRORS);
  t.equal(json.created, 1);
  t.equal(json.skipped, 6);

  const accounts = await listAccounts(app);
  t.same(accounts.map((account) => [account.name, account.sipUserId, account.authId, account.displayName, account.localSipPort, account.active]), [
    ['Öztürk', '00042', '00042', 'Ayse Öztürk', 5062, true],
  ]);
  const stored = await storedAccount(app, '00042');
  t.equal(stored.pin, '000123', 'leading zeros of the PIN survive');
  t.equal(stored.authPassword, 'S3cret!');
});

t.test('match by profile and SIP user ID', async (t) => {
  const { app, profile } = await appWithProfile(t);
  const existing = await createAccount(app, profile.id, { name: 'Reception', sipUserId: '0101', authPassword: 'kept-password', pin: '9999', label: 'old' });

  const file = csv(csvLine({ name: 'Reception desk', label: 'new', authPassword: '', pin: '' }));
  const { status, json } = await upload(app, file);

  t.equal(status, 200);
  t.same(json.errors, []);
  t.equal(json.created, 0);
  t.equal(json.updated, 1);
  const accounts = await listAccounts(app);
  t.equal(accounts.length, 1, 'the account is updated, not duplicated');
  t.equal(accounts[0].id, existing.id);
  t.equal(accounts[0].name, 'Reception desk');
  t.equal(accounts[0].label, 'new');
  t.equal(accounts[0].version, 2);

  const stored = await storedAccount(app, '0101');
  t.equal(stored.authPassword, 'kept-password', 'a blank password keeps the stored one');
  t.equal(stored.pin, '9999', 'a blank PIN keeps the stored one');

  const again = await upload(app, file);
  t.equal(again.json.unchanged, 1, 'the same file again changes nothing');
  t.equal(again.json.updated, 0);
});

t.test('secrets on update are replaced when given', async (t) => {
  const { app, profile } = await appWithProfile(t);
  await createAccount(app, profile.id, { name: 'Reception', sipUserId: '0101', authPassword: 'old-password', pin: '9999' });

  const { json } = await upload(app, csv(csvLine({ authPassword: 'new-password', pin: '1234' })));

  t.equal(json.updated, 1);
  const stored = await storedAccount(app, '0101');
  t.equal(stored.authPassword, 'new-password');
  t.equal(stored.pin, '1234');

  const created = await upload(app, csv(csvLine({ name: 'New', sipUserId: '0202' })));
  t.equal(created.json.created, 1);
  const raw = await sql<{ authPassword: string; pin: string }>`select auth_password as "authPassword", pin from accounts`.execute(app.database.db.withoutPlugins());
  t.equal(raw.rows.length, 2);
  for (const row of raw.rows) {
    t.ok(isEncrypted(row.authPassword), 'the password is stored encrypted');
    t.ok(isEncrypted(row.pin), 'the PIN is stored encrypted');
  }
});

t.test('password taken exactly, never trimmed', async (t) => {
  const { app, profile } = await appWithProfile(t);
  await createAccount(app, profile.id, { name: 'Reception', sipUserId: '0101', authPassword: 'old-password', pin: '9999' });
  const whitespaceMessage = 'must not start or end with whitespace or contain control characters; it is stored exactly as sent';

  const padded = await upload(app, csv(csvLine({ authPassword: ' pw ' })), 'mode=dry-run');
  t.same(padded.json.errors, [{ row: 2, column: 'Authenticate Password', value: '***', message: whitespaceMessage }], 'an update with " pw " is rejected');

  const paddedNew = await upload(app, csv(csvLine({ name: 'New', sipUserId: '0202', authPassword: 'pw ' })), 'mode=dry-run');
  t.same(paddedNew.json.errors, [{ row: 2, column: 'Authenticate Password', value: '***', message: whitespaceMessage }], 'a new account with "pw " is rejected');

  const inner = await upload(app, csv(csvLine({ authPassword: 'p w' })));
  t.equal(inner.json.updated, 1, 'inner spaces are part of the password');
  t.equal((await storedAccount(app, '0101')).authPassword, 'p w');

  const spacesOnly = await upload(app, csv(csvLine({ authPassword: '   ' })));
  t.same(spacesOnly.json.errors, [], 'a cell of only spaces is blank');
  t.equal((await storedAccount(app, '0101')).authPassword, 'p w', 'a blank cell keeps the stored password');
});

t.test('name already used by a stored account', async (t) => {
  const { app, profile } = await appWithProfile(t);
  const other = await createAccount(app, profile.id, { name: 'Reception', sipUserId: '0999' });

  const { status, json } = await upload(app, csv(csvLine({ name: 'RECEPTION', sipUserId: '0101' })));

  t.equal(status, 422);
  t.same(json.errors, [
    { row: 2, column: 'Name', value: 'RECEPTION', message: `is already used by account ${other.id} "Reception" (SIP User ID 0999); choose another name (names are compared in any letter case)` },
  ]);
});

t.test('same rules as the API', async (t) => {
  const { app } = await appWithProfile(t);
  const longName = 'x'.repeat(101);
  const file = csv(csvLine({ name: longName, label: '', authId: 'tab\there', pin: '12ab', profile: '' }));

  const { json } = await upload(app, file, 'mode=dry-run');

  t.same(json.errors, [
    { row: 2, column: 'Name', value: longName, message: 'must be at most 100 characters long' },
    { row: 2, column: 'Profile', value: '', message: 'must not be empty; choose one of the existing profiles' },
    { row: 2, column: 'Label', value: '', message: 'must not be empty' },
    { row: 2, column: 'Authenticate ID', value: 'tab\there', message: 'must not contain control characters such as tabs or line breaks' },
    { row: 2, column: 'PIN', value: '***', message: 'must be 4 to 12 digits' },
  ]);
});

t.test('columns in any order and case, secrets column absent', async (t) => {
  const { app, profile } = await appWithProfile(t);
  await createAccount(app, profile.id, { name: 'Reception', sipUserId: '0101' });
  const file = 'sip user id;LABEL;profile;name *;AUTHENTICATE ID\r\n0101;Front;Head office;Reception;auth-1\r\n0102;Back;Head office;Back office;auth-2\r\n';

  const { json } = await upload(app, file, 'mode=dry-run');

  t.same(json.errors, [
    { row: 3, column: 'Authenticate Password', value: '', message: 'is required for a new account; enter it, or match an existing account by Profile and SIP User ID' },
    { row: 3, column: 'PIN', value: '', message: 'is required for a new account; enter it, or match an existing account by Profile and SIP User ID' },
  ]);
  t.equal(json.updated, 1);
  t.equal(json.skipped, 1);
});

t.test('missing required column', async (t) => {
  const { app } = await appWithProfile(t);
  const { status, json } = await upload(app, 'Name,Profile,Label\r\nA,Head office,1\r\n');

  t.equal(status, 422);
  t.same(json.errors, [
    { row: 1, column: 'SIP User ID', value: '', message: 'is a required column but missing from the header row; add it as in the template' },
    { row: 1, column: 'Authenticate ID', value: '', message: 'is a required column but missing from the header row; add it as in the template' },
  ]);
  t.equal(json.skipped, 1);
});

t.test('invalid mode', async (t) => {
  const { app } = await appWithProfile(t);
  const { status, json } = await upload(app, csv(csvLine({})), 'mode=everything');

  t.equal(status, 400);
  t.equal(json.code, 'validation_failed');
  t.same(await listAccounts(app), []);
});
