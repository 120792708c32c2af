import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import t from 'tap';

import {
  ACCOUNT_COLUMNS,
  createAccountExportWriter,
  readAccountSheet,
  type ColumnKey,
  type ExportFormat,
  type ExportRow,
} from '../../src/spreadsheet/index.js';
import { makeTempDir, readZipEntry } from '../fixtures/spreadsheets/helpers.js';

const LIMITS = { maxRows: 100_000, maxBytes: 100_000_000 };

const TRICKY_ROWS: ExportRow[] = [
  {
    name: '=1+1',
    profile: 'Head office',
    active: true,
    label: '+4930123456',
    sipUserId: '0012',
    authId: '12345678901234567890',
    authPassword: '@SUM(A1:A9)',
    directPickupCode: '*97',
    groupPickupCode: '-5',
    featureKeySync: false,
    voicemailUserId: '000000',
    dialPlan: "'=already quoted",
    eventListBlfUrl: 'sip:blf-101@pbx.example.com',
    pin: '0042',
    displayName: 'Müller Zoë 北京 😀',
    localSipPort: 5060,
    useRandomPort: 'no',
  },
  {
    name: 'Comma, "quoted" and\r\nlines',
    profile: 'Zweigstelle Süd',
    active: 'yes',
    label: '\t=tab',
    sipUserId: '\r=cr',
    authId: "it's",
    authPassword: 'p;w,"x"',
    directPickupCode: null,
    groupPickupCode: '',
    featureKeySync: null,
    voicemailUserId: '_x000D_ literal',
    dialPlan: '{[*x]+}',
    eventListBlfUrl: '@',
    pin: '0000',
    displayName: 'ends with space ',
    localSipPort: '5062',
    useRandomPort: true,
  },
];

const EXPECTED_VALUES: Record<ColumnKey, string>[] = [
  {
    name: '=1+1',
    profile: 'Head office',
    active: 'yes',
    label: '+4930123456',
    sipUserId: '0012',
    authId: '12345678901234567890',
    authPassword: '@SUM(A1:A9)',
    directPickupCode: '*97',
    groupPickupCode: '-5',
    featureKeySync: 'no',
    voicemailUserId: '000000',
    dialPlan: "'=already quoted",
    eventListBlfUrl: 'sip:blf-101@pbx.example.com',
    pin: '0042',
    displayName: 'Müller Zoë 北京 😀',
    localSipPort: '5060',
    useRandomPort: 'no',
  },
  {
    name: 'Comma, "quoted" and\r\nlines',
    profile: 'Zweigstelle Süd',
    active: 'yes',
    label: '\t=tab',
    sipUserId: '\r=cr',
    authId: "it's",
    authPassword: 'p;w,"x"',
    directPickupCode: '',
    groupPickupCode: '',
    featureKeySync: '',
    voicemailUserId: '_x000D_ literal',
    dialPlan: '{[*x]+}',
    eventListBlfUrl: '@',
    pin: '0000',
    // Import trims surrounding spaces.
    displayName: 'ends with space',
    localSipPort: '5062',
    useRandomPort: 'yes',
  },
];

async function exportRows(
  path: string,
  format: ExportFormat,
  rows: readonly ExportRow[],
  includeSecrets = true,
): Promise<void> {
  const writer = createAccountExportWriter(createWriteStream(path), format, { includeSecrets });
  for (const row of rows) {
    await writer.addRow(row);
  }
  await writer.finish();
}

