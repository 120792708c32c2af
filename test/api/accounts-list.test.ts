import t from 'tap';

import { buildTestApp, type TestApp } from '../helpers/app.js';
import { testBackend } from '../helpers/database.js';
import { createAccount, createDevice, createProfile } from '../helpers/fixtures.js';

// One app and database for the whole file: starting an embedded database takes seconds.
const app = await buildTestApp(t);

/** Lists accounts with a query string and returns their names and the total. */
async function listNames(app: TestApp, query: string): Promise<{ names: string[]; total: number; status: number }> {
  const { status, json } = await app.call('GET', `/api/v1/accounts${query}`);
  return { status, names: (json.items ?? []).map((item: { name: string }) => item.name), total: json.total };
}

t.test(`account list filters on ${testBackend}`, async (t) => {
  const office = await createProfile(app, { name: 'Office PBX' });
  const branch = await createProfile(app, { name: 'Branch PBX' });
  const alice = await createAccount(app, office.id, { name: 'Alice Front', label: 'Reception', sipUserId: '201', authId: 'auth-201' });
  await createAccount(app, office.id, { name: 'Bob Back', label: 'Stock room', sipUserId: '202', authId: 'auth-202' });
  await createAccount(app, branch.id, { name: 'Carol 100%', label: 'Reception B', sipUserId: '301', authId: 'x_301' });
  await createDevice(app, { mac: '001fc1000001', model: 'UC926', profileId: office.id, lines: [{ line: 1, accountId: alice.id }] });
  await app.database.db.updateTable('accounts').set({ status: 'online', statusChangedAt: new Date() }).where('id', '=', alice.id).execute();

  const cases: [string, string[]][] = [
    ['', ['Alice Front', 'Bob Back', 'Carol 100%']],
    ['?name=ALICE', ['Alice Front']],
    ['?name=ac', ['Bob Back']],
    ['?name=100%25', ['Carol 100%']],
    ['?name=%25', ['Carol 100%']],
    ['?authId=_', ['Carol 100%']],
    [`?profileId=${branch.id}`, ['Carol 100%']],
    ['?profile=office', ['Alice Front', 'Bob Back']],
    ['?label=recep', ['Alice Front', 'Carol 100%']],
    ['?sipUserId=20', ['Alice Front', 'Bob Back']],
    ['?authId=AUTH-202', ['Bob Back']],
    ['?accountStatus=online', ['Alice Front']],
    ['?accountStatus=offline', ['Bob Back', 'Carol 100%']],
    ['?assignStatus=allocated', ['Alice Front']],
    ['?assignStatus=unallocated', ['Bob Back', 'Carol 100%']],
    ['?label=recep&profile=branch', ['Carol 100%']],
    ['?label=recep&assignStatus=unallocated&accountStatus=online', []],
    ['?name=&label=', ['Alice Front', 'Bob Back', 'Carol 100%']],
  ];
  for (const [query, expected] of cases) {
    const { status, names, total } = await listNames(app, query);
    t.equal(status, 200, `${query || 'no filter'} is accepted`);
    t.same(names, expected, `${query || 'no filter'} lists ${expected.join(', ') || 'nothing'}`);
    t.equal(total, expected.length, `${query || 'no filter'} counts ${expected.length}`);
  }

  const { json } = await app.call('GET', '/api/v1/accounts?name=alice');
  t.equal(json.items[0].accountStatus, 'online');
  t.type(json.items[0].accountStatusChangedAt, 'string', 'the time of the status change is listed');
  t.equal(json.items[0].assignStatus, 'allocated');
});
