import ExcelJS from 'exceljs';
import t from 'tap';

import { buildTestApp } from '../helpers/app.js';
import { createProfile } from '../helpers/fixtures.js';
import { FULL_HEADER, listAccounts, upload } from '../fixtures/spreadsheets/upload-helpers.js';

const HEADERS = FULL_HEADER.split(',');

/** Builds an .xlsx upload whose cells are exceljs values, placed under the template's headers. */
async function workbookWith(rows: Record<string, ExcelJS.CellValue>[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Accounts');
  sheet.addRow(HEADERS);
  for (const row of rows) {
    sheet.addRow(HEADERS.map((header) => row[header.replace(' *', '')] ?? null));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const typedCells: Record<string, ExcelJS.CellValue> = {
  Name: { formula: 'CONCATENATE("Front"," desk")', result: 'Front desk' },
  Profile: '\u00a0Head office\u00a0',
  'Account Active': false,
  Label: { richText: [{ text: 'Sales ' }, { font: { bold: true }, text: 'floor' }] },
  'SIP User ID': 493012345678901,
  'Authenticate ID': '\u00a0auth-0101 ',
  'Authenticate Password': 'Secr3t-101',
  'Feature Key Sync': true,
  'EventList BLF URL': { text: 'http://pbx.example.net/blf/101', hyperlink: 'http://pbx.example.net/blf/101' },
  PIN: '004711',
  'Display Name': 'Sales_x005F_x000D_desk',
  'Local SIP Port': 5070,
  'Use Random Port': 'TRUE',
};

t.test('xlsx cells read as displayed', async (t) => {
  const app = await buildTestApp(t);
  await createProfile(app, { name: 'Head office' });

  const file = await workbookWith([typedCells]);
  const { status, json } = await upload(app, file, '', 'typed.xlsx');
  t.equal(status, 200);
  t.same(json.errors, []);
  t.equal(json.created, 1);

  const [account] = await listAccounts(app);
  t.equal(account.name, 'Front desk', 'formula gives its result');
  t.equal(account.active, false, 'boolean FALSE in a yes/no column');
  t.equal(account.label, 'Sales floor', 'rich text gives its text');
  t.equal(account.sipUserId, '493012345678901', '15-digit number stays plain digits');
  t.equal(account.authId, 'auth-0101', 'no-break spaces are trimmed');
  t.equal(account.featureKeySync, true, 'boolean TRUE in a yes/no column');
  t.equal(account.eventListBlfUrl, 'http://pbx.example.net/blf/101', 'hyperlink gives its text');
  t.equal(account.displayName, 'Sales_x000D_desk', 'an escaped escape is the literal text');
  t.equal(account.localSipPort, 5070);
  t.equal(account.useRandomPort, true, 'TRUE typed as text');

  const stored = await app.database.db.selectFrom('accounts').select(['pin', 'authPassword']).executeTakeFirstOrThrow();
  t.equal(stored.pin, '004711', 'PIN keeps its leading zeros');
  t.equal(stored.authPassword, 'Secr3t-101');
});

t.test('xlsx escape decoded to a carriage return', async (t) => {
  const app = await buildTestApp(t);
  await createProfile(app, { name: 'Head office' });

  const file = await workbookWith([{ ...typedCells, 'Display Name': 'Sales_x000D_' }]);
  const { status, json } = await upload(app, file, 'mode=dry-run', 'escape.xlsx');
  t.equal(status, 200);
  t.equal(json.errors.length, 1);
  t.equal(json.errors[0].row, 2);
  t.equal(json.errors[0].column, 'Display Name');
  t.equal(json.errors[0].value, 'Sales\r', '_x000D_ is read as the CR it stands for');
  t.match(json.errors[0].message, /control characters/);
});
