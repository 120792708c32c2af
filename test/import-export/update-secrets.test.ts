import t from 'tap';

import { buildTestApp } from '../helpers/app.js';
import { createProfile } from '../helpers/fixtures.js';
import { csv, csvLine, upload } from '../fixtures/spreadsheets/upload-helpers.js';

function rowsFor(count: number, password: (index: number) => string, pin: (index: number) => string): string[] {
  return Array.from({ length: count }, (_, index) =>
    csvLine({ name: `Desk ${index}`, label: String(index), sipUserId: `0${200 + index}`, authId: `0${200 + index}`, authPassword: password(index), pin: pin(index) }),
  );
}

t.test('batched update stores secrets encrypted', async (t) => {
  const app = await buildTestApp(t);
  await createProfile(app, { name: 'Head office' });
  const db = app.database.db;

  // More rows than one UPDATE batch (1000), so the update runs as two statements.
  const count = 1005;
  const created = await upload(app, csv(...rowsFor(count, (index) => `First-${index}`, () => '1111')));
  t.equal(created.status, 200);
  t.equal(created.json.created, count);

  const blankSecretsForFirstTen = (index: number, value: string) => (index < 10 ? '' : value);
  const updated = await upload(
    app,
    csv(...rowsFor(count, (index) => blankSecretsForFirstTen(index, `Second-${index}`), (index) => blankSecretsForFirstTen(index, `9${index}`.padEnd(4, '0')))),
  );
  t.equal(updated.status, 200);
  t.same(updated.json.errors, []);
  t.equal(updated.json.updated, count - 10, 'rows with blank secrets and no other change are unchanged');
  t.equal(updated.json.unchanged, 10);

  const raw = await db.withoutPlugins().selectFrom('accounts' as never).select(['name', 'auth_password', 'pin', 'version'] as never[]).execute() as { name: string; auth_password: string; pin: string; version: number }[];
  t.equal(raw.length, count);
  const plaintext = raw.filter((row) => !row.auth_password.startsWith('enc:v1:') || !row.pin.startsWith('enc:v1:') || /First|Second/.test(row.auth_password));
  t.same(plaintext, [], 'no password or PIN is stored as plaintext');

  const readBack = await db.selectFrom('accounts').select(['name', 'authPassword', 'pin', 'version']).execute();
  const byName = new Map(readBack.map((row) => [row.name, row]));
  t.equal(byName.get('Desk 0')?.authPassword, 'First-0', 'a blank password keeps the stored one');
  t.equal(byName.get('Desk 0')?.pin, '1111', 'a blank PIN keeps the stored one');
  t.equal(byName.get('Desk 0')?.version, 1);
  t.equal(byName.get('Desk 10')?.authPassword, 'Second-10');
  t.equal(byName.get('Desk 10')?.pin, '9100');
  t.equal(byName.get('Desk 10')?.version, 2, 'an update raises the version');
  t.equal(byName.get('Desk 1004')?.authPassword, 'Second-1004', 'the second batch is written');
});
