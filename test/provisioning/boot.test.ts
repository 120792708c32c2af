import { XMLParser, XMLValidator } from 'fast-xml-parser';
import t from 'tap';

import { buildTestApp } from '../helpers/app.js';
import { testBackend } from '../helpers/database.js';
import { createAccount, createDevice, createProfile } from '../helpers/fixtures.js';

const mac = '001fc110d3a9';
const userAgent = 'Htek UC926 2.0.4.2 00:1f:c1:10:d3:a9';

/** Parses a phone file strictly and returns each P-code element's text by code. */
function parsePCodes(body: string): Map<string, string> {
  t.equal(XMLValidator.validate(body), true, 'file is well-formed XML');
  const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: false, processEntities: true, htmlEntities: false });
  const document = parser.parse(body);
  const config = document.hl_provision.config;
  const values = new Map<string, string>();
  for (const [element, value] of Object.entries(config)) {
    if (!element.startsWith('P')) continue;
    const text = typeof value === 'object' && value !== null ? ((value as Record<string, unknown>)['#text'] ?? '') : value;
    values.set(element, String(text));
  }
  return values;
}

t.test(`UC926 boot sequence on ${testBackend}`, async (t) => {
  const app = await buildTestApp(t);
  const profile = await createProfile(app, { sipServer: 'pbx.example.net', sipPort: 5070, transport: 'tcp' });
  const account = await createAccount(app, profile.id, { authPassword: `p=a&b<c>"d'e` });
  await createDevice(app, { mac: '00:1F:C1:10:D3:A9', model: 'UC926', profileId: profile.id, lines: [{ line: 1, accountId: account.id }] });

  const headers = { 'user-agent': userAgent };
  const modelFile = await app.app.inject({ url: '/cfg0010.xml', headers });
  const binaryFile = await app.app.inject({ url: `/cfg${mac}`, headers });
  const deviceFile = await app.app.inject({ url: `/cfg${mac}.xml`, headers });

  t.equal(modelFile.statusCode, 404, 'cfg0010.xml is not served');
  t.notMatch(modelFile.headers['content-type'], /html/, 'no HTML for cfg0010.xml');
  t.equal(binaryFile.statusCode, 404, 'cfg<mac> is not served');
  t.equal(deviceFile.statusCode, 200, 'cfg<mac>.xml is served');
  t.match(deviceFile.headers['content-type'], /^application\/xml/);
  t.equal(deviceFile.headers['cache-control'], 'no-store');

  const values = parsePCodes(deviceFile.body);
  const expected: Record<string, string> = {
    P271: '1',
    P24082: '0',
    P20000: account.label,
    P3: 'Alice Example',
    P35: account.sipUserId,
    P36: account.authId,
    P34: `p=a&b<c>"d'e`,
    P4705: '**',
    P4706: '*8',
    P8633: '0',
    P33: '*97',
    P4200: '{[x*]+}',
    P134: 'sip:blf-201@pbx.example.net',
    P40: '5062',
    P78: '0',
    P47: 'pbx.example.net:5070',
    P130: '1',
    P237: 'http://localhost:80/',
    P194: '1',
    P24012: '1',
  };
  for (const [code, value] of Object.entries(expected)) t.equal(values.get(code), value, `${code} carries ${value}`);
  t.notOk(deviceFile.body.includes('4711'), 'the PIN stays on the server');
  t.notOk(deviceFile.body.includes('&#'), 'no numeric character references');
});

t.test('fetch is recorded on the device', async (t) => {
  const app = await buildTestApp(t);
  const profile = await createProfile(app);
  const device = await createDevice(app, { mac, model: 'UC926', profileId: profile.id, lines: [] });

  await app.app.inject({ url: `/cfg${mac.toUpperCase()}.xml`, headers: { 'user-agent': userAgent }, remoteAddress: '127.0.0.9' });

  // The record is written after the response; wait for it briefly.
  let seen: any;
  for (let attempt = 0; attempt < 50 && !seen?.lastSeenAt; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    seen = (await app.call('GET', `/api/v1/devices/${device.id}`)).json;
  }
  t.ok(seen.lastSeenAt, 'last seen time is set');
  t.equal(seen.lastAddress, '127.0.0.9');
  t.equal(seen.reportedModel, 'UC926');
  t.equal(seen.firmware, '2.0.4.2');
});

t.test('other phone file names get 404', async (t) => {
  const app = await buildTestApp(t);
  for (const url of ['/cfg0012.xml', `/cfg${mac}`, `/${mac}.cfg`, '/factory0001.bin', '/cfg001fc1000000.xml', '/anything.txt']) {
    const response = await app.app.inject({ url });
    t.equal(response.statusCode, 404, `${url} is 404`);
    t.match(response.headers['content-type'], /^text\/plain/, `${url} answers plain text`);
  }
});

t.test('HEAD answers like GET without a body', async (t) => {
  const app = await buildTestApp(t);
  const profile = await createProfile(app);
  await createDevice(app, { mac, model: 'UC926', profileId: profile.id });

  const response = await app.app.inject({ method: 'HEAD', url: `/cfg${mac}.xml` });
  t.equal(response.statusCode, 200);
  t.equal(response.body, '');
});
