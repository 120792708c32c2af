/**
 * Measures the account spreadsheet import and export: time and peak RSS of one process per
 * scenario. Usage (Postgres, or the embedded database when DATABASE_URL is unset):
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench npx tsx bench/spreadsheets/run.ts import 10000
 *   DATABASE_URL=... npx tsx bench/spreadsheets/run.ts import 100000
 *   DATABASE_URL=... npx tsx bench/spreadsheets/run.ts export 100000
 *   DATABASE_URL=... npx tsx bench/spreadsheets/run.ts update 10000
 *
 * "update" first imports the rows as new accounts (not timed), then times the import of the
 * same rows with a changed Display Name and password, so every row is an update.
 *
 * Each run empties the accounts table, so use a database made for the benchmark.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sql } from 'kysely';
import pino from 'pino';

import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createExportService } from '../../src/spreadsheet/export-service.js';
import { createImportService } from '../../src/spreadsheet/import-service.js';

const [scenario = 'import', rowsText = '10000'] = process.argv.slice(2);
const rows = Number(rowsText);
const logger = pino({ level: 'warn' });
const dir = await mkdtemp(join(tmpdir(), 'htek-bench-'));
const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: join(dir, 'data') }, logger);
const db = database.db;

/**
 * Writes the benchmark CSV line by line, so that the generated text does not sit in this
 * process's heap and inflate the peak RSS that is measured.
 */
async function writeCsvFile(path: string, count: number, variant = ''): Promise<void> {
  const output = createWriteStream(path);
  const write = async (line: string) => {
    if (!output.write(`${line}\r\n`)) await once(output, 'drain');
  };

  await write('Name *,Profile *,Label *,SIP User ID *,Authenticate ID *,Authenticate Password *,PIN *,Display Name,Local SIP Port');
  for (let index = 0; index < count; index++) {
    await write(`Account ${index},Bench,${index},0${100000 + index},auth-${index},Secret-${index}${variant},00${1000 + (index % 9000)},User ${index}${variant},5060`);
  }
  output.end();
  await once(output, 'finish');
}

try {
  await migrateToLatest(db, logger);
  await db.deleteFrom('deviceLines').execute();
  await db.deleteFrom('accounts').execute();
  await db.deleteFrom('profiles').where('name', '=', 'Bench').execute();
  // Earlier runs leave dead rows behind, which slow the next run's updates.
  await sql`vacuum analyze accounts`.execute(db);
  await db.insertInto('profiles').values({ name: 'Bench', sipServer: 'pbx.example.net' }).execute();

  const file = join(dir, 'accounts.csv');
  await writeCsvFile(file, rows);
  const imports = createImportService({ db, logger, limits: { maxRows: 100_000, maxBytes: 100 * 1024 * 1024 } });

  if (scenario === 'export') {
    // Seeded in SQL so the import's memory does not count in the export's peak RSS. The
    // passwords and PINs stay plaintext here, which the export without secrets never reads.
    await sql`insert into accounts (name, profile_id, label, sip_user_id, auth_id, auth_password, pin, display_name)
      select 'Account ' || i, p.id, i::text, '0' || (100000 + i), 'auth-' || i, 'Secret', '0042', '+4930' || i
      from generate_series(1, ${rows}::int) as i, profiles p where p.name = 'Bench'`.execute(db);
  }

  if (scenario === 'update') {
    await imports.importFile(file, { mode: 'all-or-nothing' });
    await writeCsvFile(file, rows, ' changed');
  }

  const rssBeforeMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
  const started = performance.now();
  let outcome: unknown;
  if (scenario === 'update') {
    const report = await imports.importFile(file, { mode: 'all-or-nothing' });
    outcome = { updated: report.updated, errors: report.errors.length };
  } else if (scenario === 'import') {
    const report = await imports.importFile(file, { mode: 'all-or-nothing' });
    outcome = { created: report.created, errors: report.errors.length };
  } else {
    const count = await createExportService({ db, logger }).writeExport(createWriteStream(join(dir, 'export.xlsx')), { format: 'xlsx', includeSecrets: false, filter: {} });
    outcome = { exported: count };
  }
  const seconds = (performance.now() - started) / 1000;

  // maxRSS is in KiB and covers the whole process, setup included.
  const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify({ scenario, rows, database: database.kind, seconds: Number(seconds.toFixed(2)), rssBeforeMb, peakRssMb: peakMb, ...(outcome as object) }));
} finally {
  await database.close();
  await rm(dir, { recursive: true, force: true });
}
