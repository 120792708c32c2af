import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import t from 'tap';

import { buildApp } from '../../src/app.js';
import { buildTestApp } from '../helpers/app.js';
import { createAccount, createDevice, createProfile } from '../helpers/fixtures.js';
import { createTestLogger } from '../helpers/logger.js';

const mac = '001fc110d3a9';
const userAgent = 'Htek UC926 2.0.4.2 00:1f:c1:10:d3:a9';

/** Polls until `check` returns a value, because phone requests are recorded after the response. */
async function eventually<T>(check: () => Promise<T | undefined>): Promise<T | undefined> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return undefined;
}

t.test('phone requests', async (t) => {
  const app = await buildTestApp(t, { publicUrl: 'http://prov.example.net/' });
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id);
  const device = await createDevice(app, { mac, model: 'UC926', profileId: profile.id, lines: [{ line: 1, accountId: account.id }] });
  const fetchFile = (headers: Record<string, string> = {}) => app.app.inject({ url: `/cfg${mac}.xml`, headers: { 'user-agent': userAgent, ...headers } });

  await t.test('ETag and 304', async (t) => {
    const first = await fetchFile();
    const second = await fetchFile();
    t.equal(first.statusCode, 200);
    t.equal(first.headers['cache-control'], 'no-store');
    t.ok(first.headers.etag, 'ETag is sent');
    t.equal(second.body, first.body, 'same data gives the same bytes');
    t.equal(second.headers.etag, first.headers.etag, 'same data gives the same ETag');

    const cached = await fetchFile({ 'if-none-match': String(first.headers.etag) });
    t.equal(cached.statusCode, 304);
    t.equal(cached.body, '');
    t.equal(cached.headers['cache-control'], 'no-store');

    const stale = await fetchFile({ 'if-none-match': '"something-else"' });
    t.equal(stale.statusCode, 200, 'a different ETag gets the file');
  });

  await t.test('ETag changes with every input', async (t) => {
    const etag = async () => String((await fetchFile()).headers.etag);
    const seen = new Set([await etag()]);
    const expectChanged = async (what: string) => {
      const next = await etag();
      t.notOk(seen.has(next), `ETag changes when ${what} changes`);
      seen.add(next);
    };

    const current = (await app.call('GET', `/api/v1/devices/${device.id}`)).json;
    t.equal((await app.call('PATCH', `/api/v1/devices/${device.id}`, { description: 'desk 12', version: current.version })).status, 200);
    await expectChanged('the device (description only)');

    const accountNow = (await app.call('GET', `/api/v1/accounts/${account.id}`)).json;
    t.equal((await app.call('PATCH', `/api/v1/accounts/${account.id}`, { label: '202', version: accountNow.version })).status, 200);
    await expectChanged('a bound account');

    const profileNow = (await app.call('GET', `/api/v1/profiles/${profile.id}`)).json;
    t.equal((await app.call('PATCH', `/api/v1/profiles/${profile.id}`, { sipPort: 5070, version: profileNow.version })).status, 200);
    await expectChanged('an involved profile');

    const { logger } = createTestLogger('phone-requests-second-app');
    const otherUrl = await buildApp({ config: { publicUrl: 'https://other.example.net/', templatesDir: undefined }, db: app.database.db, logger });
    t.teardown(() => otherUrl.close());
    const withOtherUrl = await otherUrl.inject({ url: `/cfg${mac}.xml` });
    t.notOk(seen.has(String(withOtherUrl.headers.etag)), 'ETag changes when the public URL changes');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htek-templates-'));
    t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, 'p-code-extra.hbs'), '');
    const otherTemplates = await buildApp({ config: { publicUrl: 'http://prov.example.net/', templatesDir: dir }, db: app.database.db, logger });
    t.teardown(() => otherTemplates.close());
    const withOtherTemplate = await otherTemplates.inject({ url: `/cfg${mac}.xml` });
    t.equal(withOtherTemplate.body, (await fetchFile()).body, 'the empty override leaves the bytes alike');
    t.notOk(seen.has(String(withOtherTemplate.headers.etag)), 'ETag changes when a template changes');
  });

  await t.test('User-Agent MAC mismatch is rejected and logged', async (t) => {
    const response = await fetchFile({ 'user-agent': 'Htek UC926 2.0.4.2 00:1f:c1:99:99:99' });
    t.equal(response.statusCode, 403);
    t.notMatch(response.body, /hl_provision/, 'no file in the answer');

    const log = fs.readFileSync(app.logFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
    const event = log.find((entry) => entry.event === 'security' && entry.mac === mac);
    t.ok(event, 'a security event is logged');
    t.equal(event?.userAgentMac, '001fc1999999');
    t.equal(event?.level, 40, 'at warn level');
  });

  await t.test('missing or foreign User-Agent is accepted', async (t) => {
    const missing = await app.app.inject({ url: `/cfg${mac}.xml` });
    const foreign = await app.app.inject({ url: `/cfg${mac}.xml`, headers: { 'user-agent': 'curl/8.5.0' } });
    t.equal(missing.statusCode, 200);
    t.equal(foreign.statusCode, 200);
  });

  await t.test('request history', async (t) => {
    await app.app.inject({ url: `/cfg${mac}`, headers: { 'user-agent': userAgent } });
    const history = await eventually(async () => {
      const { json } = await app.call('GET', `/api/v1/devices/${device.id}/requests`);
      return json.items.some((item: { fileName: string }) => item.fileName === `cfg${mac}`) ? json.items : undefined;
    });
    t.ok(history, 'the binary-file request is in the history');
    t.equal(history[0].fileName, `cfg${mac}`, 'newest first');
    t.equal(history[0].statusCode, 404);
    t.match(history[0].reason, /binary/);

    const statuses = new Set(history.map((item: { statusCode: number }) => item.statusCode));
    for (const status of [200, 304, 403]) t.ok(statuses.has(status), `status ${status} is recorded`);
    const rejected = history.find((item: { statusCode: number }) => item.statusCode === 403);
    t.match(rejected.reason, /User-Agent MAC 001fc1999999 differs/);

    t.equal((await app.call('GET', '/api/v1/devices/999999/requests')).status, 404, 'unknown device is 404');
  });
});

