import { join } from 'node:path';

import ExcelJS from 'exceljs';
import t from 'tap';

import { readAccountSheet } from '../../src/spreadsheet/index.js';
import { makeTempDir, writeWorkbook } from '../fixtures/spreadsheets/helpers.js';

const LIMITS = { maxRows: 1000, maxBytes: 10_000_000 };

t.test('xlsx cell types read as displayed text', async (t) => {
  const dir = await makeTempDir(t);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Accounts');
  sheet.addRow(['Name', 'Profile', 'Label', 'SIP User ID', 'Authenticate ID', 'PIN', 'Display Name', 'Account Active', 'EventList BLF URL', 'Dial Plan', 'Local SIP Port', 'Feature Key Sync']);
  sheet.addRow([
    { richText: [{ text: 'Mül', font: { bold: true } }, { text: 'ler' }] },
    { formula: 'UPPER("lab")', result: 'LAB' },
    { formula: '100+1', result: 101 },
    123456789012,
    '000123',
    '0042',
    'line 1_x000D_\nline 2',
    true,
    { text: 'sip:blf-101@pbx.example.com', hyperlink: 'sip:blf-101@pbx.example.com' },
    new Date(Date.UTC(2024, 0, 2)),
    5060,
    false,
  ]);
  sheet.getCell('D2').numFmt = '0.00E+00';
  const path = await writeWorkbook(workbook, join(dir, 'types.xlsx'));

  const result = await readAccountSheet({ path }, LIMITS);

  t.same(result.rows, [
    {
      rowNumber: 2,
      values: {
        name: 'Müller',
        profile: 'LAB',
        label: '101',
        sipUserId: '123456789012',
        authId: '000123',
        pin: '0042',
        displayName: 'line 1\r\nline 2',
        active: 'yes',
        eventListBlfUrl: 'sip:blf-101@pbx.example.com',
        dialPlan: '2024-01-02',
        localSipPort: '5060',
        featureKeySync: 'no',
      },
    },
  ]);
});

t.test('xlsx spaces, blank rows and booleans', async (t) => {
  const dir = await makeTempDir(t);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.getCell('B3').value = 'Name';
  sheet.getCell('C3').value = 'Label';
  sheet.getCell('D3').value = 'Use Random Port';
  sheet.getCell('B5').value = '\u00a0 Alice \u00a0';
  sheet.getCell('C5').value = true;
  sheet.getCell('D5').value = 'On';
  sheet.getCell('B6').value = '   ';
  sheet.getCell('B7').value = 'Bob';
  sheet.getCell('D7').value = 'maybe';
  const path = await writeWorkbook(workbook, join(dir, 'spaces.xlsx'));

  const result = await readAccountSheet({ path }, LIMITS);

  t.same(
    result.columns.map((column) => [column.key, column.columnIndex]),
    [
      ['name', 2],
      ['label', 3],
      ['useRandomPort', 4],
    ],
  );
  t.same(result.rows, [
    { rowNumber: 5, values: { name: 'Alice', label: 'TRUE', useRandomPort: 'yes' } },
    { rowNumber: 7, values: { name: 'Bob', label: '', useRandomPort: 'maybe' } },
  ]);
});

t.test('xlsx reads the Accounts sheet first', async (t) => {
  const dir = await makeTempDir(t);
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Notes').addRow(['Name']).commit();
  workbook.getWorksheet('Notes')!.addRow(['from notes']);
  const accounts = workbook.addWorksheet('ACCOUNTS');
  accounts.addRow(['Name']);
  accounts.addRow(['from accounts']);
  const path = await writeWorkbook(workbook, join(dir, 'two-sheets.xlsx'));

  const result = await readAccountSheet({ path }, LIMITS);

  t.same(result.rows, [{ rowNumber: 2, values: { name: 'from accounts' } }]);
});

t.test('xlsx falls back to the first sheet', async (t) => {
  const dir = await makeTempDir(t);
  const workbook = new ExcelJS.Workbook();
  const first = workbook.addWorksheet('Konten');
  first.addRow(['Name']);
  first.addRow(['first sheet']);
  const second = workbook.addWorksheet('Other');
  second.addRow(['Name']);
  second.addRow(['second sheet']);
  const path = await writeWorkbook(workbook, join(dir, 'fallback.xlsx'));

  const result = await readAccountSheet({ path }, LIMITS);

  t.same(result.rows, [{ rowNumber: 2, values: { name: 'first sheet' } }]);
});

t.test('xlsx header order, case and unknown columns', async (t) => {
  const dir = await makeTempDir(t);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Accounts');
  sheet.addRow(['pin*', 'Comment', ' label ', 'NAME *', '', 'sip user id']);
  sheet.addRow(['0001', 'x', 'L1', 'N1', 'ignored', '0201']);
  const path = await writeWorkbook(workbook, join(dir, 'order.xlsx'));

  const result = await readAccountSheet({ path }, LIMITS);

  t.same(result.columns, [
    { key: 'pin', header: 'pin*', columnIndex: 1 },
    { key: 'label', header: 'label', columnIndex: 3 },
    { key: 'name', header: 'NAME *', columnIndex: 4 },
    { key: 'sipUserId', header: 'sip user id', columnIndex: 6 },
  ]);
  t.same(result.unknownColumns, ['Comment']);
  t.same(result.missingRequired, ['Profile', 'Authenticate ID']);
  t.same(result.rows, [{ rowNumber: 2, values: { pin: '0001', label: 'L1', name: 'N1', sipUserId: '0201' } }]);
});
