import fs from 'node:fs';
import path from 'node:path';

import t, { type Test } from 'tap';

import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createAccount, createDevice, createProfile } from '../helpers/fixtures.js';

// Golden files: the exact bytes of a phone file per dialect and model family. After an
// intended change, regenerate them with UPDATE_GOLDEN=1 and review the diff.
const goldenDir = path.resolve('test/fixtures/golden');

async function account(app: TestApp, profileId: number, number: number) {
  return createAccount(app, profileId, { label: `${number}`, sipUserId: `${number}`, authId: `auth${number}`, authPassword: `pw-${number}`, displayName: `User ${number}` });
}

function compareGolden(t: Test, name: string, body: string): void {
  const file = path.join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, body);
  t.equal(body, fs.readFileSync(file, 'utf8'), `${name} matches the golden file`);
}

t.test('golden phone files', async (t) => {
  const app = await buildTestApp(t, { publicUrl: 'https://prov.example.net/htek/' });
  const main = await createProfile(app, { sipServer: 'pbx.example.net', sipPort: 5060, transport: 'udp' });
  const branch = await createProfile(app, { sipServer: 'branch.example.net', sipPort: 5061, transport: 'tls', outboundProxy: 'sbc.example.net:5061', dtmfMode: 'sip-info' });
  const accounts: { id: number }[] = [];
  for (let number = 201; number <= 208; number++) accounts.push(await account(app, number % 2 === 0 ? branch.id : main.id, number));
  const bind = (count: number) => accounts.slice(0, count).map((bound, index) => ({ line: index + 1, accountId: bound.id }));

  const cases: { name: string; device: Record<string, unknown> }[] = [
    { name: 'p-code-uc926.xml', device: { mac: '001fc1000926', model: 'UC926', lines: bind(4) } },
    { name: 'p-code-uc903-six-lines.xml', device: { mac: '001fc1000903', model: 'UC903', lines: bind(6) } },
    { name: 'p-code-uc862.xml', device: { mac: '001fc1000862', model: 'UC862', lines: bind(2) } },
    { name: 'p-code-uc912-no-lines.xml', device: { mac: '001fc1000912', model: 'UC912', lines: [] } },
    { name: 'named-uc926u.xml', device: { mac: '001fc1001926', model: 'UC926U', lines: bind(8) } },
    { name: 'named-uc924u.xml', device: { mac: '001fc1001924', model: 'UC924U', lines: bind(2) } },
    { name: 'named-uc926-override.xml', device: { mac: '001fc1002926', model: 'UC926', dialect: 'named', lines: bind(8) } },
  ];

  for (const { name, device } of cases) {
    await createDevice(app, { profileId: main.id, ...device });
    const first = await app.app.inject({ url: `/cfg${device.mac}.xml` });
    const second = await app.app.inject({ url: `/cfg${device.mac}.xml` });
    t.equal(first.statusCode, 200, `${name} is served`);
    t.equal(second.body, first.body, `${name} is byte-identical on a second fetch`);
    compareGolden(t, name, first.body);
  }
});

t.test('line bindings the format cannot carry', async (t) => {
  const app = await buildTestApp(t);
  const main = await createProfile(app);
  const other = await createProfile(app);
  const mainAccounts: { id: number }[] = [];
  for (let number = 301; number <= 306; number++) mainAccounts.push(await account(app, main.id, number));
  const otherAccount = await account(app, other.id, 399);
  const lines = mainAccounts.slice(0, 5).map((bound, index) => ({ line: index + 1, accountId: bound.id }));

  const unshared = await app.call('POST', '/api/v1/devices', { mac: '001fc1000101', model: 'UC926', profileId: main.id, lines: [...lines, { line: 6, accountId: otherAccount.id }] });
  t.equal(unshared.status, 400, 'line 6 with a profile on no line 1-4 is rejected');
  t.match(unshared.json.message, /line 6 cannot use profile \d+: the p-code format has codes for profile slots 1-4 only/);
  t.same(unshared.json.details.fields.map((field: { field: string }) => field.field), ['lines.5.accountId']);

  const tooHigh = await app.call('POST', '/api/v1/devices', { mac: '001fc1000102', model: 'UC926', profileId: main.id, lines: [{ line: 7, accountId: mainAccounts[0]?.id }] });
  t.equal(tooHigh.status, 400, 'line 7 has no known P-codes');
  t.match(tooHigh.json.message, /must be from 1 to 6/);

  const named = await app.call('POST', '/api/v1/devices', { mac: '001fc1000103', model: 'UC926', dialect: 'named', profileId: main.id, lines: [{ line: 7, accountId: otherAccount.id }] });
  t.equal(named.status, 201, 'the named dialect takes line 7 with its own profile slot');
  t.equal(named.json.dialect, 'named');

  const badDialect = await app.call('POST', '/api/v1/devices', { mac: '001fc1000104', model: 'UC926', dialect: 'xml', profileId: main.id });
  t.equal(badDialect.status, 400, 'an unknown dialect is rejected');
});

