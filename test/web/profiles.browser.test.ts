import t from 'tap';

import { createAccount, createDevice, createProfile } from '../helpers/fixtures.js';
import { chromiumMissing, uiTest } from './browser.js';

t.setTimeout(110_000);

t.test('profiles page in Chromium', { skip: chromiumMissing }, async (t) => {
  t.test('add profile form defaults', async (t) => {
    await uiTest(t, 'add-profile-defaults', async ({ baseUrl, page, app }) => {
      await page.goto(`${baseUrl}/ui/#/profiles`);
      await page.getByRole('button', { name: '+ Add' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add Profile' });

      t.equal(await dialog.locator('#profile-sipPort').inputValue(), '5060', 'SIP Port');
      t.equal(await dialog.locator('#profile-transport').inputValue(), 'udp', 'Transport');
      t.equal(await dialog.locator('#profile-registrationExpiry').inputValue(), '3600', 'Registration Expiry');
      t.equal(await dialog.locator('#profile-dtmfMode').inputValue(), 'rfc2833', 'DTMF Mode');
      t.equal(await dialog.locator('#profile-natTraversal').isChecked(), false, 'NAT Traversal');
      t.equal(await dialog.locator('#profile-rport').isChecked(), true, 'rport');
      t.equal(await dialog.locator('#profile-mwiSubscribe').isChecked(), false, 'MWI Subscribe');

      await dialog.locator('#profile-name').fill('From the form');
      await dialog.locator('#profile-sipServer').fill('pbx.example.net');
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await page.getByRole('status').filter({ hasText: 'Profile added.' }).waitFor();

      const fromApi = await app.call('POST', '/api/v1/profiles', { name: 'From the API', sipServer: 'pbx.example.net' });
      const fromForm = (await app.call('GET', '/api/v1/profiles?name=From the form')).json.items[0];
      const defaultFields = ['sipPort', 'transport', 'outboundProxy', 'failoverServer', 'registrationExpiry', 'dtmfMode', 'natTraversal', 'rport', 'mwiSubscribe', 'extraParameters'];
      for (const field of defaultFields) {
        t.same(fromForm[field], fromApi.json[field], `${field} as the API default`);
      }
    });
  });

  t.test('list shows account and device counts', async (t) => {
    await uiTest(t, 'profile-counts', async ({ baseUrl, page, app }) => {
      const profile = await createProfile(app, { name: 'Counted' });
      await createAccount(app, profile.id, { name: 'Olga', sipUserId: '601' });
      await createAccount(app, profile.id, { name: 'Paul', sipUserId: '602' });
      await createDevice(app, { mac: '001fc1000301', model: 'UC903', profileId: profile.id });

      await page.goto(`${baseUrl}/ui/#/profiles`);
      const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'Counted', exact: true }) });
      await row.waitFor();
      const cells = await row.getByRole('cell').allTextContents();
      t.equal(cells[4], '2', 'Accounts column');
      t.equal(cells[5], '1', 'Devices column');
    });
  });
});
