import t from 'tap';

import { buildTestApp } from '../helpers/app.js';
import { testBackend } from '../helpers/database.js';
import { accountBody, createAccount, createProfile } from '../helpers/fixtures.js';

// One app and database for the whole file: starting an embedded database takes seconds.
const app = await buildTestApp(t);

type Problem = { field: string; value?: unknown; message: string };

/** Returns the problem reported for one field, or undefined. */
function problemOf(json: { details?: { fields?: Problem[] } }, field: string): Problem | undefined {
  return json.details?.fields?.find((problem) => problem.field === field);
}

t.test(`required fields all reported on ${testBackend}`, async (t) => {

  const { status, json } = await app.call('POST', '/api/v1/accounts', {});
  t.equal(status, 400);
  t.equal(json.code, 'validation_failed');
  for (const field of ['name', 'profileId', 'label', 'sipUserId', 'authId', 'authPassword', 'pin']) {
    t.equal(problemOf(json, field)?.message, 'is required', `${field} is required`);
  }
  t.equal(json.details.fields.length, 7, 'exactly the seven required fields');
});

t.test('every invalid field at once', async (t) => {
  const profile = await createProfile(app);
  const body = accountBody(profile.id, {
    pin: '12a',
    authPassword: ' leading',
    localSipPort: 70000,
    active: 'yes',
    featureKeySync: 1,
    useRandomPort: 'true',
    label: 'tab\there',
    colour: 'red',
  });

  const { status, json } = await app.call('POST', '/api/v1/accounts', body);
  t.equal(status, 400);
  t.equal(json.code, 'validation_failed');

  t.match(problemOf(json, 'pin')?.message, /4 to 12 digits/);
  t.notOk(problemOf(json, 'pin') && 'value' in problemOf(json, 'pin')!, 'PIN value is not echoed');
  t.match(problemOf(json, 'authPassword')?.message, /whitespace/);
  t.notOk('value' in (problemOf(json, 'authPassword') ?? {}), 'password value is not echoed');
  t.same(problemOf(json, 'localSipPort'), { field: 'localSipPort', value: 70000, message: 'must be at most 65535' });
  t.same(problemOf(json, 'active'), { field: 'active', value: 'yes', message: 'must be true or false' });
  t.same(problemOf(json, 'featureKeySync'), { field: 'featureKeySync', value: 1, message: 'must be true or false' });
  t.same(problemOf(json, 'useRandomPort'), { field: 'useRandomPort', value: 'true', message: 'must be true or false' });
  t.match(problemOf(json, 'label')?.message, /control characters/);
  t.match(problemOf(json, 'colour')?.message, /not a known field/);
  t.notMatch(JSON.stringify(json), /leading|12a/, 'no secret appears anywhere in the body');
  t.match(json.message, /pin: must be 4 to 12 digits/, 'the message names each field');
});

t.test('PIN length and digits', async (t) => {
  const profile = await createProfile(app);

  for (const pin of ['123', '1234567890123', '12 34', '１２３４', '']) {
    const { status, json } = await app.call('POST', '/api/v1/accounts', accountBody(profile.id, { pin }));
    t.equal(status, 400, `PIN ${JSON.stringify(pin)} is rejected`);
    t.ok(problemOf(json, 'pin'), `PIN ${JSON.stringify(pin)} is named`);
  }
  for (const pin of ['0000', '123456789012']) {
    const { status } = await app.call('POST', '/api/v1/accounts', accountBody(profile.id, { pin }));
    t.equal(status, 201, `PIN ${pin} is accepted`);
  }
});

t.test('port range', async (t) => {
  const profile = await createProfile(app);

  for (const localSipPort of [0, -1, 65536, 5060.5, '5060']) {
    const { status, json } = await app.call('POST', '/api/v1/accounts', accountBody(profile.id, { localSipPort }));
    t.equal(status, 400, `port ${JSON.stringify(localSipPort)} is rejected`);
    t.ok(problemOf(json, 'localSipPort'));
  }
  for (const localSipPort of [1, 65535]) {
    const { status, json } = await app.call('POST', '/api/v1/accounts', accountBody(profile.id, { localSipPort }));
    t.equal(status, 201, `port ${localSipPort} is accepted`);
    t.equal(json.localSipPort, localSipPort);
  }
});

