import { existsSync } from 'node:fs';
import path from 'node:path';

import t from 'tap';

import { vendorFiles } from '../../src/web/web-routes.js';
import { buildTestApp } from '../helpers/app.js';

t.test('root redirects to the UI', async (t) => {
  const { app } = await buildTestApp(t);
  const response = await app.inject({ url: '/' });
  t.equal(response.statusCode, 302);
  t.equal(response.headers.location, '/ui/');
});

t.test('UI index and assets are served', async (t) => {
  const { app } = await buildTestApp(t);
  const index = await app.inject({ url: '/ui/' });
  t.equal(index.statusCode, 200);
  t.match(index.headers['content-type'], /^text\/html/);
  t.match(index.body, /<script type="importmap">/);

  for (const asset of ['/ui/app.js', '/ui/styles.css', '/ui/favicon.svg']) {
    t.equal((await app.inject({ url: asset })).statusCode, 200, `${asset} is served`);
  }
});

t.test('import map targets are allowed vendor files', async (t) => {
  const { app } = await buildTestApp(t);
  const index = await app.inject({ url: '/ui/' });
  const targets = [...index.body.matchAll(/"(\/ui\/vendor\/[^"]+)"/g)].map((match) => match[1] as string);
  t.equal(targets.length, 4, 'four import map entries');

  for (const target of targets) {
    t.ok(vendorFiles.has(target.replace('/ui/vendor', '')), `${target} is on the allow-list`);
    const response = await app.inject({ url: target });
    t.equal(response.statusCode, 200, `${target} is served`);
    t.match(response.headers['content-type'], /javascript/, `${target} is JavaScript`);
  }
  for (const file of vendorFiles) t.ok(existsSync(path.join('node_modules', file)), `${file} exists in node_modules`);
});

t.test('other node_modules files are not served', async (t) => {
  const { app } = await buildTestApp(t);
  for (const url of ['/ui/vendor/preact/package.json', '/ui/vendor/pg/lib/index.js', '/ui/vendor/../package.json', '/ui/vendor/%2e%2e/package.json', '/ui/vendor/']) {
    const response = await app.inject({ url });
    t.equal(response.statusCode, 404, `${url} answers 404`);
  }
});

t.test('phone files still reach the phone route', async (t) => {
  const { app } = await buildTestApp(t);
  const response = await app.inject({ url: '/cfg001fc1000099.xml' });
  t.equal(response.statusCode, 404);
  t.match(response.headers['content-type'], /^text\/plain/);
});
