import type { TestApp } from './app.js';

let counter = 0;
const unique = () => `${process.pid}-${++counter}`;

/** A valid profile body; fields can be overridden. */
export function profileBody(overrides: Record<string, unknown> = {}) {
  return { name: `Office PBX ${unique()}`, sipServer: 'pbx.example.net', sipPort: 5060, transport: 'udp', ...overrides };
}

/** A valid account body for a profile; fields can be overridden. */
export function accountBody(profileId: number, overrides: Record<string, unknown> = {}) {
  const id = unique();
  return {
    name: `Alice ${id}`,
    profileId,
    active: true,
    label: '201',
    sipUserId: `201-${id}`,
    authId: `auth201-${id}`,
    authPassword: 's3cret-201',
    directPickupCode: '**',
    groupPickupCode: '*8',
    featureKeySync: false,
    voicemailUserId: '*97',
    dialPlan: '{[x*]+}',
    eventListBlfUrl: 'sip:blf-201@pbx.example.net',
    pin: '4711',
    displayName: 'Alice Example',
    localSipPort: 5062,
    useRandomPort: false,
    ...overrides,
  };
}

/** Creates a profile through the API and returns it. */
export async function createProfile(app: TestApp, overrides: Record<string, unknown> = {}) {
  const { status, json } = await app.call('POST', '/api/v1/profiles', profileBody(overrides));
  if (status !== 201) throw new Error(`creating a profile failed with ${status}: ${JSON.stringify(json)}`);
  return json;
}

export async function createAccount(app: TestApp, profileId: number, overrides: Record<string, unknown> = {}) {
  const { status, json } = await app.call('POST', '/api/v1/accounts', accountBody(profileId, overrides));
  if (status !== 201) throw new Error(`creating an account failed with ${status}: ${JSON.stringify(json)}`);
  return json;
}

export async function createDevice(app: TestApp, body: Record<string, unknown>) {
  const { status, json } = await app.call('POST', '/api/v1/devices', body);
  if (status !== 201) throw new Error(`creating a device failed with ${status}: ${JSON.stringify(json)}`);
  return json;
}