t.test('password whitespace and control characters', async (t) => {
  const profile = await createProfile(app);

  for (const authPassword of [' pw', 'pw ', 'pw\n', 'p\tw', '\u00a0pw', 'p\u0000w', '']) {
    const { status, json } = await app.call('POST', '/api/v1/accounts', accountBody(profile.id, { authPassword }));
    t.equal(status, 400, `password ${JSON.stringify(authPassword)} is rejected`);
    t.ok(problemOf(json, 'authPassword'));
  }
});

t.test('blank text after trimming', async (t) => {
  const profile = await createProfile(app);
  await createAccount(app, profile.id, { name: 'Taken' });

  const { status, json } = await app.call('POST', '/api/v1/accounts', accountBody(profile.id, { label: '   ', authId: ' ', name: 'TAKEN' }));
  t.equal(status, 400);
  t.same(problemOf(json, 'label'), { field: 'label', value: '   ', message: 'must not be empty' });
  t.same(problemOf(json, 'authId'), { field: 'authId', value: ' ', message: 'must not be empty' });
  t.ok(problemOf(json, 'name'), 'the duplicate name is reported with the blank fields');
});

t.test('name unique in any case', async (t) => {
  const profile = await createProfile(app);
  const first = await createAccount(app, profile.id, { name: 'Alice Front' });

  const duplicate = await app.call('POST', '/api/v1/accounts', accountBody(profile.id, { name: '  aLiCe fRoNt ' }));
  t.equal(duplicate.status, 400);
  t.equal(problemOf(duplicate.json, 'name')?.value, 'aLiCe fRoNt');
  t.match(problemOf(duplicate.json, 'name')?.message, new RegExp(`account ${first.id}`));

  const second = await createAccount(app, profile.id, { name: 'Bob' });
  const rename = await app.call('PATCH', `/api/v1/accounts/${second.id}`, { name: 'ALICE FRONT' });
  t.equal(rename.status, 400, 'a rename onto a used name is rejected');
  t.ok(problemOf(rename.json, 'name'));

  const keep = await app.call('PATCH', `/api/v1/accounts/${first.id}`, { name: 'alice front' });
  t.equal(keep.status, 200, 'an account may change the case of its own name');
  t.equal(keep.json.name, 'alice front');
});

t.test('SIP user ID unique per profile', async (t) => {
  const office = await createProfile(app);
  const branch = await createProfile(app);
  const first = await createAccount(app, office.id, { sipUserId: '300' });

  const sameProfile = await app.call('POST', '/api/v1/accounts', accountBody(office.id, { sipUserId: ' 300 ' }));
  t.equal(sameProfile.status, 400);
  t.match(problemOf(sameProfile.json, 'sipUserId')?.message, new RegExp(`account ${first.id}`));

  const otherProfile = await app.call('POST', '/api/v1/accounts', accountBody(branch.id, { sipUserId: '300' }));
  t.equal(otherProfile.status, 201, 'the same SIP user ID is allowed in another profile');

  const moved = await app.call('PATCH', `/api/v1/accounts/${otherProfile.json.id}`, { profileId: office.id });
  t.equal(moved.status, 400, 'moving the account into a profile with that SIP user ID is rejected');
  t.equal(problemOf(moved.json, 'sipUserId')?.value, '300');

  const unchanged = await app.call('GET', `/api/v1/accounts/${otherProfile.json.id}`);
  t.equal(unchanged.json.profileId, branch.id, 'the rejected move changed nothing');
  t.equal(unchanged.json.version, 1);
});

t.test('profile must exist', async (t) => {

  const { status, json } = await app.call('POST', '/api/v1/accounts', accountBody(4242));
  t.equal(status, 400);
  t.equal(problemOf(json, 'profileId')?.value, 4242);
  t.match(problemOf(json, 'profileId')?.message, /create the profile first/);
});
