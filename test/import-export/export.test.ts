import { readFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';

import t from 'tap';

import { createExportService } from '../../src/spreadsheet/export-service.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createAccount, createProfile } from '../helpers/fixtures.js';
import { createTestLogger } from '../helpers/logger.js';
import { readZipEntry } from '../fixtures/spreadsheets/helpers.js';
import { listAccounts, upload } from '../fixtures/spreadsheets/upload-helpers.js';

const HEADER_WITHOUT_SECRETS =
  'Name *,Profile *,Account Active,Label *,SIP User ID *,Authenticate ID *,Direct Call Pickup Code,Group Call Pickup Code,Feature Key Sync,Voice Mail User ID,Dial Plan,EventList BLF URL,Display Name,Local SIP Port,Use Random Port';

async function exportFile(app: TestApp, path: string) {
  const response = await app.app.inject({ method: 'GET', url: `/api/v1/accounts/${path}` });
  return { status: response.statusCode, body: response.rawPayload, text: response.body, headers: response.headers, json: () => response.json() };
}

/** Two profiles with tricky accounts: formulas, caller IDs with +, leading zeros, nulls. */
async function seed(app: TestApp) {
  const office = await createProfile(app, { name: 'Head office' });
  const branch = await createProfile(app, { name: 'Branch' });
  const formula = await createAccount(app, office.id, { name: '=1+1', label: '+4930123456', sipUserId: '0012', authId: '-5', displayName: '@SUM(A1)', pin: '0042', authPassword: '=cmd|x' });
  const plain = await createAccount(app, office.id, { name: 'Reception', sipUserId: '0101', directPickupCode: null, groupPickupCode: null, dialPlan: null, active: false, featureKeySync: true });
  const other = await createAccount(app, branch.id, { name: 'Branch desk', sipUserId: '0101', localSipPort: 5070, useRandomPort: true });
  return { office, branch, formula, plain, other };
}

t.test('export then import changes nothing', async (t) => {
  const app = await buildTestApp(t);
  await seed(app);
  const before = await listAccounts(app);

  for (const format of ['xlsx', 'csv'] as const) {
    const exported = await exportFile(app, `export.${format}`);
    t.equal(exported.status, 200, `${format} export`);

    const { status, json } = await upload(app, exported.body, '', `accounts.${format}`);
    t.equal(status, 200, `${format} import`);
    t.same(json.errors, [], `${format}: no problems`);
    t.equal(json.created, 0, `${format}: 0 created`);
    t.equal(json.updated, 0, `${format}: 0 updated`);
    t.equal(json.unchanged, 3, `${format}: 3 unchanged`);
  }
  t.same(await listAccounts(app), before, 'every account is as before, versions included');
});

t.test('export with secrets round-trips them', async (t) => {
  const app = await buildTestApp(t);
  const { formula } = await seed(app);

  const exported = await exportFile(app, 'export.xlsx?includeSecrets=true');
  await app.call('PATCH', `/api/v1/accounts/${formula.id}`, { authPassword: 'changed', pin: '1111' });
  const { json } = await upload(app, exported.body, '', 'accounts.xlsx');

  t.equal(json.updated, 1, 'the account whose secrets changed is updated back');
  t.equal(json.unchanged, 2);
  const stored = await app.database.db.selectFrom('accounts').select(['authPassword', 'pin']).where('id', '=', formula.id).executeTakeFirstOrThrow();
  t.equal(stored.authPassword, '=cmd|x');
  t.equal(stored.pin, '0042');
});

t.test('CSV export columns and formula guard', async (t) => {
  const app = await buildTestApp(t);
  await seed(app);

  const exported = await exportFile(app, 'export.csv');
  t.equal(exported.headers['content-type'], 'text/csv; charset=utf-8');
  t.equal(exported.headers['content-disposition'], 'attachment; filename="accounts.csv"');

  const lines = exported.text.replace(/^\ufeff/, '').split('\r\n');
  t.equal(lines[0], HEADER_WITHOUT_SECRETS, 'passwords and PINs are left out');
  t.equal(lines[1], "'=1+1,Head office,yes,'+4930123456,0012,'-5,**,*8,no,*97,{[x*]+},sip:blf-201@pbx.example.net,'@SUM(A1),5062,no");
  t.equal(lines[2], 'Reception,Head office,no,201,0101,' + lines[2]!.split(',')[5] + ',,,yes,*97,,sip:blf-201@pbx.example.net,Alice Example,5062,no');
  t.equal(lines.length, 5, 'three rows and the final line break');
});

t.test('CSV export with secrets is logged', async (t) => {
  const app = await buildTestApp(t);
  await seed(app);

  const exported = await exportFile(app, 'export.csv?includeSecrets=true');
  const header = exported.text.replace(/^\ufeff/, '').split('\r\n')[0];
  t.match(header, /,Authenticate Password \*,/);
  t.match(header, /,PIN \*,/);
  t.match(exported.text, /,'=cmd\|x,/, 'a password that looks like a formula is guarded');

  await new Promise((resolve) => setTimeout(resolve, 200));
  const log = (await readFile(app.logFile, 'utf8')).split('\n').filter((line) => line.includes('account export with passwords and PINs requested'));
  t.equal(log.length, 1);
  const entry = JSON.parse(log[0]!);
  t.equal(entry.format, 'csv');
  t.equal(entry.address, '127.0.0.1');
  t.type(entry.requestId, 'string');
  t.notMatch(log[0]!, /cmd\|x|0042/, 'the log line carries no secret');
});

t.test('xlsx export writes text cells, never formulas', async (t) => {
  const app = await buildTestApp(t);
  await seed(app);

  const exported = await exportFile(app, 'export.xlsx');
  t.equal(exported.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const sheet = readZipEntry(exported.body, 'xl/worksheets/sheet1.xml');
  t.notMatch(sheet, /<f>/, 'no formula element');
  t.match(sheet, /<c r="A2" t="str"><v>=1\+1<\/v><\/c>/);
  t.match(sheet, /<c r="D2" t="str"><v>\+4930123456<\/v><\/c>/);
  t.match(sheet, /<pane ySplit="1"/, 'the header row is frozen');
});

t.test('export of selected ids and of a filter', async (t) => {
  const app = await buildTestApp(t);
  const { plain, other, branch } = await seed(app);

  const byIds = await exportFile(app, `export.csv?ids=${other.id},${plain.id}`);
  t.same(byIds.text.split('\r\n').slice(1, -1).map((line) => line.split(',')[0]), ['Reception', 'Branch desk']);

  const byProfile = await exportFile(app, `export.csv?profileId=${branch.id}`);
  t.same(byProfile.text.split('\r\n').slice(1, -1).map((line) => line.split(',')[0]), ['Branch desk']);

  const byName = await exportFile(app, 'export.csv?name=RECEP');
  t.same(byName.text.split('\r\n').slice(1, -1).map((line) => line.split(',')[0]), ['Reception']);

  const missing = await exportFile(app, `export.csv?ids=${plain.id},999999`);
  t.equal(missing.status, 404);
  t.equal(missing.json().code, 'account_not_found');
  t.same(missing.json().details, { missingIds: [999999] });

  const invalid = await exportFile(app, 'export.xlsx?ids=1;2');
  t.equal(invalid.status, 400);
  t.same(invalid.json().details.fields, [{ field: 'querystring.ids', value: '1;2', message: 'must be account ids separated by commas, e.g. 12,15,31' }]);
});

t.test('export in the account list order', async (t) => {
  const app = await buildTestApp(t);
  const { plain, other } = await seed(app);
  const firstColumn = (text: string) => text.split('\r\n').slice(1, -1).map((line) => line.split(',')[0]);
  const secondColumn = (text: string) => text.split('\r\n').slice(1, -1).map((line) => line.split(',')[1]);

  const fromUi = await exportFile(app, 'export.xlsx?sort=name&order=asc');
  t.equal(fromUi.status, 200, 'the query the web UI sends is accepted');

  const byNameDesc = await exportFile(app, 'export.csv?sort=name&order=desc');
  t.equal(byNameDesc.status, 200);
  t.same(firstColumn(byNameDesc.text), ['Reception', 'Branch desk', "'=1+1"], 'sort=name&order=desc');

  const byProfile = await exportFile(app, 'export.csv?sort=profileName&order=desc');
  t.same(secondColumn(byProfile.text), ['Head office', 'Head office', 'Branch'], 'sort=profileName&order=desc');
  t.same(firstColumn(byProfile.text), ["'=1+1", 'Reception', 'Branch desk'], 'ties in id order, as in the list');

  const orderOnly = await exportFile(app, 'export.csv?order=desc');
  t.same(firstColumn(orderOnly.text), ['Reception', 'Branch desk', "'=1+1"], 'order alone sorts by name, as in the list');

  const byIds = await exportFile(app, `export.csv?ids=${plain.id},${other.id}&sort=name`);
  t.same(firstColumn(byIds.text), ['Branch desk', 'Reception'], 'selected ids in the requested order');

  const listed = await app.call('GET', '/api/v1/accounts?sort=label&order=desc');
  const exported = await exportFile(app, 'export.csv?sort=label&order=desc');
  t.same(
    exported.text.split('\r\n').slice(1, -1).map((line) => line.split(',')[3]?.replace(/^'/, '')),
    listed.json.items.map((account: { label: string }) => account.label),
    'the same order as GET /accounts with the same query',
  );

  const invalid = await exportFile(app, 'export.csv?sort=authPassword');
  t.equal(invalid.status, 400, 'a column the list does not sort by is rejected');
  t.equal(invalid.json().details.fields[0].field, 'querystring.sort');
});

t.test('sorted export across pages', async (t) => {
  const app = await buildTestApp(t);
  const profile = await createProfile(app);
  for (const name of ['delta', 'Alpha', 'echo', 'Charlie', 'bravo']) {
    await createAccount(app, profile.id, { name, sipUserId: name });
  }
  const exports = createExportService({ db: app.database.db, logger: createTestLogger('sorted-export').logger, pageSize: 2 });
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));

  const count = await exports.writeExport(output, { format: 'csv', includeSecrets: false, filter: {}, sort: { column: 'name', order: 'asc' } });
  t.equal(count, 5);
  const names = Buffer.concat(chunks).toString().split('\r\n').slice(1, -1).map((line) => line.split(',')[0]);
  t.same(names, ['Alpha', 'bravo', 'Charlie', 'delta', 'echo']);
});
