import t from 'tap';

import { buildTestApp, type TestApp } from '../helpers/app.js';
import { testBackend } from '../helpers/database.js';
import { createAccount, createDevice, createProfile } from '../helpers/fixtures.js';

// One app and database for the whole file: starting an embedded database takes seconds.
const app = await buildTestApp(t);

async function listMacs(app: TestApp, query: string): Promise<string[]> {
  const { status, json } = await app.call('GET', `/api/v1/devices${query}`);
  if (status !== 200) throw new Error(`listing devices with ${query} failed with ${status}: ${JSON.stringify(json)}`);
  return json.items.map((item: { mac: string }) => item.mac);
}

t.test(`device list filters on ${testBackend}`, async (t) => {
  const office = await createProfile(app);
  const branch = await createProfile(app);
  const account = await createAccount(app, office.id);
  const desk = await createDevice(app, { mac: '00:1f:c1:aa:00:01', model: 'UC926', profileId: office.id, lines: [{ line: 1, accountId: account.id }] });
  const lobby = await createDevice(app, { mac: '00:1f:c1:bb:00:02', model: 'UC902', profileId: branch.id });
  const store = await createDevice(app, { mac: '00:1f:c1:cc:00:03', model: 'UC926', profileId: branch.id });
  const db = app.database.db;
  await db.updateTable('devices').set({ lastSeenAt: new Date('2026-01-10T10:00:00Z') }).where('id', '=', desk.id).execute();
  await db.updateTable('devices').set({ lastSeenAt: new Date('2026-03-10T10:00:00Z') }).where('id', '=', lobby.id).execute();

  t.same(await listMacs(app, ''), [desk.mac, lobby.mac, store.mac], 'no filter lists all by MAC');
  t.same(await listMacs(app, '?mac=AA:00'), [desk.mac], 'part of a MAC with colons');
  t.same(await listMacs(app, '?mac=bb-00-02'), [lobby.mac], 'part of a MAC with dashes');
  t.same(await listMacs(app, '?mac=001F.C1CC'), [store.mac], 'Cisco dots in any case');
  t.same(await listMacs(app, '?mac=001fc1'), [desk.mac, lobby.mac, store.mac], 'the vendor prefix matches all');
  t.same(await listMacs(app, '?mac=%25'), [], 'a wildcard character matches nothing');
  t.same(await listMacs(app, '?model=uc926'), [desk.mac, store.mac], 'model in any case');
  t.same(await listMacs(app, `?profileId=${branch.id}`), [lobby.mac, store.mac]);
  t.same(await listMacs(app, `?accountId=${account.id}`), [desk.mac]);
  t.same(await listMacs(app, '?seenAfter=2026-02-01T00:00:00Z'), [lobby.mac], 'seen after');
  t.same(await listMacs(app, '?seenBefore=2026-02-01T00:00:00Z'), [desk.mac, store.mac], 'seen before, or never seen');
  t.same(await listMacs(app, '?seenAfter=2026-01-01T00:00:00Z&seenBefore=2026-02-01T00:00:00Z'), [desk.mac], 'a window');
  t.same(await listMacs(app, `?model=UC926&profileId=${branch.id}`), [store.mac], 'filters combine with AND');

  const badTime = await app.call('GET', '/api/v1/devices?seenAfter=yesterday');
  t.equal(badTime.status, 400);
  t.equal(badTime.json.details.fields[0].field, 'querystring.seenAfter');
});
