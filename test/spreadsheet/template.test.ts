import { join } from 'node:path';

import ExcelJS from 'exceljs';
import t from 'tap';

import { readAccountSheet, writeAccountTemplate } from '../../src/spreadsheet/index.js';
import { makeTempDir, readZipEntry, writeWorkbook } from '../fixtures/spreadsheets/helpers.js';

const PROFILES = ['Head office', 'Branch 0042', 'Lab'];
const LIMITS = { maxRows: 1000, maxBytes: 10_000_000 };

async function loadWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return workbook;
}

function validationRanges(bytes: Buffer): Record<string, string> {
  const xml = readZipEntry(bytes, 'xl/worksheets/sheet1.xml');
  const ranges: Record<string, string> = {};
  for (const match of xml.matchAll(/<dataValidation ([^>]*)>(.*?)<\/dataValidation>/g)) {
    const range = /sqref="([^"]+)"/.exec(match[1]!)?.[1] ?? '';
    ranges[range] = match[2]!;
  }
  return ranges;
}

// exceljs 4.4.0's full loader expands each whole-column validation into a million cell entries,
// which takes several seconds, so the template is loaded once for all checks.
const templateBytes = await writeAccountTemplate(PROFILES);
const template = await loadWorkbook(templateBytes);

t.test('template sheets and header row', async (t) => {
  const workbook = template;
  const sheet = workbook.getWorksheet('Accounts');

  t.same(
    workbook.worksheets.map((worksheet) => [worksheet.name, worksheet.state]),
    [
      ['Accounts', 'visible'],
      ['Help', 'visible'],
      ['Lists', 'veryHidden'],
    ],
  );
  t.ok(sheet);
  t.same((sheet!.getRow(1).values as unknown[]).slice(1), [
    'Name *',
    'Profile *',
    'Account Active',
    'Label *',
    'SIP User ID *',
    'Authenticate ID *',
    'Authenticate Password *',
    'Direct Call Pickup Code',
    'Group Call Pickup Code',
    'Feature Key Sync',
    'Voice Mail User ID',
    'Dial Plan',
    'EventList BLF URL',
    'PIN *',
    'Display Name',
    'Local SIP Port',
    'Use Random Port',
  ]);
  t.equal(sheet!.views[0]?.state, 'frozen');
  t.equal((sheet!.views[0] as { ySplit?: number }).ySplit, 1);
});

t.test('template text format on ID columns', async (t) => {
  const sheet = template.getWorksheet('Accounts')!;

  for (const letter of ['A', 'B', 'D', 'E', 'F', 'G', 'H', 'I', 'K', 'L', 'M', 'N', 'O']) {
    t.equal(sheet.getColumn(letter).numFmt, '@', `column ${letter}`);
  }
  for (const letter of ['C', 'J', 'P', 'Q']) {
    t.not(sheet.getColumn(letter).numFmt, '@', `column ${letter}`);
  }
});

t.test('template drop-downs', async (t) => {
  const sheet = template.getWorksheet('Accounts')!;
  const lists = template.getWorksheet('Lists')!;

  t.same(sheet.getCell('B77').dataValidation.formulae, ['Lists!$A$1:$A$3']);
  t.equal(sheet.getCell('B77').dataValidation.type, 'list');
  for (const address of ['C2', 'J500', 'Q1048576']) {
    t.same(sheet.getCell(address).dataValidation.formulae, ['"yes,no"'], address);
  }
  t.equal(sheet.getCell('P9').dataValidation.type, 'whole');
  t.same(sheet.getCell('P9').dataValidation.formulae, [1, 65535]);
  t.equal(sheet.getCell('A2').dataValidation, undefined);
  t.same([1, 2, 3].map((row) => lists.getCell(row, 1).value), PROFILES);
});

