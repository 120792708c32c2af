import t from 'tap';

import { createAccount, createProfile } from '../helpers/fixtures.js';
import { chromiumMissing, uiTest } from './browser.js';

t.setTimeout(110_000);

t.test('devices page in Chromium', { skip: chromiumMissing }, async (t) => {
  t.test('add device with a line, view preview', async (t) => {
    await uiTest(t, 'add-device-view-preview', async ({ baseUrl, page, app }) => {
      const profile = await createProfile(app, { name: 'Office' });
      await createAccount(app, profile.id, { name: 'Heidi', sipUserId: '401', authPassword: 'very-secret-pw' });

      await page.goto(`${baseUrl}/ui/#/devices`);
      await page.getByRole('button', { name: '+ Add' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add Device' });
      await dialog.locator('#device-mac').fill('00:1F:C1:AA:BB:01');
      await dialog.locator('#device-model').selectOption('UC902');
      await dialog.locator('#device-profileId').selectOption({ label: 'Office' });
      await dialog.locator('fieldset.lines select').nth(3).waitFor();
      t.equal(await dialog.locator('fieldset.lines select').count(), 4, 'a UC902 offers 4 lines');
      await dialog.getByLabel('Line 1 account').selectOption({ label: 'Heidi (401)' });
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await page.getByRole('status').filter({ hasText: 'Device added.' }).waitFor();
      await page.getByRole('cell', { name: '001fc1aabb01', exact: true }).waitFor();

      await page.getByRole('button', { name: 'View 001fc1aabb01' }).click();
      const view = page.getByRole('dialog', { name: 'Device 001fc1aabb01' });
      const preview = view.locator('pre.preview');
      await preview.waitFor();
      const text = (await preview.textContent()) ?? '';
      t.match(text, /<P35 para="Account1.SipUserId">401<\/P35>/, 'preview shows the rendered file');
      t.notMatch(text, /very-secret-pw/, 'the password is not shown');
      t.match(text, /AuthenticatePassword">\*{8}</, 'the password is masked');
      t.match(await view.textContent(), /Last seen\s*never/, 'last seen is shown');
      // The request history route may not exist yet; either a list or the API's message shows.
      await view.locator('section[aria-labelledby="history-title"] :is(table, .error, .empty)').first().waitFor();

      const stored = await app.call('GET', '/api/v1/devices?mac=001fc1aabb01');
      t.same(stored.json.items[0].lines.map((line: { line: number }) => line.line), [1], 'line 1 is bound');
    });
  });

  t.test('push to a device shows result', async (t) => {
    await uiTest(t, 'push-to-device', async ({ baseUrl, page, app }) => {
      const profile = await createProfile(app);
      const account = await createAccount(app, profile.id, { name: 'Ivan' });
      await app.call('POST', '/api/v1/devices', { mac: '001fc1aabb02', model: 'UC926', profileId: profile.id, lines: [{ line: 1, accountId: account.id }] });

      await page.goto(`${baseUrl}/ui/#/accounts`);
      await page.getByRole('button', { name: 'Push Ivan' }).click();
      const dialog = page.getByRole('dialog', { name: 'Push Account Ivan' });
      await dialog.getByLabel(/001fc1aabb02/).waitFor();
      t.ok(await dialog.getByLabel(/001fc1aabb02/).isChecked(), 'the bound device is chosen');
      await dialog.getByRole('button', { name: 'Push To Update' }).click();
      await page.getByRole('dialog', { name: 'Push To Update' }).getByRole('button', { name: 'Confirm' }).click();
      const result = dialog.locator('table.push-results tbody tr');
      await result.first().waitFor();
      t.match(await result.first().textContent(), /001fc1aabb02/, 'the device result is listed');
      t.ok(await result.first().getAttribute('data-state'), 'the device has a state');
    });
  });
});
