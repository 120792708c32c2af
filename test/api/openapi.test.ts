import t from 'tap';

import { buildTestApp } from '../helpers/app.js';

// One app and database for the whole file: starting an embedded database takes seconds.
const app = await buildTestApp(t);

type Operation = {
  summary?: string;
  tags?: string[];
  parameters?: { in: string; name: string; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};

const methods = ['get', 'post', 'put', 'patch', 'delete'];

/** Tags of the routes this folder's tests own; other tags are checked as todo items. */
const modelTags = new Set(['Profiles', 'Accounts', 'Devices']);

/** Lists every operation under /api/v1 with its method, path and tags. */
function apiOperations(document: { paths: Record<string, Record<string, Operation & { tags?: string[] }>> }) {
  const operations = [];
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/v1/')) continue;
    for (const method of methods) {
      const operation = item[method];
      if (operation) operations.push({ name: `${method.toUpperCase()} ${path}`, method, path, operation, tags: operation.tags ?? [] });
    }
  }
  return operations;
}

function jsonSchemaOf(content: Record<string, { schema?: unknown }> | undefined): unknown {
  return content?.['application/json']?.schema;
}

t.test('OpenAPI document and page', async (t) => {
  const { status, json: document } = await app.call('GET', '/docs/json');
  t.equal(status, 200);
  t.match(document.openapi, /^3\./, 'OpenAPI 3');

  const page = await app.app.inject({ url: '/docs/' });
  t.equal(page.statusCode, 200, 'the browsable page is served');
  t.match(page.headers['content-type'], /html/);

  const paths = Object.keys(document.paths);
  for (const expected of ['/api/v1/accounts', '/api/v1/accounts/{id}', '/api/v1/accounts/delete', '/api/v1/accounts/{id}/devices', '/api/v1/profiles', '/api/v1/profiles/{id}', '/api/v1/devices', '/api/v1/devices/{id}', '/api/v1/models']) {
    t.ok(paths.includes(expected), `${expected} is documented`);
  }
});

t.test('profile, account and device routes documented', async (t) => {
  const { json: document } = await app.call('GET', '/docs/json');
  const operations = apiOperations(document).filter((entry) => entry.tags.some((tag) => modelTags.has(tag)));
  t.ok(operations.length >= 18, `${operations.length} operations checked`);

  for (const { name, method, path, operation } of operations) {
    t.ok(operation.summary, `${name} has a summary`);

    const pathParameters = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
    for (const parameter of pathParameters) {
      const documented = operation.parameters?.find((entry) => entry.in === 'path' && entry.name === parameter);
      t.ok(documented?.schema, `${name} documents path parameter ${parameter}`);
    }
    if (pathParameters.length > 0) t.ok(operation.responses?.['404'], `${name} documents 404`);

    if (method === 'post' || method === 'patch' || method === 'put') {
      t.ok(jsonSchemaOf(operation.requestBody?.content), `${name} has a request body schema`);
      t.ok(operation.responses?.['415'], `${name} documents 415 for a body that is not JSON`);
    }

    const success = Object.keys(operation.responses ?? {}).filter((code) => code.startsWith('2'));
    t.equal(success.length, 1, `${name} has one success response`);
    const successStatus = success[0] ?? 'none';
    if (successStatus !== '204') t.ok(jsonSchemaOf(operation.responses?.[successStatus]?.content), `${name} has a success schema`);

    for (const code of ['400', '500', '503']) {
      const schema = jsonSchemaOf(operation.responses?.[code]?.content) as { properties?: Record<string, unknown> } | undefined;
      t.ok(schema?.properties?.code && schema.properties.requestId, `${name} documents ${code} with the error body`);
    }
  }
});

t.test('every API route documents errors', async (t) => {
  const { json: document } = await app.call('GET', '/docs/json');

  for (const { name, operation, tags } of apiOperations(document)) {
    // Routes of other resources are reported as todo items, so their gaps show without failing this folder.
    const todo = tags.some((tag) => modelTags.has(tag) || tag === 'Account spreadsheets') ? false : `owned by the ${tags.join(', ') || 'untagged'} routes`;
    const success = Object.keys(operation.responses ?? {}).filter((code) => code.startsWith('2'));
    t.ok(success.length > 0, `${name} documents its success response`, { todo });
    for (const code of ['400', '500']) {
      const schema = jsonSchemaOf(operation.responses?.[code]?.content) as { properties?: Record<string, unknown> } | undefined;
      t.ok(schema?.properties?.code, `${name} documents ${code} with the error body`, { todo });
    }
  }
});

t.test('list queries documented', async (t) => {
  const { json: document } = await app.call('GET', '/docs/json');

  const names = (document.paths['/api/v1/accounts'].get as Operation).parameters?.filter((entry) => entry.in === 'query').map((entry) => entry.name) ?? [];
  for (const name of ['name', 'profileId', 'label', 'sipUserId', 'authId', 'accountStatus', 'assignStatus', 'sort', 'order', 'page', 'pageSize']) {
    t.ok(names.includes(name), `account list documents ?${name}`);
  }
});
