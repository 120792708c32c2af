import t from 'tap';

import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createProfile } from '../helpers/fixtures.js';
import { csv, csvLine, listAccounts, upload } from '../fixtures/spreadsheets/upload-helpers.js';

async function waitForImport(app: TestApp, importId: string): Promise<any> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { json } = await app.call('GET', `/api/v1/accounts/imports/${importId}`);
    if (json.state === 'done' || json.state === 'failed') return json;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`import ${importId} did not finish`);
}

const ROWS = 2500;

t.test('background import reports progress', async (t) => {
  const app = await buildTestApp(t);
  await createProfile(app, { name: 'Head office' });
  const lines = Array.from({ length: ROWS }, (_, index) => csvLine({ name: `Account ${index}`, sipUserId: String(10000 + index) }));

  const started = await upload(app, csv(...lines), 'async=true');
  t.equal(started.status, 202);
  t.match(started.json.importId, /^[0-9a-f-]{36}$/);
  t.equal(started.json.progressUrl, `/api/v1/accounts/imports/${started.json.importId}`);

  const job = await waitForImport(app, started.json.importId);
  t.equal(job.state, 'done');
  t.equal(job.mode, 'all-or-nothing');
  t.equal(job.total, ROWS);
  t.equal(job.rowsRead, ROWS);
  t.equal(job.rowsValidated, ROWS);
  t.equal(job.rowsWritten, ROWS);
  t.same(job.result, { mode: 'all-or-nothing', rows: ROWS, created: ROWS, updated: 0, unchanged: 0, skipped: 0, errors: [], moreErrors: 0 });

  const { json } = await app.call('GET', '/api/v1/accounts?pageSize=1');
  t.equal(json.total, ROWS);
});

t.test('background import of a broken file fails with the reason', async (t) => {
  const app = await buildTestApp(t);

  const started = await upload(app, 'Name,Profile\r\n', 'async=true&mode=valid-rows');
  t.equal(started.status, 202);

  const job = await waitForImport(app, started.json.importId);
  t.equal(job.state, 'failed');
  t.same(job.result, {
    error: {
      statusCode: 400,
      code: 'spreadsheet.no_data_rows',
      message: 'The sheet has a header row but no account rows. Add one account per row below the header and upload it again. Nothing was imported.',
    },
  });
  t.same(await listAccounts(app), []);
});

t.test('unknown import id', async (t) => {
  const app = await buildTestApp(t);

  const { status, json } = await app.call('GET', '/api/v1/accounts/imports/6f1c1a52-3c55-4f43-9c3a-0f6d7b0f0a11');
  t.equal(status, 404);
  t.equal(json.code, 'import_not_found');
});
