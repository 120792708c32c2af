import t from 'tap';

import { buildTestApp } from '../helpers/app.js';
import { testBackend } from '../helpers/database.js';
import { profileBody } from '../helpers/fixtures.js';

const app = await buildTestApp(t);

function fieldProblem(json: any, field: string): any {
  return json?.details?.fields?.find((problem: any) => problem.field === field);
}

t.test(`union of literals lists every value on ${testBackend}`, async (t) => {
  const transport = await app.call('POST', '/api/v1/profiles', profileBody({ transport: 'TCP' }));
  t.equal(transport.status, 400);
  t.equal(fieldProblem(transport.json, 'transport')?.message, 'must be one of: udp, tcp, tls');
  t.equal(fieldProblem(transport.json, 'transport')?.value, 'TCP');
  t.equal(transport.json.details.fields.length, 1, 'one problem for the field, not one per allowed value');
  t.match(transport.json.message, 'transport: must be one of: udp, tcp, tls');

  const numeric = await app.call('POST', '/api/v1/profiles', profileBody({ transport: 5 }));
  t.equal(fieldProblem(numeric.json, 'transport')?.message, 'must be one of: udp, tcp, tls');

  const sort = await app.call('GET', '/api/v1/profiles?sort=password');
  t.equal(sort.status, 400);
  t.equal(fieldProblem(sort.json, 'querystring.sort')?.message, 'must be one of: name, sipServer, transport, createdAt, updatedAt');
});

t.test(`item counts use singular and plural on ${testBackend}`, async (t) => {
  const empty = await app.call('POST', '/api/v1/accounts/delete', { ids: [] });
  t.equal(empty.status, 400);
  t.equal(fieldProblem(empty.json, 'ids')?.message, 'must contain at least 1 item');
});

t.test(`push not found names the push route on ${testBackend}`, async (t) => {
  const missing = await app.call('GET', '/api/v1/push/999999');
  t.equal(missing.status, 404);
  t.equal(missing.json?.code, 'push_not_found');
  t.match(missing.json?.message, 'GET /api/v1/push.');
  t.notMatch(missing.json?.message, '/api/v1/pushs');
});
