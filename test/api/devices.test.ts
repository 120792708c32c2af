import t from 'tap';

import { buildTestApp } from '../helpers/app.js';
import { testBackend } from '../helpers/database.js';
import { createAccount, createDevice, createProfile } from '../helpers/fixtures.js';

// One app and database for the whole file: starting an embedded database takes seconds.
const app = await buildTestApp(t);

type Problem = { field: string; value?: unknown; message: string };

function problemOf(json: { details?: { fields?: Problem[] } }, field: string): Problem | undefined {
  return json.details?.fields?.find((problem) => problem.field === field);
}

t.test(`MAC notations on ${testBackend}`, async (t) => {
  const profile = await createProfile(app);
  const notations = ['00:1F:C1:10:D3:A1', '00-1f-c1-10-d3-a2', '001f.c110.d3a3', '001FC110D3A4', '  00:1f:c1:10:d3:a5\t', 'aA-bB-cC-dD-eE-fF'];
  const expected = ['001fc110d3a1', '001fc110d3a2', '001fc110d3a3', '001fc110d3a4', '001fc110d3a5', 'aabbccddeeff'];

  for (const [index, mac] of notations.entries()) {
    const { status, json } = await app.call('POST', '/api/v1/devices', { mac, model: 'UC926', profileId: profile.id });
    t.equal(status, 201, `${JSON.stringify(mac)} is accepted`);
    t.equal(json.mac, expected[index], `${JSON.stringify(mac)} is stored as ${expected[index]}`);
  }

  const duplicate = await app.call('POST', '/api/v1/devices', { mac: '00:1f:c1:10:d3:a1', model: 'UC902', profileId: profile.id });
  t.equal(duplicate.status, 400, 'the same MAC in another notation is a duplicate');
  t.match(problemOf(duplicate.json, 'mac')?.message, /already device/);
});

t.test('duplicate MAC says what to do', async (t) => {
  const profile = await createProfile(app);
  const first = await createDevice(app, { mac: '00:1f:c1:10:e0:01', model: 'UC926', profileId: profile.id });

  const duplicate = await app.call('POST', '/api/v1/devices', { mac: '001fc110e001', model: 'UC926', profileId: profile.id });
  t.equal(duplicate.status, 400);
  t.equal(problemOf(duplicate.json, 'mac')?.message, `is already device ${first.id}; edit device ${first.id} or delete it first`);
});

t.test('reserved and multicast MACs are rejected', async (t) => {
  const profile = await createProfile(app);
  const cases: [string, RegExp][] = [
    ['ff:ff:ff:ff:ff:ff', /ff:ff:ff:ff:ff:ff is the broadcast address/],
    ['FFFFFFFFFFFF', /broadcast address/],
    ['00:00:00:00:00:00', /00:00:00:00:00:00 is the all-zero address/],
    ['01:00:5e:00:00:fb', /01:00:5e:00:00:fb is a multicast address/],
    ['33-33-00-00-00-01', /multicast address/],
  ];
  for (const [mac, message] of cases) {
    const { status, json } = await app.call('POST', '/api/v1/devices', { mac, model: 'UC926', profileId: profile.id });
    t.equal(status, 400, `${mac} is rejected`);
    t.equal(problemOf(json, 'mac')?.value, mac, `${mac} problem has the value`);
    t.match(problemOf(json, 'mac')?.message, message, `${mac} message says why`);
  }

  const device = await createDevice(app, { mac: '02:1f:c1:10:e0:02', model: 'UC926', profileId: profile.id });
  t.equal(device.mac, '021fc110e002', 'a locally administered unicast MAC is accepted');
  const patched = await app.call('PATCH', `/api/v1/devices/${device.id}`, { mac: 'ff:ff:ff:ff:ff:ff' });
  t.equal(patched.status, 400, 'PATCH rejects a broadcast MAC too');
});

t.test('invalid MAC messages', async (t) => {
  const profile = await createProfile(app);

  for (const fileName of ['cfg001fc110d3a9.xml', 'cfg001fc1xxxxxx.xml', 'CFG001FC110D3A9', '001fc110d3a9.cfg']) {
    const { status, json } = await app.call('POST', '/api/v1/devices', { mac: fileName, model: 'UC926', profileId: profile.id });
    t.equal(status, 400, `${fileName} is rejected`);
    t.match(problemOf(json, 'mac')?.message, /file name, not a MAC.*00:1f:c1:10:d3:a9/, `${fileName} is named a file name and the form is shown`);
  }
  for (const mac of ['00:1f:c1:10:d3', '00:1f-c1:10:d3:a9', '001fc110d3a9x', 'zz1fc110d3a9', '00 1f c1 10 d3 a9']) {
    const { status, json } = await app.call('POST', '/api/v1/devices', { mac, model: 'UC926', profileId: profile.id });
    t.equal(status, 400, `${mac} is rejected`);
    t.match(problemOf(json, 'mac')?.message, /expected 12 hex digits such as 00:1f:c1:10:d3:a9/);
    t.equal(problemOf(json, 'mac')?.value, mac);
  }
});