t.test('request history is bounded', async (t) => {
  const { logger } = createTestLogger('phone-requests-bounded');
  const app = await buildTestApp(t);
  const small = await buildApp({ config: { publicUrl: undefined, templatesDir: undefined, requestHistoryLimit: 3, discoveredDeviceLimit: 2 }, db: app.database.db, logger });
  t.teardown(() => small.close());
  const profile = await createProfile(app);
  const device = await createDevice(app, { mac, model: 'UC926', profileId: profile.id });

  for (let index = 0; index < 6; index++) await small.inject({ url: `/cfg${mac}.xml`, headers: { 'user-agent': `probe-${index}` } });
  const history = await eventually(async () => {
    const { json } = await app.call('GET', `/api/v1/devices/${device.id}/requests`);
    return json.items[0]?.userAgent === 'probe-5' && json.items.length <= 3 ? json.items : undefined;
  });
  t.ok(history, 'the last request is recorded and older ones are trimmed within 2 s');
  t.equal(history?.length, 3, 'only the last 3 are kept');
  t.same(history?.map((item: { userAgent: string }) => item.userAgent), ['probe-5', 'probe-4', 'probe-3']);

  await t.test('discovered devices are bounded', async (t) => {
    const macs = ['001fc1000001', '001fc1000002', '001fc1000003'];
    for (const unknown of macs) {
      await small.inject({ url: `/cfg${unknown}.xml` });
      await eventually(async () => ((await app.call('GET', '/api/v1/discovered-devices')).json.items.some((item: { mac: string }) => item.mac === unknown) ? true : undefined));
    }
    const items = await eventually(async () => {
      const { json } = await app.call('GET', '/api/v1/discovered-devices');
      return json.items.length <= 2 ? json.items : undefined;
    });
    t.same(items?.map((item: { mac: string }) => item.mac), ['001fc1000003', '001fc1000002'], 'the oldest entry was dropped');
  });
});

