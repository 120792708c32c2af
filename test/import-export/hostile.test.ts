import { readFile } from 'node:fs/promises';

import Fastify from 'fastify';
import t, { type Test } from 'tap';

import { registerErrorHandler } from '../../src/http/error-handler.js';
import { validatorCompiler } from '../../src/http/validation.js';
import { spreadsheetRoutes } from '../../src/spreadsheet/spreadsheet-routes.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { openTestDatabase } from '../helpers/database.js';
import { createTestLogger } from '../helpers/logger.js';
import { buildZip, fixture } from '../fixtures/spreadsheets/helpers.js';
import { csv, csvLine, listAccounts, multipartBody, upload } from '../fixtures/spreadsheets/upload-helpers.js';

function expectRejected(t: Test, result: { status: number; json: any }, status: number, code: string, message: RegExp) {
  t.equal(result.status, status, `${code}: status`);
  t.equal(result.json.code, code);
  t.match(result.json.message, message);
  t.match(result.json.message, /Nothing was imported\.$/);
}

t.test('broken and hostile files get a 4xx and write nothing', async (t) => {
  const app = await buildTestApp(t);

  expectRejected(t, await upload(app, await readFile(fixture('not-a-spreadsheet.pdf.xlsx')), '', 'a.xlsx'), 400, 'spreadsheet.not_a_spreadsheet', /PDF document/);
  expectRejected(t, await upload(app, await readFile(fixture('ole2-encrypted.xlsx')), '', 'a.xlsx'), 400, 'spreadsheet.password_protected', /Remove the password/);
  expectRejected(t, await upload(app, await readFile(fixture('empty.csv'))), 400, 'spreadsheet.empty', /The uploaded file is empty/);
  expectRejected(t, await upload(app, await readFile(fixture('header-only.csv'))), 400, 'spreadsheet.no_data_rows', /has a header row but no account rows/);

  const bomb = buildZip([
    { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
    { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20_000_000, 0x20) },
  ]);
  expectRejected(t, await upload(app, bomb, '', 'bomb.xlsx'), 413, 'spreadsheet.zip_bomb', /expands \d+ times/);

  t.same(await listAccounts(app), []);
});

t.test('requests without a file', async (t) => {
  const app = await buildTestApp(t);

  const json = await app.call('POST', '/api/v1/accounts/import', { rows: [] });
  t.equal(json.status, 415);
  t.equal(json.json.code, 'unsupported_media_type');
  t.equal(json.json.message, 'Content-Type "application/json" is not accepted; send the spreadsheet as multipart/form-data in the field "file".');

  const { payload, contentType } = multipartBody(csv(csvLine({})), 'a.csv', 'upload');
  const wrongField = await app.app.inject({ method: 'POST', url: '/api/v1/accounts/import', payload, headers: { 'content-type': contentType } });
  t.equal(wrongField.statusCode, 400);
  t.equal(wrongField.json().code, 'spreadsheet.no_file');
  t.equal(wrongField.json().message, 'The file was sent in the field "upload"; send it in the multipart field "file".');
});

t.test('configured size and row limits', async (t) => {
  const { logger } = createTestLogger('hostile-limits');
  const database = await openTestDatabase(t, logger);
  const app = Fastify({ loggerInstance: logger as never });
  app.setValidatorCompiler(validatorCompiler);
  registerErrorHandler(app as never);
  await app.register(spreadsheetRoutes, { prefix: '/api/v1', db: database.db, logger, limits: { maxBytes: 2000, maxRows: 2 } });
  t.teardown(() => app.close());
  const testApp = { app, database } as unknown as TestApp;

  const tooLarge = await upload(testApp, csv(...Array.from({ length: 20 }, (_, index) => csvLine({ name: `A${index}` }))));
  t.equal(tooLarge.status, 413);
  t.equal(tooLarge.json.code, 'spreadsheet.too_large');
  t.equal(tooLarge.json.message, 'The file is larger than the maximum of 2000 bytes. Split the accounts into several files and import them one after the other. Nothing was imported.');

  const tooMany = await upload(testApp, csv(csvLine({ name: 'A' }), csvLine({ name: 'B' }), csvLine({ name: 'C' })));
  t.equal(tooMany.status, 400);
  t.equal(tooMany.json.code, 'spreadsheet.too_many_rows');
  t.equal(tooMany.json.message, 'The file has more than 2 account rows (row 4 is over the limit). Split it into files of at most 2 rows. Nothing was imported.');

  const count = await database.db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  t.equal(Number(count.count), 0);
});
