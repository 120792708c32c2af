import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import ExcelJS from 'exceljs';
import t, { type Test } from 'tap';

import { readAccountSheet, SpreadsheetError } from '../../src/spreadsheet/index.js';
import { buildZip, fixture, makeTempDir, writeBytes, writeWorkbook } from '../fixtures/spreadsheets/helpers.js';

const LIMITS = { maxRows: 1000, maxBytes: 10_000_000 };
const WORKBOOK_XML = Buffer.from('<workbook/>');

async function rejectsWithCode(
  t: Test,
  path: string,
  code: string,
  message: RegExp,
  limits: Parameters<typeof readAccountSheet>[1] = LIMITS,
): Promise<void> {
  const error = await readAccountSheet({ path }, limits).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  t.type(error, SpreadsheetError, `${code} is a SpreadsheetError`);
  t.equal((error as SpreadsheetError).code, code);
  t.match((error as SpreadsheetError).message, message);
}

async function smallWorkbook(dir: string, rowCount: number): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Accounts');
  sheet.addRow(['Name', 'Label']);
  for (let index = 1; index <= rowCount; index++) {
    sheet.addRow([`Account ${index}`, String(index)]);
  }
  return writeWorkbook(workbook, join(dir, `rows-${rowCount}.xlsx`));
}

t.test('password-protected or .xls file', async (t) => {
  await rejectsWithCode(t, fixture('ole2-encrypted.xlsx'), 'spreadsheet.password_protected', /Remove the password/);
});

t.test('file that is not a spreadsheet', async (t) => {
  const dir = await makeTempDir(t);
  await rejectsWithCode(t, fixture('not-a-spreadsheet.pdf.xlsx'), 'spreadsheet.not_a_spreadsheet', /PDF document/);

  const binary = await writeBytes(join(dir, 'binary.csv'), Buffer.from([0x01, 0x00, 0x02, 0x03]));
  await rejectsWithCode(t, binary, 'spreadsheet.not_a_spreadsheet', /binary file/);

  const utf16 = await writeBytes(join(dir, 'utf16.csv'), Buffer.from('\ufeffName,Label\n', 'utf16le'));
  await rejectsWithCode(t, utf16, 'spreadsheet.not_a_spreadsheet', /UTF-16/);

  const otherZip = await writeBytes(join(dir, 'docx.xlsx'), buildZip([{ name: 'word/document.xml', data: Buffer.from('<w/>') }]));
  await rejectsWithCode(t, otherZip, 'spreadsheet.not_a_spreadsheet', /not an Excel workbook/);
});

t.test('damaged xlsx files', async (t) => {
  const dir = await makeTempDir(t);
  const valid = buildZip([{ name: 'xl/workbook.xml', data: WORKBOOK_XML }]);

  const truncated = await writeBytes(join(dir, 'truncated.xlsx'), valid.subarray(0, valid.length - 10));
  await rejectsWithCode(t, truncated, 'spreadsheet.unreadable', /truncated/);

  const garbage = await writeBytes(
    join(dir, 'garbage.xlsx'),
    buildZip([
      { name: 'xl/workbook.xml', data: WORKBOOK_XML },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<worksheet><sheetData><row r="1"><c r="A1"></row></c>') },
    ]),
  );
  await rejectsWithCode(t, garbage, 'spreadsheet.unreadable', /could not be read/);
});

t.test('xlsx with data outside the zip directory', async (t) => {
  const dir = await makeTempDir(t);
  const full = buildZip([
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(1000, 0x20) },
    { name: 'xl/workbook.xml', data: WORKBOOK_XML },
  ]);
  const end = full.length - 22;
  const directoryOffset = full.readUInt32LE(end + 16);
  const firstRecordLength = 46 + full.readUInt16LE(directoryOffset + 28);
  const directory = full.subarray(directoryOffset + firstRecordLength, end);
  const endRecord = Buffer.from(full.subarray(end));
  endRecord.writeUInt16LE(1, 8);
  endRecord.writeUInt16LE(1, 10);
  endRecord.writeUInt32LE(directory.length, 12);
  const hidden = await writeBytes(
    join(dir, 'hidden.xlsx'),
    Buffer.concat([full.subarray(0, directoryOffset), directory, endRecord]),
  );

  await rejectsWithCode(t, hidden, 'spreadsheet.unreadable', /unlisted data/);
});

t.test('zip bomb with huge declared sizes', async (t) => {
  const dir = await makeTempDir(t);
  const path = await writeBytes(
    join(dir, 'declared.xlsx'),
    buildZip([
      { name: 'xl/workbook.xml', data: WORKBOOK_XML },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(100, 0x20), declaredSize: 3_000_000_000 },
    ]),
  );

  await rejectsWithCode(t, path, 'spreadsheet.zip_bomb', /sheet1\.xml" expands \d+ times/);
});

