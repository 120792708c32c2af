import { PassThrough } from 'node:stream';

import t from 'tap';

import { createExportService } from '../../src/spreadsheet/export-service.js';
import { buildTestApp } from '../helpers/app.js';
import { createAccount, createProfile } from '../helpers/fixtures.js';
import { createTestLogger } from '../helpers/logger.js';

/** Runs an export into memory and returns the chunks in the order they were written. */
async function exportChunks(write: (output: PassThrough) => Promise<number>): Promise<{ count: number; chunks: string[] }> {
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));

  const count = await write(output);
  return { count, chunks };
}

t.test('export streams past one page', async (t) => {
  const app = await buildTestApp(t);
  const profile = await createProfile(app, { name: 'Head office' });
  const names: string[] = [];
  for (let index = 1; index <= 7; index++) {
    const account = await createAccount(app, profile.id, { name: `Desk ${index}`, sipUserId: `0${100 + index}` });
    names.push(account.name);
  }

  const { logger } = createTestLogger('streaming-export');
  const exports = createExportService({ db: app.database.db, logger, pageSize: 3 });

  const all = await exportChunks((output) => exports.writeExport(output, { format: 'csv', includeSecrets: false, filter: {} }));
  t.equal(all.count, 7, 'every account across three pages');
  const lines = all.chunks.join('').trimEnd().split('\r\n');
  t.equal(lines.length, 8, 'header and seven rows');
  t.same(lines.slice(1).map((line) => line.split(',')[0]), names, 'rows in id order');
  t.ok(all.chunks.length >= 8, `written in ${all.chunks.length} chunks, not as one buffer`);

  const filtered = await exportChunks((output) => exports.writeExport(output, { format: 'csv', includeSecrets: false, filter: { name: 'Desk' }, ids: undefined }));
  t.equal(filtered.count, 7, 'a filter reaches past the first page too');

  const exactPage = createExportService({ db: app.database.db, logger, pageSize: 7 });
  const exact = await exportChunks((output) => exactPage.writeExport(output, { format: 'xlsx', includeSecrets: false, filter: {} }));
  t.equal(exact.count, 7, 'a last page that is exactly full ends the export');
});

t.test('export route streams many pages', async (t) => {
  const app = await buildTestApp(t);
  const profile = await createProfile(app, { name: 'Head office' });
  const values = Array.from({ length: 1203 }, (_, index) => ({
    name: `Bulk ${String(index).padStart(4, '0')}`,
    profileId: profile.id,
    label: String(index),
    sipUserId: `0${1000 + index}`,
    authId: `auth-${index}`,
    authPassword: 'Secr3t',
    pin: '0042',
  }));
  await app.database.db.insertInto('accounts').values(values).execute();

  const response = await app.app.inject({ method: 'GET', url: '/api/v1/accounts/export.csv?name=Bulk' });
  t.equal(response.statusCode, 200);
  const lines = response.body.trimEnd().split('\r\n');
  t.equal(lines.length, 1204, 'header and 1203 rows, more than two pages of 500');
  t.equal(lines[1]?.split(',')[0], 'Bulk 0000');
  t.equal(lines.at(-1)?.split(',')[0], 'Bulk 1202');
});
