import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';

import t from 'tap';

import { buildSecureApp } from './security-app.js';

function makeCertificate(): { cert: string; key: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htek-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  const pair = { cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8') };
  fs.rmSync(dir, { recursive: true, force: true });
  return pair;
}

function get(port: number, pathName: string): Promise<{ status: number; protocol: string }> {
  return new Promise((resolve, reject) => {
    https
      .get({ host: '127.0.0.1', port, path: pathName, rejectUnauthorized: false }, (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0, protocol: (response.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http' });
      })
      .on('error', reject);
  });
}

t.test('HTTPS with a configured certificate', async (t) => {
  const tls = makeCertificate();
  const app = await buildSecureApp(t, { tls });
  await app.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.app.server.address() as { port: number };

  const response = await get(port, '/api/v1/auth/me');
  t.equal(response.protocol, 'https', 'the connection is TLS');
  t.equal(response.status, 401, 'the admin API answers over HTTPS');
});
