import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import pino from 'pino';
import t from 'tap';

import { openDatabase } from '../../src/db/database.js';
import { adminAuthorization, startServerProcess } from '../helpers/server-process.js';

/** Sends one request whose body arrives in two parts; returns the response once complete. */
function startSlowRequest(baseUrl: string, body: string) {
  const url = new URL('/api/v1/profiles', baseUrl);
  const request = http.request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: adminAuthorization } });

  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('error', reject);
    request.on('response', (incoming) => {
      let text = '';
      incoming.on('data', (chunk: Buffer) => (text += chunk.toString()));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: text }));
    });
  });

  const half = Math.floor(body.length / 2);
  request.write(body.slice(0, half));
  return { response, finish: () => request.end(body.slice(half)) };
}

function connectionRefused(baseUrl: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(new URL('/healthz', baseUrl), { agent: false }, (response) => {
      response.resume();
      resolve(false);
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

t.test('SIGTERM finishes a request in flight', async (t) => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'htek-shutdown-'));
  t.teardown(() => fs.rmSync(folder, { recursive: true, force: true }));
  const dataDir = path.join(folder, 'data');

  const server = await startServerProcess(t, { HTEK_DMS_DATA_DIR: dataDir, HTEK_DMS_SHUTDOWN_TIMEOUT: '20' });
  t.ok(fs.existsSync(`${dataDir}.lock`), 'the data folder is locked while running');

  const profile = { name: 'Shutdown PBX', sipServer: 'pbx.example.net', sipPort: 5060, transport: 'udp' };
  const slow = startSlowRequest(server.baseUrl, JSON.stringify(profile));
  await sleep(300);

  server.child.kill('SIGTERM');
  await sleep(500);
  t.equal(await connectionRefused(server.baseUrl), true, 'new connections are refused while stopping');

  slow.finish();
  const response = await slow.response;
  t.equal(response.status, 201, 'the request in flight completed');
  t.equal(JSON.parse(response.body).name, 'Shutdown PBX');

  const { code, signal } = await server.exited;
  t.equal(code, 0, 'exit code 0');
  t.equal(signal, null);
  t.notOk(fs.existsSync(`${dataDir}.lock`), 'the lock file is removed');
  t.ok(server.logs.some((entry) => entry.msg === 'htek-dms stopped'), 'the stop is logged');

  const database = await openDatabase({ databaseUrl: undefined, dataDir }, pino({ level: 'silent' }));
  t.teardown(() => database.close());
  const rows = await database.db.selectFrom('profiles').select('name').execute();
  t.same(rows, [{ name: 'Shutdown PBX' }], 'the data folder reopens with the profile stored');
});