t.test('profile extra parameters', async (t) => {
  const app = await buildTestApp(t, { publicUrl: 'https://prov.example.net/htek/' });
  const extraParameters = {
    P8681: 'on-site',
    LogUser_Admin: 'admin',
    P35: 'not-the-account',
    Account1_Label: 'not-the-label',
    P2: 'x & <y>',
  };
  const profile = await createProfile(app, { sipServer: 'pbx.example.net', extraParameters });
  const bound = await account(app, profile.id, 501);
  const lines = [{ line: 1, accountId: bound.id }];

  const cases = [
    { name: 'p-code-uc926-extras.xml', mac: '001fc1005926', model: 'UC926' },
    { name: 'named-uc926u-extras.xml', mac: '001fc1006926', model: 'UC926U' },
  ];
  for (const { name, mac, model } of cases) {
    const device = await createDevice(app, { mac, model, profileId: profile.id, lines });
    const response = await app.app.inject({ url: `/cfg${mac}.xml` });
    t.equal(response.statusCode, 200, `${name} is served`);
    compareGolden(t, name, response.body);

    const preview = await app.call('GET', `/api/v1/devices/${device.id}/preview`);
    t.equal(preview.status, 200, `${name} has a preview`);
    t.ok(preview.json.warnings.some((warning: string) => /extra parameter P35 left out: the file already sets P35/.test(warning)), `${name}: P35 yields to the account's SIP user ID`);
    const elementWarning = model === 'UC926' ? /extra parameter LogUser_Admin left out: element names are written only in the named dialect/ : /extra parameter Account1_Label left out/;
    t.ok(preview.json.warnings.some((warning: string) => elementWarning.test(warning)), `${name}: the element-name key has its warning`);
  }

  const pCode = (await app.app.inject({ url: '/cfg001fc1005926.xml' })).body;
  t.match(pCode, '<P8681 para="">on-site</P8681>', 'a P-code key is written as a P-code element');
  t.match(pCode, '<P2 para="">x &amp; &lt;y&gt;</P2>', 'extra values are escaped');
  t.match(pCode, '<P35 para="Account1.SipUserId">501</P35>', 'the catalogue value of P35 is kept');
  t.notMatch(pCode, 'not-the-account', 'the extra P35 is left out');
  t.notMatch(pCode, 'LogUser_Admin', 'an element name is left out of a P-code file');
  t.ok(pCode.indexOf('<P2 para="">') < pCode.indexOf('<P8681 para="">'), 'extras are sorted by key');
  t.ok(pCode.indexOf('<P24012 ') < pCode.indexOf('<P2 para="">'), 'extras follow the catalogue parameters');

  const named = (await app.app.inject({ url: '/cfg001fc1006926.xml' })).body;
  t.match(named, '<LogUser_Admin>admin</LogUser_Admin>', 'an element name is written in the named dialect');
  t.match(named, '<P8681>on-site</P8681>', 'a P-code key becomes a P-code element in the named dialect');
  t.match(named, '<Account1_Label>501</Account1_Label>', 'the catalogue label is kept');
  t.notMatch(named, 'not-the-label', 'the extra Account1_Label is left out');
  t.notMatch(named, 'not-the-account', 'the extra P35 is left out of the named file too');
});
