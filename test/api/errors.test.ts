import { readFile } from 'node:fs/promises';

import Fastify, { type FastifyBaseLogger, type InjectOptions } from 'fastify';
import t, { type Test } from 'tap';

import { errorCodes } from '../../src/errors.js';
import { registerErrorHandler } from '../../src/http/error-handler.js';
import { buildTestApp } from '../helpers/app.js';
import { testBackend } from '../helpers/database.js';
import { createProfile } from '../helpers/fixtures.js';
import { createTestLogger } from '../helpers/logger.js';

// One app and database for the whole file: starting an embedded database takes seconds.
const app = await buildTestApp(t);

/** Checks the common error body and that its code and status are in the catalogue. */
function checkErrorBody(t: Test, caseName: string, status: number, json: any, code: string): void {
  t.equal(status, errorCodes[code]?.status, `${caseName}: status ${status} is the catalogue's for ${code}`);
  t.equal(json?.code, code, `${caseName}: code ${code}`);
  t.equal(json?.statusCode, status, `${caseName}: body status matches the HTTP status`);
  t.type(json?.requestId, 'string', `${caseName}: has a request id`);
  t.type(json?.message, 'string', `${caseName}: has a message`);
}

t.test(`user mistakes get 4xx on ${testBackend}`, async (t) => {
  const profile = await createProfile(app);
  const inject = (options: InjectOptions) => app.app.inject(options);

  const malformed = await inject({ method: 'POST', url: '/api/v1/accounts', headers: { 'content-type': 'application/json' }, payload: '{"name": "x",' });
  checkErrorBody(t, 'malformed JSON', malformed.statusCode, malformed.json(), 'invalid_json');
  t.match(malformed.json().message, /Content-Type: application\/json/);

  const empty = await inject({ method: 'POST', url: '/api/v1/profiles', headers: { 'content-type': 'application/json' }, payload: '' });
  checkErrorBody(t, 'empty JSON body', empty.statusCode, empty.json(), 'invalid_json');

  const textBody = await inject({ method: 'POST', url: '/api/v1/profiles', headers: { 'content-type': 'text/plain' }, payload: 'name=x' });
  checkErrorBody(t, 'text/plain body', textBody.statusCode, textBody.json(), 'unsupported_media_type');
  t.match(textBody.json().message, /"text\/plain".*application\/json/);

  const form = await inject({ method: 'PATCH', url: `/api/v1/profiles/${profile.id}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'name=x' });
  checkErrorBody(t, 'form body', form.statusCode, form.json(), 'unsupported_media_type');

  const huge = await inject({ method: 'POST', url: '/api/v1/accounts/delete', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ ids: [1], pad: 'x'.repeat(1100 * 1024) }) });
  checkErrorBody(t, 'body over 1 MiB', huge.statusCode, huge.json(), 'body_too_large');

  const arrayBody = await app.call('POST', '/api/v1/profiles', [1, 2]);
  checkErrorBody(t, 'array body', arrayBody.status, arrayBody.json, 'validation_failed');

  const cases: [string, string, string][] = [
    ['GET', '/api/v1/accounts?pageSize=100000', 'querystring.pageSize'],
    ['GET', '/api/v1/accounts?page=99999999999999999999', 'querystring.page'],
    ['GET', '/api/v1/devices?pageSize=0', 'querystring.pageSize'],
    ['GET', '/api/v1/accounts?colour=red', 'querystring.colour'],
    ['GET', '/api/v1/devices?macc=00', 'querystring.macc'],
    ['GET', '/api/v1/profiles?sort=password', 'querystring.sort'],
    ['GET', '/api/v1/accounts?name=%00', 'querystring.name'],
    ['GET', '/api/v1/devices?mac=a%0Ab', 'querystring.mac'],
    ['GET', '/api/v1/accounts?profileId=99999999999', 'querystring.profileId'],
    ['GET', '/api/v1/accounts/abc', 'params.id'],
    ['GET', '/api/v1/accounts/1.5', 'params.id'],
    ['GET', '/api/v1/accounts/0', 'params.id'],
    ['GET', '/api/v1/accounts/-3', 'params.id'],
    ['GET', '/api/v1/profiles/99999999999', 'params.id'],
    ['PATCH', '/api/v1/devices/1e3x', 'params.id'],
    ['DELETE', '/api/v1/accounts/1?unbind=maybe', 'querystring.unbind'],
    ['DELETE', '/api/v1/accounts/1?force=true', 'querystring.force'],
  ];
  for (const [method, url, field] of cases) {
    const { status, json } = await app.call(method as 'GET', url, method === 'PATCH' ? {} : undefined);
    checkErrorBody(t, `${method} ${url}`, status, json, 'validation_failed');
    t.equal(json?.details?.fields?.[0]?.field, field, `${method} ${url} names ${field}`);
  }

  const bigIdBody = await app.call('POST', '/api/v1/accounts/delete', { ids: [2147483648] });
  checkErrorBody(t, 'id past integer range in a body', bigIdBody.status, bigIdBody.json, 'validation_failed');

  const nulInBody = await app.call('POST', '/api/v1/profiles', { name: 'a\u0000b', sipServer: 'pbx', extraParameters: { P8681: '\u0000' } });
  checkErrorBody(t, 'NUL in body text', nulInBody.status, nulInBody.json, 'validation_failed');
  t.equal(nulInBody.json.details.fields.length, 2, 'both NUL fields are named');

  const unknownRoute = await app.call('GET', '/api/v1/phones');
  checkErrorBody(t, 'unknown route', unknownRoute.status, unknownRoute.json, 'route_not_found');
  t.match(unknownRoute.json.message, /\/docs/);
});

t.test('internal error hides details', async (t) => {
  const { logger, file } = createTestLogger('errors-internal');
  const app = Fastify({ loggerInstance: logger as FastifyBaseLogger });
  registerErrorHandler(app);
  app.get('/boom', async () => {
    throw new Error('relation "secret_table" does not exist at /srv/db.ts:42');
  });
  app.get('/db-down', async () => {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  });
  t.teardown(() => app.close());

  const boom = await app.inject({ url: '/boom' });
  const body = boom.json();
  checkErrorBody(t, 'thrown Error', boom.statusCode, body, 'internal_error');
  t.notMatch(boom.body, /secret_table|srv|\.ts/, 'no internals in the response');
  t.match(body.message, /request id/);

  const lines = (await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
  const logged = lines.find((line) => line.reqId === body.requestId && line.level === 50);
  t.ok(logged, 'the request id of the response is in an error log line');
  t.match(logged?.err?.message, /secret_table/, 'the log line carries the cause');

  const down = await app.inject({ url: '/db-down' });
  checkErrorBody(t, 'database down', down.statusCode, down.json(), 'database_unavailable');
  t.notMatch(down.body, /5432/, 'no address in the response');
});

t.test('error codes documented', async (t) => {
  const doc = await readFile(new URL('../../docs/api.md', import.meta.url), 'utf8');
  for (const [code, { status }] of Object.entries(errorCodes)) {
    t.match(doc, new RegExp(`\\| \`${code}\` \\| ${status} \\|`), `${code} with ${status} is in docs/api.md`);
  }
});
