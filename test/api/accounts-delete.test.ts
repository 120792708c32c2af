import t from 'tap';

import { buildTestApp, type TestApp } from '../helpers/app.js';
import { testBackend } from '../helpers/database.js';
import { createAccount, createDevice, createProfile } from '../helpers/fixtures.js';

// One app and database for the whole file: starting an embedded database takes seconds.
const app = await buildTestApp(t);

async function countAccounts(app: TestApp, profileId: number): Promise<number> {
  const { json } = await app.call('GET', `/api/v1/accounts?profileId=${profileId}`);
  return json.total;
}

t.test(`delete one account on ${testBackend}`, async (t) => {
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id);

  const deleted = await app.call('DELETE', `/api/v1/accounts/${account.id}`);
  t.equal(deleted.status, 204);
  t.equal(deleted.response.body, '');

  const again = await app.call('DELETE', `/api/v1/accounts/${account.id}`);
  t.equal(again.status, 404);
  t.equal(again.json.code, 'account_not_found');
});

t.test('bulk delete all or nothing', async (t) => {
  const profile = await createProfile(app);
  const first = await createAccount(app, profile.id);
  const second = await createAccount(app, profile.id);
  const third = await createAccount(app, profile.id);

  const missing = await app.call('POST', '/api/v1/accounts/delete', { ids: [first.id, 9001, second.id, 9002] });
  t.equal(missing.status, 404);
  t.equal(missing.json.code, 'account_not_found');
  t.same(missing.json.details.missingIds, [9001, 9002], 'names every missing id');
  t.match(missing.json.message, /9001, 9002/);
  t.equal(await countAccounts(app, profile.id), 3, 'nothing was deleted');

  const done = await app.call('POST', '/api/v1/accounts/delete', { ids: [first.id, second.id, first.id] });
  t.equal(done.status, 200);
  t.same(done.json, { deleted: 2, unboundLines: 0 }, 'a repeated id counts once');
  t.equal(await countAccounts(app, profile.id), 1);

  const rest = await app.call('GET', `/api/v1/accounts/${third.id}`);
  t.equal(rest.status, 200, 'the account not named is kept');

  const empty = await app.call('POST', '/api/v1/accounts/delete', { ids: [] });
  t.equal(empty.status, 400, 'an empty id list is rejected');
  t.equal(empty.json.details.fields[0].field, 'ids');
});

t.test('allocated account delete conflict', async (t) => {
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id);
  const free = await createAccount(app, profile.id);
  const desk = await createDevice(app, { mac: '00:1f:c1:00:00:0a', model: 'UC926', profileId: profile.id, lines: [{ line: 2, accountId: account.id }] });
  const lobby = await createDevice(app, { mac: '001fc100000b', model: 'UC902', profileId: profile.id, lines: [{ line: 1, accountId: account.id }] });

  const read = await app.call('GET', `/api/v1/accounts/${account.id}`);
  t.equal(read.json.assignStatus, 'allocated', 'on a line means allocated');

  const refused = await app.call('DELETE', `/api/v1/accounts/${account.id}`);
  t.equal(refused.status, 409);
  t.equal(refused.json.code, 'account_allocated');
  t.match(refused.json.message, /001fc100000a/, 'the message names the first device');
  t.match(refused.json.message, /001fc100000b/, 'the message names the second device');
  t.match(refused.json.message, /unbind=true/, 'the message says how to proceed');
  const deviceIds = refused.json.details.devices.map((device: { deviceId: number }) => device.deviceId).sort();
  t.same(deviceIds, [desk.id, lobby.id].sort(), 'details list the devices');

  const bulkRefused = await app.call('POST', '/api/v1/accounts/delete', { ids: [free.id, account.id] });
  t.equal(bulkRefused.status, 409);
  t.equal(await countAccounts(app, profile.id), 2, 'bulk delete with one allocated account deletes nothing');

  const lines = await app.call('GET', `/api/v1/devices/${desk.id}`);
  t.equal(lines.json.lines.length, 1, 'the refused delete kept the line');
});

t.test('delete with unbind', async (t) => {
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id);
  const other = await createAccount(app, profile.id);
  const desk = await createDevice(app, {
    mac: '001fc100000c',
    model: 'UC926',
    profileId: profile.id,
    lines: [
      { line: 1, accountId: other.id },
      { line: 2, accountId: account.id },
    ],
  });

  const deleted = await app.call('DELETE', `/api/v1/accounts/${account.id}?unbind=true`);
  t.equal(deleted.status, 204);

  const device = await app.call('GET', `/api/v1/devices/${desk.id}`);
  t.same(device.json.lines.map((line: { line: number }) => line.line), [1], 'only the deleted account left its line');

  const second = await createAccount(app, profile.id);
  await app.call('PATCH', `/api/v1/devices/${desk.id}`, { lines: [{ line: 1, accountId: other.id }, { line: 3, accountId: second.id }] });
  const bulk = await app.call('POST', '/api/v1/accounts/delete', { ids: [other.id, second.id], unbind: true });
  t.same(bulk.json, { deleted: 2, unboundLines: 2 });

  const cleared = await app.call('GET', `/api/v1/devices/${desk.id}`);
  t.same(cleared.json.lines, [], 'every line of the deleted accounts is gone');
});

t.test('bound devices of an account', async (t) => {
  const profile = await createProfile(app);
  const account = await createAccount(app, profile.id);
  const lonely = await createAccount(app, profile.id);
  await createDevice(app, { mac: '001fc100000e', model: 'UC926', profileId: profile.id, lines: [{ line: 3, accountId: account.id }] });
  await createDevice(app, { mac: '001fc100000d', model: 'UC903', profileId: profile.id, lines: [{ line: 1, accountId: account.id }] });
  await createDevice(app, { mac: '001fc100000f', model: 'UC903', profileId: profile.id });

  const { status, json } = await app.call('GET', `/api/v1/accounts/${account.id}/devices`);
  t.equal(status, 200);
  t.same(
    json.items.map((item: { mac: string; line: number; model: string }) => [item.mac, item.line, item.model]),
    [
      ['001fc100000d', 1, 'UC903'],
      ['001fc100000e', 3, 'UC926'],
    ],
    'only devices with the account on a line, by MAC',
  );

  const none = await app.call('GET', `/api/v1/accounts/${lonely.id}/devices`);
  t.same(none.json.items, [], 'an unallocated account has no push targets');

  const missing = await app.call('GET', '/api/v1/accounts/777/devices');
  t.equal(missing.status, 404);
});