t.test('model list', async (t) => {

  const { status, json } = await app.call('GET', '/api/v1/models');
  t.equal(status, 200);
  const byName = new Map(json.items.map((model: { name: string }) => [model.name, model]));
  for (const name of ['UC902', 'UC903', 'UC912', 'UC923', 'UC924', 'UC926', 'UC924U', 'UC926U', 'UC802', 'UC862']) {
    t.ok(byName.has(name), `${name} is listed`);
  }
  t.match(byName.get('UC926'), { deviceCode: '0010', lineCount: 16 });
  t.match(byName.get('UC924'), { deviceCode: '0012', lineCount: 12 });
  for (const model of json.items) {
    t.ok(model.writableLines >= 1 && model.writableLines <= model.lineCount, `${model.name} writes 1..${model.lineCount} lines`);
  }
});

t.test('device model and lines', async (t) => {
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id);
  const other = await createAccount(app, profile.id);
  const models = (await app.call('GET', '/api/v1/models')).json.items;
  const uc926 = models.find((model: { name: string }) => model.name === 'UC926');

  const lowerCase = await createDevice(app, { mac: '001fc1000201', model: 'uc926', profileId: profile.id });
  t.equal(lowerCase.model, 'UC926', 'model names are stored in canonical case');

  const unknown = await app.call('POST', '/api/v1/devices', { mac: '001fc1000202', model: 'UC999', profileId: profile.id });
  t.match(problemOf(unknown.json, 'model')?.message, /UC902.*UC926/, 'an unknown model lists the supported ones');

  const tooHigh = await app.call('POST', '/api/v1/devices', {
    mac: '001fc1000203',
    model: 'UC926',
    profileId: 4040,
    lines: [
      { line: uc926.writableLines + 1, accountId: account.id },
      { line: 1, accountId: account.id },
      { line: 1, accountId: other.id },
      { line: 2, accountId: 5050 },
    ],
  });
  t.equal(tooHigh.status, 400);
  t.match(problemOf(tooHigh.json, 'lines.0.line')?.message, new RegExp(`from 1 to ${uc926.writableLines}`));
  t.match(problemOf(tooHigh.json, 'lines.2.line')?.message, /bound twice/);
  t.match(problemOf(tooHigh.json, 'lines.3.accountId')?.message, /not an existing account/);
  t.ok(problemOf(tooHigh.json, 'profileId'), 'the missing profile is reported with the lines');

  const zero = await app.call('POST', '/api/v1/devices', { mac: '001fc1000204', model: 'UC902', profileId: profile.id, lines: [{ line: 0, accountId: account.id }] });
  t.equal(zero.status, 400, 'line 0 is rejected');

  const wide = await createDevice(app, {
    mac: '001fc1000205',
    model: 'UC926',
    profileId: profile.id,
    lines: [
      { line: 1, accountId: account.id },
      { line: uc926.writableLines, accountId: other.id },
    ],
  });
  const shrink = await app.call('PATCH', `/api/v1/devices/${wide.id}`, { model: 'UC802' });
  t.equal(shrink.status, 400, 'a model with fewer lines than the bound ones is rejected');
  t.match(problemOf(shrink.json, 'lines.1.line')?.message, /UC802 has 2 lines/);
  const kept = await app.call('GET', `/api/v1/devices/${wide.id}`);
  t.equal(kept.json.model, 'UC926', 'the rejected model change changed nothing');

  const moved = await app.call('PATCH', `/api/v1/devices/${wide.id}`, { model: 'UC802', lines: [{ line: 2, accountId: other.id }] });
  t.equal(moved.status, 200, 'a model change with lines that fit is accepted');
  t.same(moved.json.lines, [{ line: 2, accountId: other.id, accountName: other.name }]);
});

t.test('device read, delete and missing', async (t) => {
  const profile = await createProfile(app);
  const device = await createDevice(app, { mac: '001fc1000301', model: 'UC903', profileId: profile.id, description: '  Lobby  ' });
  t.equal(device.description, 'Lobby');
  t.equal(device.lastSeenAt, null);

  const deleted = await app.call('DELETE', `/api/v1/devices/${device.id}`);
  t.equal(deleted.status, 204);
  const again = await app.call('DELETE', `/api/v1/devices/${device.id}`);
  t.equal(again.status, 404);
  t.equal(again.json.code, 'device_not_found');
});
