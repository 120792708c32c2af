import { join } from 'node:path';

import t from 'tap';

import { readAccountSheet } from '../../src/spreadsheet/index.js';
import { fixture, makeTempDir, writeBytes } from '../fixtures/spreadsheets/helpers.js';

const LIMITS = { maxRows: 1000, maxBytes: 10_000_000 };

t.test('CSV from Excel in a German locale', async (t) => {
  const result = await readAccountSheet({ path: fixture('excel-de-semicolon-cp1252.csv') }, LIMITS);

  t.same(
    result.columns.map((column) => column.key),
    ['name', 'profile', 'active', 'label', 'sipUserId', 'authId', 'authPassword', 'pin', 'displayName', 'localSipPort'],
  );
  t.same(result.unknownColumns, []);
  t.same(result.missingRequired, []);
  t.same(result.rows, [
    {
      rowNumber: 2,
      values: {
        name: 'Müller',
        profile: 'Head office',
        active: 'ja',
        label: '101',
        sipUserId: '0101',
        authId: '0101',
        authPassword: 'Pässwort',
        pin: '0042',
        displayName: 'Jürgen Müller',
        localSipPort: '5060',
      },
    },
    {
      rowNumber: 3,
      values: {
        name: 'Façade',
        profile: 'Head office',
        active: 'no',
        label: '102',
        sipUserId: '0102',
        authId: '0102',
        authPassword: 'x',
        pin: '1234',
        displayName: 'Straße; Süd',
        localSipPort: '',
      },
    },
    {
      rowNumber: 6,
      values: {
        name: 'Zoë',
        profile: 'Branch',
        active: 'yes',
        label: '103',
        sipUserId: '0103',
        authId: '0103',
        authPassword: '€uro',
        pin: '0000',
        displayName: 'Zoë "Z"',
        localSipPort: '5062',
      },
    },
  ]);
});

t.test('CSV UTF-8 with BOM from Excel', async (t) => {
  const result = await readAccountSheet({ path: fixture('excel-utf8-bom.csv') }, LIMITS);

  t.equal(result.columns[0]?.header, 'Name *');
  t.same(result.missingRequired, []);
  t.same(result.rows, [
    {
      rowNumber: 2,
      values: {
        name: '北京 Office',
        profile: 'Head office',
        label: '201',
        sipUserId: '000201',
        authId: '000201',
        authPassword: 'p@ss',
        pin: '0201',
        displayName: '北京 😀',
        featureKeySync: 'yes',
      },
    },
    {
      rowNumber: 3,
      values: {
        name: 'Café',
        profile: 'Head office',
        label: '202',
        sipUserId: '12345678901234567890',
        authId: 'a-202',
        authPassword: 'comma, pass',
        pin: '0202',
        displayName: 'two\r\nlines',
        featureKeySync: 'no',
      },
    },
  ]);
});

t.test('CSV header in another order', async (t) => {
  const result = await readAccountSheet({ path: fixture('reordered-header.csv') }, LIMITS);

  t.same(
    result.columns.map((column) => [column.key, column.header, column.columnIndex]),
    [
      ['pin', 'pin', 1],
      ['label', 'LABEL*', 2],
      ['name', 'name', 3],
      ['sipUserId', 'sip user id', 5],
      ['authId', 'AUTHENTICATE ID', 6],
      ['profile', 'profile', 7],
      ['authPassword', 'authenticate password', 8],
      ['useRandomPort', 'use random port', 9],
    ],
  );
  t.same(result.unknownColumns, ['Notes']);
  t.same(result.rows[0]?.values, {
    pin: '0007',
    label: '301',
    name: 'Lab phone',
    sipUserId: '0301',
    authId: '0301',
    profile: 'Lab',
    authPassword: '=secret',
    useRandomPort: 'yes',
  });
  t.equal(result.rows[1]?.values.pin, '+4930123');
  t.equal(result.rows[1]?.values.useRandomPort, '');
});

t.test('CSV with sep= line and blank lines', async (t) => {
  const dir = await makeTempDir(t);
  const path = await writeBytes(
    join(dir, 'sep.csv'),
    'sep=;\r\nName;Label\r\n\r\nA,1;0012\r\n;\r\nB;\'@x\r\n',
  );

  const result = await readAccountSheet({ path }, LIMITS);

  t.same(result.rows, [
    { rowNumber: 3, values: { name: 'A,1', label: '0012' } },
    { rowNumber: 5, values: { name: 'B', label: '@x' } },
  ]);
});

t.test('CSV without the secret columns', async (t) => {
  const dir = await makeTempDir(t);
  const path = await writeBytes(join(dir, 'no-secrets.csv'), 'Name,Profile,Label,SIP User ID,Authenticate ID\nA,P,L,1,1\n');

  const result = await readAccountSheet({ path }, LIMITS);

  t.same(result.missingRequired, []);
  t.notOk('authPassword' in result.rows[0]!.values);
  t.notOk('pin' in result.rows[0]!.values);
});

t.test('CSV with an unclosed quote', async (t) => {
  const dir = await makeTempDir(t);
  const path = await writeBytes(join(dir, 'broken.csv'), 'Name,Label\n"open,1\nB,2\n');

  await t.rejects(readAccountSheet({ path }, LIMITS), { code: 'spreadsheet.invalid_csv' });
});
