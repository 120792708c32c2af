import { sql } from 'kysely';
import t, { type Test } from 'tap';

import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createAdminToken, signInjectAsAdmin } from '../helpers/admin.js';
import { openTestDatabase } from '../helpers/database.js';
import { createDevice, createProfile } from '../helpers/fixtures.js';
import { createTestLogger } from '../helpers/logger.js';

const { logger } = createTestLogger('not-seen');

/** Builds the app with a not-seen threshold of 60 minutes. */
async function buildNotSeenApp(t: Test) {
  const database = await openTestDatabase(t, logger);
  const config = loadConfig({ HTEK_DMS_NOT_SEEN_AFTER: '60' });
  const app = await buildApp({ config, db: database.db, logger, push: { config: config.push } });
  t.teardown(() => app.close());
  signInjectAsAdmin(app, await createAdminToken(database.db));

  const call = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
    const response = await app.inject({ method, url, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: response.statusCode, json: response.json(), response };
  };
  return { app, database, logFile: '', call };
}

t.test('not seen recently threshold', async (t) => {
  const testApp = await buildNotSeenApp(t);
  const profile = await createProfile(testApp as never);
  const device = await createDevice(testApp as never, { mac: '001fc1ee0001', model: 'UC926', profileId: profile.id });
  const notSeen = async () => (await testApp.call('GET', `/api/v1/devices/${device.id}`)).json.notSeenRecently;
  const setLastSeen = (minutesAgo: number) =>
    sql`update devices set last_seen_at = now() - make_interval(mins => ${minutesAgo}) where id = ${device.id}`.execute(testApp.database.db);

  t.equal(await notSeen(), true, 'never seen');

  await setLastSeen(59);
  t.equal(await notSeen(), false, 'seen 59 minutes ago, within 60');

  await setLastSeen(61);
  t.equal(await notSeen(), true, 'seen 61 minutes ago, past 60');

  const fetched = await testApp.app.inject({ url: '/cfg001fc1ee0001.xml' });
  t.equal(fetched.statusCode, 200);
  await waitFor(async () => (await notSeen()) === false);
  t.equal(await notSeen(), false, 'a fetch makes it seen again');

  const list = await testApp.call('GET', '/api/v1/devices');
  t.equal(list.json.items?.[0]?.notSeenRecently ?? list.json[0]?.notSeenRecently, false, 'the list shows it too');
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 100 && !(await check()); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
