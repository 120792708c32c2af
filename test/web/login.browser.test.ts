import t from 'tap';

import { testAdmin } from '../helpers/admin.js';
import { chromiumMissing, uiTest } from './browser.js';

t.setTimeout(110_000);

t.test('login in Chromium', { skip: chromiumMissing }, async (t) => {
  t.test('login then logout', async (t) => {
    await uiTest(
      t,
      'login-then-logout',
      async ({ baseUrl, page, context }) => {
        await page.goto(`${baseUrl}/ui/#/profiles`);
        await page.getByRole('heading', { name: 'Sign in' }).waitFor();
        t.pass('the login form is shown without a session');

        await page.getByLabel('User name').fill(testAdmin.username);
        await page.getByLabel('Password').fill(testAdmin.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { level: 1, name: 'Profiles' }).waitFor();
        t.pass('the requested page opens after the login');

        const cookies = await context.cookies(baseUrl);
        t.ok(cookies.some((cookie) => cookie.name === 'htek_session' && cookie.httpOnly), 'the session cookie is HttpOnly');

        await page.getByText(testAdmin.username, { exact: true }).click();
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.getByRole('heading', { name: 'Sign in' }).waitFor();
        t.pass('signing out shows the login form');

        const me = await context.request.get(`${baseUrl}/api/v1/auth/me`);
        t.equal(me.status(), 401, 'the session has ended on the server');
      },
      { signedIn: false },
    );
  });

  t.test('wrong password shows the message', async (t) => {
    await uiTest(
      t,
      'login-wrong-password',
      async ({ baseUrl, page }) => {
        await page.goto(`${baseUrl}/ui/`);
        await page.getByLabel('User name').fill(testAdmin.username);
        await page.getByLabel('Password').fill('not the password');
        await page.getByRole('button', { name: 'Sign in' }).click();

        const alert = page.getByRole('alert');
        await alert.waitFor();
        t.match(await alert.textContent(), 'The user name or password is wrong.', 'the API message is shown');
        t.equal(await page.getByLabel('Password').inputValue(), '', 'the password field is cleared');
        t.equal(await page.getByRole('heading', { name: 'Sign in' }).count(), 1, 'the login form stays');
      },
      { signedIn: false },
    );
  });

  t.test('changes send the CSRF token', async (t) => {
    await uiTest(t, 'login-csrf', async ({ app, baseUrl, page }) => {
      await page.goto(`${baseUrl}/ui/#/profiles`);
      await page.getByRole('heading', { level: 1, name: 'Profiles' }).waitFor();

      // The page's own api() is loaded by URL, so the request carries what the UI sends.
      const status = await page.evaluate(async (moduleUrl) => {
        const { api } = await import(moduleUrl);
        const created = await api('POST', '/profiles', { name: 'CSRF PBX', sipServer: 'pbx.example.net', sipPort: 5060, transport: 'udp' });
        return created.id;
      }, `${baseUrl}/ui/api.js`);
      t.type(status, 'number', 'a change from the page succeeds with the session cookie');

      const audit = await app.call('GET', '/api/v1/audit?objectType=profile&action=post');
      t.equal(audit.json.items[0]?.actor, 'test-admin', 'the change is made as the signed-in user');
    });
  });
});
