import t from 'tap';

import { buildTestApp } from '../helpers/app.js';
import { createAccount, createProfile } from '../helpers/fixtures.js';
import { readZipEntry } from '../fixtures/spreadsheets/helpers.js';

t.test('spreadsheet paths are not taken by /accounts/:id', async (t) => {
  const app = await buildTestApp(t);
  const profile = await createProfile(app, { name: 'Head office' });
  const account = await createAccount(app, profile.id);

  for (const path of ['template.xlsx', 'export.xlsx', 'export.csv']) {
    const response = await app.app.inject({ method: 'GET', url: `/api/v1/accounts/${path}` });
    t.equal(response.statusCode, 200, `GET /accounts/${path}`);
  }
  const single = await app.call('GET', `/api/v1/accounts/${account.id}`);
  t.equal(single.status, 200, '/accounts/:id still answers');
  t.equal(single.json.id, account.id);
});

t.test('template download', async (t) => {
  const app = await buildTestApp(t);
  await createProfile(app, { name: 'Head office' });
  await createProfile(app, { name: 'Branch' });

  const response = await app.app.inject({ method: 'GET', url: '/api/v1/accounts/template.xlsx' });
  t.equal(response.statusCode, 200);
  t.equal(response.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  t.equal(response.headers['content-disposition'], 'attachment; filename="accounts-template.xlsx"');

  const workbook = readZipEntry(response.rawPayload, 'xl/workbook.xml');
  t.match(workbook, /<sheet sheetId="1" name="Accounts" state="visible"/);
  t.match(workbook, /<sheet sheetId="2" name="Help" state="visible"/);
  t.match(workbook, /<sheet sheetId="3" name="Lists" state="veryHidden"/);
  const strings = readZipEntry(response.rawPayload, 'xl/sharedStrings.xml');
  t.match(strings, /<t>Branch, Head office<\/t>/, 'the Help sheet lists the profiles in name order');
  const accounts = readZipEntry(response.rawPayload, 'xl/worksheets/sheet1.xml');
  t.match(accounts, /<dataValidation type="list" allowBlank="1" showErrorMessage="1" errorTitle="Profile" error="[^"]*" sqref="B2:B1048576">\s*<formula1>Lists!\$A\$1:\$A\$2<\/formula1>/);
});
