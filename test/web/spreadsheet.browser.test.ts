import { readFile } from 'node:fs/promises';

import t from 'tap';

import { readZipEntry } from '../fixtures/spreadsheets/helpers.js';
import { createAccount, createProfile } from '../helpers/fixtures.js';
import { chromiumMissing, uiTest } from './browser.js';

t.setTimeout(110_000);

t.test('import and export in Chromium', { skip: chromiumMissing }, async (t) => {
  t.test('import shows the error row', async (t) => {
    await uiTest(t, 'import-error-row', async ({ baseUrl, page, app }) => {
      const profile = await createProfile(app, { name: 'Import PBX' });
      const header = 'Name,Profile,Account Active,Label,SIP User ID,Authenticate ID,Authenticate Password,PIN';
      const csv = [header, 'Judy,Import PBX,yes,501,501,auth501,pw501,4711', 'Karl,Import PBX,yes,502,502,auth502,pw502,12'].join('\r\n');

      await page.goto(`${baseUrl}/ui/#/accounts`);
      await page.getByRole('button', { name: 'Import' }).click();
      const dialog = page.getByRole('dialog', { name: 'Import Accounts' });
      await dialog.getByLabel('Spreadsheet file').setInputFiles({ name: 'accounts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await dialog.getByRole('button', { name: 'Dry Run' }).click();
      const errorRows = dialog.locator('table.report-errors tbody tr');
      await errorRows.first().waitFor();
      t.match(await errorRows.first().textContent(), /^3/, 'the error is on spreadsheet row 3');
      t.equal((await app.call('GET', '/api/v1/accounts')).json.total, 0, 'a dry run stores nothing');

      await dialog.getByRole('button', { name: 'Apply Import' }).click();
      await dialog.getByRole('region', { name: 'Import result' }).waitFor();
      const stored = await app.call('GET', `/api/v1/accounts?profileId=${profile.id}`);
      t.same(stored.json.items.map((account: { name: string }) => account.name), ['Judy'], 'the valid row is imported');
    });
  });

  t.test('export asks for confirmation', async (t) => {
    await uiTest(t, 'export-checked-rows', async ({ baseUrl, page, app }) => {
      const profile = await createProfile(app);
      await createAccount(app, profile.id, { name: 'Liam' });
      await createAccount(app, profile.id, { name: 'Mia' });

      await page.goto(`${baseUrl}/ui/#/accounts`);
      await page.getByLabel('Select Liam').check();
      await page.getByRole('toolbar').getByRole('button', { name: 'Export' }).click();
      const confirm = page.getByRole('dialog', { name: 'Export Accounts' });
      t.match(await confirm.textContent(), /Confirm Export\?/);
      const [download] = await Promise.all([page.waitForEvent('download'), confirm.getByRole('button', { name: 'Confirm' }).click()]);
      const file = await readFile((await download.path()) ?? '');
      t.equal(file.subarray(0, 2).toString(), 'PK', 'the export is an xlsx (zip) file');
    });
  });
  t.test('export of the sorted list', async (t) => {
    await uiTest(t, 'export-sorted-list', async ({ baseUrl, page, app }) => {
      const profile = await createProfile(app);
      for (const name of ['Nora', 'Liam', 'Mia']) {
        await createAccount(app, profile.id, { name, sipUserId: name });
      }

      await page.goto(`${baseUrl}/ui/#/accounts`);
      const nameHeader = page.getByRole('columnheader', { name: 'Name' });
      await nameHeader.getByRole('button').click();
      await page.locator('th[aria-sort="descending"]').waitFor();
      await page.getByRole('toolbar').getByRole('button', { name: 'Export' }).click();
      const confirm = page.getByRole('dialog', { name: 'Export Accounts' });
      const [download] = await Promise.all([page.waitForEvent('download'), confirm.getByRole('button', { name: 'Confirm' }).click()]);
      await page.getByText(/Exported the filtered list/).waitFor();

      const file = await readFile((await download.path()) ?? '');
      const sheet = readZipEntry(file, 'xl/worksheets/sheet1.xml');
      const names = [...sheet.matchAll(/<c r="A([0-9]+)" t="str"><v>([^<]*)<\/v>/g)].filter((match) => match[1] !== '1').map((match) => match[2]);
      t.same(names, ['Nora', 'Mia', 'Liam'], 'the rows come in the order of the list, name descending');
    });
  });
});