for (const format of ['xlsx', 'csv'] as const) {
  t.test(`${format} export round trip`, async (t) => {
    const dir = await makeTempDir(t);
    const path = join(dir, `export.${format}`);
    await exportRows(path, format, TRICKY_ROWS);

    const result = await readAccountSheet({ path }, LIMITS);

    t.same(
      result.columns.map((column) => column.key),
      ACCOUNT_COLUMNS.map((column) => column.key),
    );
    t.same(result.unknownColumns, []);
    t.same(result.missingRequired, []);
    t.equal(result.rows.length, 2);
    t.same(result.rows[0], { rowNumber: 2, values: EXPECTED_VALUES[0] });
    t.same(result.rows[1], { rowNumber: 3, values: EXPECTED_VALUES[1] });
  });

  t.test(`${format} export without secrets`, async (t) => {
    const dir = await makeTempDir(t);
    const path = join(dir, `no-secrets.${format}`);
    await exportRows(path, format, TRICKY_ROWS, false);

    const result = await readAccountSheet({ path }, LIMITS);

    t.equal(result.columns.length, 15);
    t.notOk(result.columns.some((column) => column.key === 'authPassword' || column.key === 'pin'));
    t.same(result.missingRequired, []);
    t.notOk('authPassword' in result.rows[0]!.values);
    t.notOk('pin' in result.rows[0]!.values);
    t.equal(result.rows[0]?.values.label, '+4930123456');
  });

  t.test(`${format} export of 20,000 rows`, async (t) => {
    const dir = await makeTempDir(t);
    const path = join(dir, `many.${format}`);
    const rows = Array.from({ length: 20_000 }, (_unused, index) => ({
      name: `Account ${index}`,
      profile: 'Head office',
      label: String(index),
      sipUserId: String(index).padStart(6, '0'),
      authId: `+49${index}`,
      authPassword: `pw${index}`,
      pin: String(index % 10000).padStart(4, '0'),
    }));
    await exportRows(path, format, rows);

    const result = await readAccountSheet({ path }, LIMITS);

    t.equal(result.rows.length, 20_000);
    t.same(result.rows[19_999]?.values.sipUserId, '019999');
    t.same(result.rows[19_999]?.values.authId, '+4919999');
    t.same(result.rows[19_999]?.rowNumber, 20_001);
    t.same(result.rows[42]?.values.pin, '0042');
  });
}

t.test('csv export bytes', async (t) => {
  const dir = await makeTempDir(t);
  const path = join(dir, 'bytes.csv');
  await exportRows(path, 'csv', TRICKY_ROWS, false);

  const bytes = await readFile(path);
  const text = bytes.toString('utf8');
  const lines = text.slice(1).split('\r\n');

  t.same([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  t.equal(
    lines[0],
    'Name *,Profile *,Account Active,Label *,SIP User ID *,Authenticate ID *,Direct Call Pickup Code,' +
      'Group Call Pickup Code,Feature Key Sync,Voice Mail User ID,Dial Plan,EventList BLF URL,' +
      'Display Name,Local SIP Port,Use Random Port',
  );
  t.equal(
    lines[1],
    "'=1+1,Head office,yes,'+4930123456,0012,12345678901234567890,*97,'-5,no,000000," +
      "''=already quoted,sip:blf-101@pbx.example.com,Müller Zoë 北京 😀,5060,no",
  );
  t.ok(text.startsWith('\ufeffName *,'));
  t.ok(text.includes('"Comma, ""quoted"" and\r\nlines",Zweigstelle Süd,yes,\'\t=tab,"\'\r=cr",it\'s,'));
  t.ok(text.endsWith('\r\n'));
  t.notOk(/[^\r]\n/.test(text.replace('and\r\nlines', '')), 'every line ends in CRLF');
});

t.test('xlsx export has no formulas', async (t) => {
  const dir = await makeTempDir(t);
  const path = join(dir, 'formulas.xlsx');
  await exportRows(path, 'xlsx', TRICKY_ROWS);

  const xml = readZipEntry(await readFile(path), 'xl/worksheets/sheet1.xml');
  // Blank cells are self-closing tags; every cell with a value must be a text cell.
  const cellTags = [...xml.matchAll(/<c [^>]*[^/]>/g)].map((match) => match[0]);
  const cellTypes = new Set(cellTags.map((tag) => /\bt="(\w+)"/.exec(tag)?.[1]));

  t.notOk(xml.includes('<f>'), 'no <f> element');
  t.notOk(xml.includes('<f '), 'no <f> element with attributes');
  t.same([...cellTypes], ['str']);
  t.ok(xml.includes('<v>=1+1</v>'));
  t.ok(xml.includes('_x000D_=cr'));
  t.ok(xml.includes('_x005F_x000D_ literal'));
  t.match(xml, /<pane [^>]*ySplit="1"[^>]*state="frozen"/);
});
