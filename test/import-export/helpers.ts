/**
 * Helpers for the import and export tests: multipart uploads built by hand and CSV text in
 * the template's column order. This file holds no tests.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import type { TestApp } from '../helpers/app.js';

export interface Upload {
  status: number;
  json: any;
  headers: Record<string, unknown>;
}

/** Builds a multipart/form-data body with one file field. */
export function multipartBody(content: Buffer | string, fileName = 'accounts.csv', field = 'file'): { payload: Buffer; contentType: string } {
  const boundary = `----htek${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, Buffer.from(content), tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Posts a file to the import route; `query` is appended as is, e.g. "mode=dry-run". */
export async function upload(app: TestApp, content: Buffer | string, query = '', fileName = 'accounts.csv'): Promise<Upload> {
  const { payload, contentType } = multipartBody(content, fileName);
  const response = await app.app.inject({
    method: 'POST',
    url: `/api/v1/accounts/import${query ? `?${query}` : ''}`,
    payload,
    headers: { 'content-type': contentType },
  });
  return { status: response.statusCode, json: response.json(), headers: response.headers };
}

export async function uploadFile(app: TestApp, path: string, query = ''): Promise<Upload> {
  return upload(app, await readFile(path), query, path.split('/').at(-1));
}

/** Header of a CSV file with every template column, required ones marked as in the template. */
export const FULL_HEADER =
  'Name *,Profile *,Account Active,Label *,SIP User ID *,Authenticate ID *,Authenticate Password *,Direct Call Pickup Code,Group Call Pickup Code,Feature Key Sync,Voice Mail User ID,Dial Plan,EventList BLF URL,PIN *,Display Name,Local SIP Port,Use Random Port';

/** A CSV line for one account in the template's column order; fields can be overridden. */
export function csvLine(fields: Partial<Record<string, string>>): string {
  const row = {
    name: 'Reception',
    profile: 'Head office',
    active: 'yes',
    label: '101',
    sipUserId: '0101',
    authId: '0101',
    authPassword: 'Secr3t-101',
    directPickupCode: '*97',
    groupPickupCode: '*98',
    featureKeySync: 'no',
    voicemailUserId: '0101',
    dialPlan: '{x+}',
    eventListBlfUrl: '',
    pin: '004711',
    displayName: 'Reception',
    localSipPort: '5060',
    useRandomPort: 'no',
    ...fields,
  };
  return Object.values(row)
    .map((value) => (/[",\r\n]/.test(value ?? '') ? `"${(value ?? '').replaceAll('"', '""')}"` : value))
    .join(',');
}

export function csv(...lines: string[]): string {
  return `${[FULL_HEADER, ...lines].join('\r\n')}\r\n`;
}

/** Reads every account through the API's list, in name order. */
export async function listAccounts(app: TestApp): Promise<any[]> {
  const { json } = await app.call('GET', '/api/v1/accounts?pageSize=500');
  return json.items;
}
