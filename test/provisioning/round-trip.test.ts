import { XMLParser, XMLValidator } from 'fast-xml-parser';
import t, { type Test } from 'tap';

import { buildTestApp } from '../helpers/app.js';
import { accountBody, createAccount, createDevice, createProfile } from '../helpers/fixtures.js';

/** Text of exactly `length` code points (the unit of the API's maxLength), built from `pieces`. */
function fill(pieces: string, length: number): string {
  const source = Array.from(pieces);
  return Array.from({ length }, (_, index) => source[index % source.length]).join('');
}

const tricky = `&<>"'= éü 中文 😀`;

/** Parses a phone file strictly and returns the text of each element of `config` by name. */
function parseStrictly(t: Test, body: string): Map<string, string> {
  t.equal(XMLValidator.validate(body), true, 'file is well-formed XML');
  const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: false, processEntities: true, htmlEntities: false });
  const config = parser.parse(body).hl_provision.config as Record<string, unknown>;
  const values = new Map<string, string>();
  for (const [element, value] of Object.entries(config)) {
    const text = typeof value === 'object' && value !== null ? ((value as Record<string, unknown>)['#text'] ?? '') : value;
    values.set(element, String(text));
  }
  return values;
}

t.test('round trip of hard values', async (t) => {
  const app = await buildTestApp(t);
  const profile = await createProfile(app);
  const fields = {
    label: fill(tricky, 100),
    displayName: fill(tricky, 100),
    sipUserId: fill(tricky, 128),
    authId: fill(tricky, 128),
    authPassword: `x${fill(tricky, 126)}x`,
    voicemailUserId: fill(tricky, 128),
    dialPlan: fill(tricky, 1024),
    eventListBlfUrl: fill(tricky, 1024),
    directPickupCode: fill(tricky, 32),
    groupPickupCode: fill(tricky, 32),
  };
  const account = await createAccount(app, profile.id, fields);
  const pCodeDevice = '001fc1000a01';
  const namedDevice = '001fc1000a02';
  await createDevice(app, { mac: pCodeDevice, model: 'UC926', profileId: profile.id, lines: [{ line: 1, accountId: account.id }] });
  await createDevice(app, { mac: namedDevice, model: 'UC926U', profileId: profile.id, lines: [{ line: 1, accountId: account.id }] });

  const pCodes = { label: 'P20000', displayName: 'P3', sipUserId: 'P35', authId: 'P36', authPassword: 'P34', voicemailUserId: 'P33', dialPlan: 'P4200', eventListBlfUrl: 'P134', directPickupCode: 'P4705', groupPickupCode: 'P4706' };
  const elements = { label: 'Account1_Label', displayName: 'Account1_DispalyName', sipUserId: 'Account1_SipUserId', authId: 'Account1_AuthenticateID', authPassword: 'Account1_AuthenticatePassword', voicemailUserId: 'Account1_VoiceMailId', dialPlan: 'Account1_DialPlan', eventListBlfUrl: 'Account1_EventlistBlfUrl', directPickupCode: 'Account1_DirectCallPickupCode', groupPickupCode: 'Account1_GroupCallPickupCode' };

  for (const [mac, names] of [[pCodeDevice, pCodes], [namedDevice, elements]] as const) {
    const response = await app.app.inject({ url: `/cfg${mac}.xml` });
    t.equal(response.statusCode, 200);
    t.notOk(response.body.includes('&#'), 'no numeric character references');
    const values = parseStrictly(t, response.body);
    for (const [field, name] of Object.entries(names)) t.equal(values.get(name), fields[field as keyof typeof fields], `${name} keeps ${field}`);
  }

  await t.test('control characters are rejected at input', async (t) => {
    const base = (await createAccount(app, profile.id)).id;
    t.ok(base, 'a clean account is accepted');

    for (const [field, value] of [['label', 'a\u0001b'], ['displayName', 'line\nbreak'], ['sipUserId', 'tab\there'], ['authPassword', 'bell\u0007'], ['dialPlan', 'x\u001f']] as const) {
      const { status, json } = await app.call('POST', '/api/v1/accounts', { ...accountBody(profile.id), [field]: value });
      t.equal(status, 400, `${field} with a control character is rejected`);
      t.match(JSON.stringify(json?.details?.fields ?? []), field, `the error names ${field}`);
    }
  });
});
