import t from 'tap';

import { createAccount, createDevice, createProfile } from '../helpers/fixtures.js';
import { chromiumMissing, uiTest } from './browser.js';

t.setTimeout(110_000);

t.test('account edit and delete in Chromium', { skip: chromiumMissing }, async (t) => {
  t.test('conflicting edit from another tab', async (t) => {
    await uiTest(t, 'conflicting-edit', async ({ baseUrl, page, app, openTab }) => {
      const profile = await createProfile(app);
      await createAccount(app, profile.id, { name: 'Dave', label: 'old label' });

      const other = await openTab();
      for (const tab of [page, other]) {
        await tab.goto(`${baseUrl}/ui/#/accounts`);
        await tab.getByRole('button', { name: 'Edit Dave' }).click();
      }

      const first = other.getByRole('dialog', { name: 'Edit Account Dave' });
      await first.getByLabel('Label').fill('label from tab 2');
      await first.getByRole('button', { name: 'Confirm' }).click();
      await other.getByRole('status').filter({ hasText: 'Account saved.' }).waitFor();

      const second = page.getByRole('dialog', { name: 'Edit Account Dave' });
      await second.getByLabel('Label').fill('label from tab 1');
      await second.getByRole('button', { name: 'Confirm' }).click();
      const alert = second.getByRole('alert');
      await alert.waitFor();
      t.match(await alert.textContent(), /Conflict: .*changed by someone else/, 'the conflict is shown');

      const stored = await app.call('GET', '/api/v1/accounts?name=Dave');
      t.equal(stored.json.items[0].label, 'label from tab 2', 'the other tab\'s change is kept');

      await second.getByRole('button', { name: 'Reload' }).click();
      await alert.waitFor({ state: 'detached' });
      await second.getByRole('button', { name: 'Confirm' }).click();
      await page.getByRole('status').filter({ hasText: 'Account saved.' }).waitFor();
      const after = await app.call('GET', '/api/v1/accounts?name=Dave');
      t.equal(after.json.items[0].label, 'label from tab 1', 'saving after Reload applies the change');
    });
  });

  t.test('delete asks for confirmation', async (t) => {
    await uiTest(t, 'delete-with-confirmation', async ({ baseUrl, page, app }) => {
      const profile = await createProfile(app);
      await createAccount(app, profile.id, { name: 'Erin' });
      const bound = await createAccount(app, profile.id, { name: 'Frank' });
      await createAccount(app, profile.id, { name: 'Grace' });
      await createDevice(app, { mac: '001fc1000001', model: 'UC926', profileId: profile.id, lines: [{ line: 1, accountId: bound.id }] });

      await page.goto(`${baseUrl}/ui/#/accounts`);
      await page.getByRole('button', { name: 'Delete Erin' }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete Accounts' });
      t.match(await confirm.textContent(), /Confirm Delete\?/);
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      t.equal((await app.call('GET', '/api/v1/accounts')).json.total, 3, 'Cancel deletes nothing');

      await page.getByRole('button', { name: 'Delete Erin' }).click();
      await confirm.getByRole('button', { name: 'Confirm' }).click();
      await page.getByRole('status').filter({ hasText: '1 account(s) deleted.' }).waitFor();
      await page.getByRole('cell', { name: 'Erin', exact: true }).waitFor({ state: 'detached' });

      // Checked rows: Frank is on a device line, so the dialog requests a second confirmation before unbinding.
      await page.getByLabel('Select Frank').check();
      await page.getByLabel('Select Grace').check();
      await page.getByRole('toolbar').getByRole('button', { name: 'Delete (2)' }).click();
      await confirm.getByRole('button', { name: 'Confirm' }).click();
      await confirm.getByRole('alert').waitFor();
      t.match(await confirm.textContent(), /remove the accounts from their device lines/, 'asks before unbinding');
      t.equal((await app.call('GET', '/api/v1/accounts')).json.total, 2, 'nothing deleted yet');

      await confirm.getByRole('button', { name: 'Confirm' }).click();
      await page.getByRole('status').filter({ hasText: '2 account(s) deleted.' }).waitFor();
      t.equal((await app.call('GET', '/api/v1/accounts')).json.total, 0, 'both deleted');
    });
  });
});
