import t from 'tap';

import { maskSecrets } from '../../src/provisioning/preview-routes.js';
import { buildTestApp } from '../helpers/app.js';
import { testBackend } from '../helpers/database.js';
import { createAccount, createDevice, createProfile } from '../helpers/fixtures.js';

t.test(`preview masks passwords on ${testBackend}`, async (t) => {
  const app = await buildTestApp(t);
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id, { authPassword: 'p&ss<word>' });
  const device = await createDevice(app, { mac: '001fc1000010', model: 'UC926', profileId: profile.id, lines: [{ line: 1, accountId: account.id }] });

  const { status, json } = await app.call('GET', `/api/v1/devices/${device.id}/preview`);
  t.equal(status, 200);
  t.equal(json.fileName, 'cfg001fc1000010.xml');
  t.match(json.body, /<P34 para="Account1.AuthenticatePassword">\*{8}<\/P34>/, 'P34 is masked');
  t.notMatch(json.body, /p&amp;ss/, 'the escaped password is absent');
  t.match(json.body, new RegExp(`<P35 para="Account1.SipUserId">${account.sipUserId}</P35>`), 'other values stay');
});

t.test('preview of named dialect', async (t) => {
  const app = await buildTestApp(t);
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id, { authPassword: 'named-secret' });
  const device = await createDevice(app, { mac: '001fc1000011', model: 'UC926U', profileId: profile.id, lines: [{ line: 1, accountId: account.id }] });

  const { json } = await app.call('GET', `/api/v1/devices/${device.id}/preview`);
  t.notMatch(json.body, /named-secret/, 'password absent');
  t.match(json.body, /<Account1_AuthenticatePassword>\*{8}<\/Account1_AuthenticatePassword>/, 'element is masked');
});

t.test('preview of unknown device is 404', async (t) => {
  const app = await buildTestApp(t);
  const { status, json } = await app.call('GET', '/api/v1/devices/999/preview');
  t.equal(status, 404);
  t.equal(json.code, 'device_not_found');
});

t.test('maskSecrets keeps empty values empty', async (t) => {
  t.equal(maskSecrets('<P734 para="Account2.AuthenticatePassword"></P734>'), '<P734 para="Account2.AuthenticatePassword"></P734>');
  t.equal(maskSecrets('<P34 para="Account1.AuthenticatePassword">x</P34>'), '<P34 para="Account1.AuthenticatePassword">********</P34>');
});
