import t from 'tap';

import { chromiumMissing, uiTest } from './browser.js';

t.setTimeout(110_000);

const viewports = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'narrow', width: 390, height: 800 },
];

t.test('layout and keyboard in Chromium', { skip: chromiumMissing }, async (t) => {
  for (const viewport of viewports) {
    t.test(`pages fit a ${viewport.name} window`, async (t) => {
      await uiTest(
        t,
        `layout-${viewport.name}`,
        async ({ baseUrl, page }) => {
          for (const path of ['accounts', 'profiles', 'devices']) {
            await page.goto(`${baseUrl}/ui/#/${path}`);
            await page.getByRole('heading', { level: 1 }).waitFor();
            const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
            t.equal(overflow, 0, `${path}: no horizontal scrolling of the page`);
          }
        },
        { viewport },
      );
    });
  }

  t.test('add dialog by keyboard', async (t) => {
    await uiTest(t, 'keyboard-add-dialog', async ({ baseUrl, page }) => {
      await page.goto(`${baseUrl}/ui/#/accounts`);
      await page.getByRole('button', { name: '+ Add' }).focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Add Account' });
      await dialog.waitFor();
      t.equal(await page.evaluate("document.querySelector('dialog[open]').contains(document.activeElement)"), true, 'focus moves into the dialog');
      await page.keyboard.type('Typed by keyboard');
      t.equal(await dialog.locator('#account-name').inputValue(), 'Typed by keyboard', 'the first field has focus');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      t.pass('Escape closes the dialog');
    });
  });
});