t.test('zip bomb with many entries over the total', async (t) => {
  const dir = await makeTempDir(t);
  const entries = [{ name: 'xl/workbook.xml', data: WORKBOOK_XML }];
  for (let index = 1; index <= 3; index++) {
    entries.push({ name: `xl/worksheets/sheet${index}.xml`, data: randomBytes(1_000_000), declaredSize: 90_000_000, deflate: false } as never);
  }
  const path = await writeBytes(join(dir, 'total.xlsx'), buildZip(entries));

  await rejectsWithCode(t, path, 'spreadsheet.zip_bomb', /expands to 270000011 bytes, more than the maximum of 209715200/);
});

t.test('zip bomb that compresses too well', async (t) => {
  const dir = await makeTempDir(t);
  const path = await writeBytes(
    join(dir, 'ratio.xlsx'),
    buildZip([
      { name: 'xl/workbook.xml', data: WORKBOOK_XML },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20_000_000, 0x20) },
    ]),
  );

  await rejectsWithCode(t, path, 'spreadsheet.zip_bomb', /expands \d+ times \(maximum 100\)/);
});

t.test('zip bomb that understates its size', async (t) => {
  const dir = await makeTempDir(t);
  const path = await writeBytes(
    join(dir, 'understated.xlsx'),
    buildZip([
      { name: 'xl/workbook.xml', data: WORKBOOK_XML },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(900_000, 0x41), declaredSize: 1000 },
    ]),
  );

  await rejectsWithCode(t, path, 'spreadsheet.zip_bomb', /beyond its declared size of 1000 bytes/);
});

t.test('configured zip limits', async (t) => {
  const dir = await makeTempDir(t);
  const path = await smallWorkbook(dir, 2);
  const zipLimits = { maxUncompressedBytes: 1000, maxCompressionRatio: 100, ratioCheckMinBytes: 1_000_000 };

  await rejectsWithCode(t, path, 'spreadsheet.zip_bomb', /maximum of 1000 bytes/, { ...LIMITS, zipLimits });
});

t.test('empty files', async (t) => {
  const dir = await makeTempDir(t);
  await rejectsWithCode(t, fixture('empty.csv'), 'spreadsheet.empty', /file is empty/);
  await rejectsWithCode(t, fixture('blank-lines.csv'), 'spreadsheet.empty', /sheet has no rows/);

  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Accounts');
  const emptyXlsx = await writeWorkbook(workbook, join(dir, 'empty.xlsx'));
  await rejectsWithCode(t, emptyXlsx, 'spreadsheet.empty', /sheet has no rows/);
});

t.test('header-only files', async (t) => {
  const dir = await makeTempDir(t);
  await rejectsWithCode(t, fixture('header-only.csv'), 'spreadsheet.no_data_rows', /no account rows/);
  await rejectsWithCode(t, await smallWorkbook(dir, 0), 'spreadsheet.no_data_rows', /no account rows/);
});

t.test('too many rows', async (t) => {
  const dir = await makeTempDir(t);
  const limits = { maxRows: 3, maxBytes: 10_000_000 };
  const csv = await writeBytes(join(dir, 'rows.csv'), 'Name\na\nb\n\nc\nd\ne\n');

  await rejectsWithCode(t, await smallWorkbook(dir, 4), 'spreadsheet.too_many_rows', /more than 3 account rows \(row 5/, limits);
  await rejectsWithCode(t, csv, 'spreadsheet.too_many_rows', /more than 3 account rows \(row 6/, limits);

  const exact = await readAccountSheet({ path: await smallWorkbook(dir, 3) }, limits);
  t.equal(exact.rows.length, 3);
});

t.test('file larger than maxBytes', async (t) => {
  const dir = await makeTempDir(t);
  const path = await writeBytes(join(dir, 'big.csv'), 'Name\n' + 'x\n'.repeat(100));

  await rejectsWithCode(t, path, 'spreadsheet.too_large', /205 bytes, more than the maximum of 100 bytes/, {
    maxRows: 1000,
    maxBytes: 100,
  });
});

t.test('duplicate column', async (t) => {
  const dir = await makeTempDir(t);
  const path = await writeBytes(join(dir, 'duplicate.csv'), 'Name,Label,name *\na,b,c\n');

  await rejectsWithCode(t, path, 'spreadsheet.duplicate_column', /"Name" appears twice \(columns 1 and 3\)/);
});