t.test('template validations are whole-column ranges', async (t) => {
  const ranges = validationRanges(templateBytes);

  t.same(Object.keys(ranges).sort(), ['B2:B1048576', 'C2:C1048576', 'J2:J1048576', 'P2:P1048576', 'Q2:Q1048576']);
  t.equal(ranges['B2:B1048576'], '<formula1>Lists!$A$1:$A$3</formula1>');
  t.equal(ranges['C2:C1048576'], '<formula1>&quot;yes,no&quot;</formula1>');
});

t.test('template without profiles', async (t) => {
  const bytes = await writeAccountTemplate([]);
  const sharedStrings = readZipEntry(bytes, 'xl/sharedStrings.xml');

  t.same(Object.keys(validationRanges(bytes)).sort(), ['C2:C1048576', 'J2:J1048576', 'P2:P1048576', 'Q2:Q1048576']);
  t.match(sharedStrings, /No profile exists yet/);
});

t.test('help sheet describes every column', async (t) => {
  const help = template.getWorksheet('Help')!;

  t.same((help.getRow(1).values as unknown[]).slice(1), [
    'Column',
    'Required',
    'Format',
    'Allowed values',
    'Example',
    'Description',
  ]);
  t.same((help.getRow(2).values as unknown[]).slice(1, 3), ['Name', 'yes']);
  t.same((help.getRow(3).values as unknown[]).slice(1, 5), [
    'Profile',
    'yes',
    'Profile name, chosen from the drop-down list',
    'Head office, Branch 0042, Lab',
  ]);
  t.same((help.getRow(4).values as unknown[]).slice(1, 3), ['Account Active', 'no']);
  t.equal(help.getCell('D17').value, '1-65535');
  t.equal(help.getCell('A18').value, 'Use Random Port');
  t.equal(help.getCell('E15').value, '004711');
});

t.test('template filled with exceljs reads back', async (t) => {
  const dir = await makeTempDir(t);
  const workbook = template;
  const sheet = workbook.getWorksheet('Accounts')!;
  // Writing the expanded validations back would take exceljs minutes; the read does not need them.
  (sheet as unknown as { dataValidations: { model: object } }).dataValidations.model = {};

  sheet.getRow(2).values = [
    'Reception',
    'Branch 0042',
    'yes',
    '101',
    '0101',
    '0101',
    'pw-1',
    '*97',
    '',
    'no',
    '000101',
    '{x+}',
    'sip:blf@pbx',
    '0042',
    'Empfang Müller',
    5062,
    'no',
  ];
  sheet.getRow(4).values = ['Lab', 'Lab', true, '102', '0102', '0102', '', '', '', false, '', '', '', '0000', '', null, 'yes'];
  const path = await writeWorkbook(workbook, join(dir, 'filled.xlsx'));

  const result = await readAccountSheet({ path }, LIMITS);

  t.same(result.unknownColumns, []);
  t.same(result.missingRequired, []);
  t.equal(result.columns.length, 17);
  t.same(result.columns[4], { key: 'sipUserId', header: 'SIP User ID *', columnIndex: 5 });
  t.equal(result.rows.length, 2);
  t.same(result.rows[0], {
    rowNumber: 2,
    values: {
      name: 'Reception',
      profile: 'Branch 0042',
      active: 'yes',
      label: '101',
      sipUserId: '0101',
      authId: '0101',
      authPassword: 'pw-1',
      directPickupCode: '*97',
      groupPickupCode: '',
      featureKeySync: 'no',
      voicemailUserId: '000101',
      dialPlan: '{x+}',
      eventListBlfUrl: 'sip:blf@pbx',
      pin: '0042',
      displayName: 'Empfang Müller',
      localSipPort: '5062',
      useRandomPort: 'no',
    },
  });
  t.equal(result.rows[1]?.rowNumber, 4);
  t.equal(result.rows[1]?.values.active, 'yes');
  t.equal(result.rows[1]?.values.featureKeySync, 'no');
  t.equal(result.rows[1]?.values.pin, '0000');
  t.equal(result.rows[1]?.values.localSipPort, '');
});
