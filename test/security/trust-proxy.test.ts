import t from 'tap';

import { loadConfig } from '../../src/config.js';
import { accountBody, profileBody } from '../helpers/fixtures.js';
import { buildSecureApp, type SecureTestApp } from './security-app.js';

const mac = '001fc1b00001';

async function addDevice(app: SecureTestApp) {
  await app.addUser('root', 'Administrator');
  const profile = await app.call('POST', '/api/v1/profiles', { as: 'root', body: profileBody() });
  const account = await app.call('POST', '/api/v1/accounts', { as: 'root', body: accountBody(profile.json.id) });
  await app.call('POST', '/api/v1/devices', { as: 'root', body: { mac, model: 'UC926', profileId: profile.json.id, lines: [{ line: 1, accountId: account.json.id }] } });
}

function fetchVia(app: SecureTestApp, remoteAddress: string, forwardedFor: string) {
  return app.call('GET', `/cfg${mac}.xml`, { remoteAddress, headers: { 'x-forwarded-for': forwardedFor } });
}

t.test('X-Forwarded-For from a configured proxy', async (t) => {
  const { trustProxy } = loadConfig({ HTEK_DMS_TRUST_PROXY: '10.9.9.9' });
  const app = await buildSecureApp(t, { trustProxy });
  await addDevice(app);

  const internetClient = await fetchVia(app, '10.9.9.9', '203.0.113.7');
  t.equal(internetClient.status, 401, 'the proxy forwarding an internet client gets 401 without credentials');

  const lanClient = await fetchVia(app, '10.9.9.9', '192.168.1.20');
  t.equal(lanClient.status, 200, 'the proxy forwarding a LAN client is served');
});

t.test('X-Forwarded-For from others is ignored', async (t) => {
  const { trustProxy } = loadConfig({ HTEK_DMS_TRUST_PROXY: '10.9.9.9' });
  const app = await buildSecureApp(t, { trustProxy });
  await addDevice(app);

  const spoofed = await fetchVia(app, '203.0.113.7', '192.168.1.20');
  t.equal(spoofed.status, 401, 'an internet client claiming a LAN address gets 401');
});

t.test('X-Forwarded-For without a proxy setting is ignored', async (t) => {
  const app = await buildSecureApp(t, { trustProxy: loadConfig({}).trustProxy });
  await addDevice(app);

  const spoofed = await fetchVia(app, '203.0.113.7', '127.0.0.1');
  t.equal(spoofed.status, 401, 'a client claiming loopback gets 401');

  const proxied = await fetchVia(app, '10.9.9.9', '203.0.113.7');
  t.equal(proxied.status, 200, 'the connecting LAN address decides, not the header');
});
