import t from 'tap';

import { createAccount, createProfile } from '../helpers/fixtures.js';
import { chromiumMissing, uiTest } from './browser.js';

t.setTimeout(110_000);

t.test('accounts page in Chromium', { skip: chromiumMissing }, async (t) => {
  t.test('add profile then account', async (t) => {
    await uiTest(t, 'add-profile-then-account', async ({ baseUrl, page, app }) => {
      await page.goto(`${baseUrl}/`);
      await page.getByRole('link', { name: 'Profiles' }).click();
      await page.getByRole('button', { name: '+ Add' }).click();
      const profileDialog = page.getByRole('dialog', { name: 'Add Profile' });
      await profileDialog.getByLabel('Name').fill('Main PBX');
      await profileDialog.getByLabel('SIP Server').fill('pbx.example.net');
      await profileDialog.getByRole('button', { name: 'Confirm' }).click();
      await page.getByRole('status').filter({ hasText: 'Profile added.' }).waitFor();
      await page.getByRole('cell', { name: 'Main PBX', exact: true }).waitFor();

      await page.getByRole('link', { name: 'Accounts' }).click();
      await page.getByRole('button', { name: '+ Add' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add Account' });
      // count() does not wait, so wait until the form has rendered its fields.
      await dialog.locator('label').nth(16).waitFor();
      t.equal(await dialog.locator('label').count(), 17, 'the form has 17 fields');
      t.equal(await dialog.locator('label:has(.required)').count(), 7, 'seven fields are marked required');

      // A first try with a bad PIN shows the API's message next to the PIN field.
      await dialog.locator('#account-name').fill('Alice');
      await dialog.getByLabel('Profile').selectOption({ label: 'Main PBX' });
      await dialog.getByLabel('Label').fill('201');
      await dialog.getByLabel('SIP User ID').fill('201');
      await dialog.getByLabel('Authenticate ID').fill('auth201');
      await dialog.getByLabel('Authenticate Password').fill('s3cret');
      await dialog.getByLabel('PIN').fill('12');
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      const pinError = dialog.locator('#account-pin-error');
      await pinError.waitFor();
      t.match(await pinError.textContent(), /4 to 12 digits/, 'PIN error is shown at the field');
      t.equal(await dialog.getByLabel('PIN').getAttribute('aria-invalid'), 'true', 'PIN field is marked invalid');

      await dialog.getByLabel('PIN').fill('4711');
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await page.getByRole('status').filter({ hasText: 'Account added.' }).waitFor();
      const row = page.getByRole('row').filter({ hasText: 'Alice' });
      await row.waitFor();
      t.match(await row.textContent(), /Offline/, 'account status column');
      t.match(await row.textContent(), /Unallocated/, 'assign status column');

      const stored = await app.call('GET', '/api/v1/accounts?name=Alice');
      t.equal(stored.json.total, 1, 'the account is stored');
      t.equal(stored.json.items[0].profileName, 'Main PBX');
    });
  });

  t.test('filter finds the account', async (t) => {
    await uiTest(t, 'filter-accounts', async ({ baseUrl, page, app }) => {
      const profile = await createProfile(app);
      await createAccount(app, profile.id, { name: 'Bob Builder', sipUserId: '301' });
      await createAccount(app, profile.id, { name: 'Carol Singer', sipUserId: '302' });

      await page.goto(`${baseUrl}/ui/#/accounts`);
      const rows = page.locator('table.list tbody tr');
      await page.getByRole('cell', { name: 'Carol Singer', exact: true }).waitFor();
      t.equal(await rows.count(), 2, 'both accounts listed');

      await page.getByLabel('SIP User ID').fill('301');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('cell', { name: 'Carol Singer', exact: true }).waitFor({ state: 'detached' });
      t.equal(await rows.count(), 1, 'one account matches');
      t.match(await rows.first().textContent(), /Bob Builder/);

      await page.getByRole('button', { name: 'Reset' }).click();
      await page.getByRole('cell', { name: 'Carol Singer', exact: true }).waitFor();
      t.equal(await page.getByLabel('SIP User ID').inputValue(), '', 'Reset clears the filter fields');

      // Sorting by name descending puts Carol first.
      await page.getByRole('button', { name: 'Name' }).click();
      await rows.first().locator('td').nth(1).filter({ hasText: /^Carol Singer$/ }).waitFor();
      t.equal(await page.locator('th[aria-sort="descending"]').count(), 1, 'the header shows the sort order');
    });
  });
});
