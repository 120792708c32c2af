import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { Test } from 'tap';

import { testAdmin } from '../helpers/admin.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';

export const chromiumPath = '/usr/bin/chromium';
export const chromiumMissing = existsSync(chromiumPath) ? false : `${chromiumPath} is missing: install it with apt-get install -y --no-install-recommends chromium`;

const screenshotDir = path.resolve('test-output/screenshots');

export interface UiTest {
  app: TestApp;
  baseUrl: string;
  page: Page;
  context: BrowserContext;
  /** Opens another page in the same browser context, e.g. a second tab for a conflicting edit. */
  openTab(): Promise<Page>;
}

let browser: Browser | undefined;

async function sharedBrowser(t: Test): Promise<Browser> {
  if (!browser) {
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
    const launched = browser;
    t.teardown(async () => {
      await launched.close();
      browser = undefined;
    });
  }
  return browser;
}

function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Chromium logs every 4xx response to fetch as a console error. An error response of the JSON API
 * is part of what the UI handles and shows, so it is not counted; any other console error is.
 */
function isHandledApiError(text: string, url: string | undefined, baseUrl: string): boolean {
  return /^Failed to load resource: the server responded with a status of 4\d\d/.test(text) && Boolean(url?.startsWith(`${baseUrl}/api/v1/`));
}

/**
 * Runs one browser test against a fresh app on a loopback port, signed in as the test
 * administrator unless `signedIn` is false. The test fails on any console error and on any
 * request to a host outside loopback (such requests are aborted), and saves a screenshot under
 * test-output/screenshots when it fails.
 */
export async function uiTest(t: Test, name: string, body: (ui: UiTest) => Promise<void>, options: { viewport?: { width: number; height: number }; signedIn?: boolean } = {}): Promise<void> {
  const app = await buildTestApp(t);
  await app.app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the test server has no TCP address');
  const baseUrl = `http://127.0.0.1:${address.port}`;

  const context = await (await sharedBrowser(t)).newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, acceptDownloads: true });
  t.teardown(() => context.close());

  const consoleErrors: string[] = [];
  const externalRequests: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (isLoopback(url)) return route.continue();
    externalRequests.push(url.href);
    return route.abort('blockedbyclient');
  });
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() === 'error' && !isHandledApiError(message.text(), message.location().url, baseUrl)) consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  };
  context.on('page', watch);

  // The login through the API sets the session and CSRF cookies of the whole browser context.
  if (options.signedIn !== false) {
    const login = await context.request.post(`${baseUrl}/api/v1/auth/login`, { data: testAdmin });
    if (!login.ok()) throw new Error(`the test administrator could not sign in: ${login.status()} ${await login.text()}`);
  }

  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const ui: UiTest = { app, baseUrl, page, context, openTab: () => context.newPage() };

  try {
    await body(ui);
  } catch (error) {
    await saveScreenshot(page, name);
    throw error;
  }

  t.same(consoleErrors, [], `${name}: no console errors`);
  t.same(externalRequests, [], `${name}: no requests outside loopback`);
  if (!t.passing()) await saveScreenshot(page, name);
}

async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
}