t.test('discovered devices', async (t) => {
  const app = await buildTestApp(t);
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id);
  const unknown = '001fc1abcdef';
  const uaOf = (version: string) => `Htek UC924 ${version} 00:1f:c1:ab:cd:ef`;

  const first = await app.app.inject({ url: `/cfg${unknown}.xml`, headers: { 'user-agent': uaOf('2.0.4.2') }, remoteAddress: '127.0.0.21' });
  t.equal(first.statusCode, 404, 'an unknown MAC gets 404');
  await eventually(async () => ((await app.call('GET', '/api/v1/discovered-devices')).json.total === 1 ? true : undefined));
  await app.app.inject({ url: `/cfg${unknown}.xml`, headers: { 'user-agent': uaOf('2.0.4.6') }, remoteAddress: '127.0.0.22' });

  const entry = await eventually(async () => {
    const { json } = await app.call('GET', '/api/v1/discovered-devices');
    return json.items[0]?.requestCount === 2 ? json.items[0] : undefined;
  });
  t.ok(entry, 'the second request is counted');
  t.equal(entry.mac, unknown);
  t.equal(entry.lastAddress, '127.0.0.22');
  t.equal(entry.reportedModel, 'UC924');
  t.equal(entry.firmware, '2.0.4.6');
  t.ok(Date.parse(entry.firstSeenAt) <= Date.parse(entry.lastSeenAt), 'first seen is not after last seen');

  const noProfile = await app.call('POST', `/api/v1/discovered-devices/${unknown}/adopt`, {});
  t.equal(noProfile.status, 400, 'profileId is required');
  const badMac = await app.call('POST', '/api/v1/discovered-devices/not-a-mac/adopt', { profileId: profile.id });
  t.equal(badMac.status, 400);
  t.match(badMac.json.message, /not a MAC/);
  const notDiscovered = await app.call('POST', '/api/v1/discovered-devices/001fc1000009/adopt', { profileId: profile.id });
  t.equal(notDiscovered.status, 404);

  const adopted = await app.call('POST', `/api/v1/discovered-devices/00:1F:C1:AB:CD:EF/adopt`, { profileId: profile.id, lines: [{ line: 1, accountId: account.id }] });
  t.equal(adopted.status, 201, JSON.stringify(adopted.json));
  t.equal(adopted.json.mac, unknown);
  t.equal(adopted.json.model, 'UC924', 'model comes from the User-Agent');
  t.same(adopted.json.lines.map((line: { accountId: number }) => line.accountId), [account.id]);
  t.equal((await app.call('GET', '/api/v1/discovered-devices')).json.total, 0, 'the adopted phone leaves the list');

  const served = await app.app.inject({ url: `/cfg${unknown}.xml`, headers: { 'user-agent': uaOf('2.0.4.6') } });
  t.equal(served.statusCode, 200, 'the adopted phone gets its file');

  await app.app.inject({ url: '/cfg001fc1aaaaaa.xml' });
  await eventually(async () => ((await app.call('GET', '/api/v1/discovered-devices')).json.total === 1 ? true : undefined));
  const withoutModel = await app.call('POST', '/api/v1/discovered-devices/001fc1aaaaaa/adopt', { profileId: profile.id });
  t.equal(withoutModel.status, 400, 'no reported model and none sent');
  t.match(withoutModel.json.message, /model: is required/);
  const withModel = await app.call('POST', '/api/v1/discovered-devices/001fc1aaaaaa/adopt', { profileId: profile.id, model: 'UC926U' });
  t.equal(withModel.status, 201);
  t.equal(withModel.json.model, 'UC926U');
});
