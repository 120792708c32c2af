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

t.test(`account list sort and pages on ${testBackend}`, async (t) => {
  const office = await createProfile(app, { name: 'A office' });
  const branch = await createProfile(app, { name: 'B branch' });
  const names = ['delta', 'alpha', 'Charlie', 'bravo', 'Echo'];
  const accounts = [];
  for (const [index, name] of names.entries()) {
    accounts.push(await createAccount(app, index % 2 === 0 ? branch.id : office.id, { name, label: `L${5 - index}`, sipUserId: `${900 + index}` }));
  }
  await createDevice(app, { mac: '001fc1000002', model: 'UC902', profileId: office.id, lines: [{ line: 1, accountId: accounts[4].id }] });

  const byName = await listNames(app, '?sort=name');
  t.same(byName.names, ['alpha', 'bravo', 'Charlie', 'delta', 'Echo'], 'sorted by name in any case');

  const byNameDesc = await listNames(app, '?sort=name&order=desc');
  t.same(byNameDesc.names, ['Echo', 'delta', 'Charlie', 'bravo', 'alpha']);

  const byLabel = await listNames(app, '?sort=label');
  t.same(byLabel.names, ['Echo', 'bravo', 'Charlie', 'alpha', 'delta']);

  const byProfile = await listNames(app, '?sort=profileName&order=desc');
  t.same(byProfile.names.slice(0, 3).sort(), ['Charlie', 'Echo', 'delta'], 'branch accounts first when descending');

  const byAssign = await listNames(app, '?sort=assignStatus&order=desc');
  t.equal(byAssign.names[0], 'Echo', 'allocated account first when descending');

  for (const sort of ['sipUserId', 'authId', 'accountStatus', 'createdAt', 'updatedAt']) {
    const { status, total } = await listNames(app, `?sort=${sort}`);
    t.equal(status, 200, `sort by ${sort}`);
    t.equal(total, 5);
  }

  const page2 = await listNames(app, '?sort=name&pageSize=2&page=2');
  t.same(page2.names, ['Charlie', 'delta'], 'second page of two');
  t.equal(page2.total, 5, 'total counts every match, not the page');

  const beyond = await listNames(app, '?pageSize=2&page=9');
  t.same(beyond.names, [], 'a page past the end is empty');
  t.equal(beyond.total, 5);

  const badSort = await app.call('GET', '/api/v1/accounts?sort=password');
  t.equal(badSort.status, 400);
  t.equal(badSort.json.details.fields[0].field, 'querystring.sort');
});
