import { createWriteStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { extname } from 'node:path';

import type { Config } from '../config.js';
import { migrateToLatest } from '../db/migrate.js';
import { openConfiguredDatabase } from '../db/open-configured.js';
import { AppError } from '../errors.js';
import { createCommandLogger } from '../logger.js';
import { SpreadsheetError } from './errors.js';
import { createExportService } from './export-service.js';
import { IMPORT_MODES, type ImportMode, type ImportReport } from './import-report.js';
import { createImportService } from './import-service.js';

/** Options of the import and export commands, as parsed by node:util parseArgs. */
export const spreadsheetCliOptions = {
  mode: { type: 'string' },
  'include-secrets': { type: 'boolean' },
} as const;

export const spreadsheetUsage = `  import <file>   Import accounts from an .xlsx or .csv file
                  --mode dry-run|all-or-nothing|valid-rows (default all-or-nothing)
  export <file>   Export all accounts to an .xlsx or .csv file (by its extension)
                  --include-secrets also writes passwords and PINs
`;

/** An invalid command line; the CLI prints the message and exits with 2. */
export class SpreadsheetUsageError extends Error {}

type Values = Record<string, string | boolean | undefined>;

async function withDatabase<T>(config: Config, use: (deps: Parameters<typeof createImportService>[0]) => Promise<T>): Promise<T> {
  // Logs go to stderr at warn level so that stdout carries the report.
  const logger = createCommandLogger(config);
  const database = await openConfiguredDatabase(config, logger);
  try {
    await migrateToLatest(database.db, logger);
    return await use({ db: database.db, logger, limits: config.importLimits });
  } finally {
    await database.close();
  }
}

/** Formats the import report for a terminal: the counts, then one line per problem. */
export function formatReport(report: ImportReport): string {
  const lines = [`${report.mode}: ${report.rows} rows, ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.skipped} skipped`];
  for (const problem of report.errors) {
    lines.push(`row ${problem.row}, ${problem.column} ${JSON.stringify(problem.value)}: ${problem.message}`);
  }
  if (report.moreErrors > 0) lines.push(`... and ${report.moreErrors} more problems`);
  if (report.mode === 'all-or-nothing' && report.errors.length > 0) {
    lines.push('Nothing was imported. Fix the rows above, or import the valid rows with --mode valid-rows.');
  }
  return `${lines.join('\n')}\n`;
}

/** `htek-dms import FILE`: exits 0 when the file had no problems, 1 otherwise. */
export async function importCommand(config: Config, args: string[], values: Values): Promise<number> {
  const [file] = args;
  if (file === undefined) throw new SpreadsheetUsageError('import needs a file, e.g. htek-dms import accounts.xlsx --mode dry-run');
  const mode = (values.mode ?? 'all-or-nothing') as ImportMode;
  if (!IMPORT_MODES.includes(mode)) throw new SpreadsheetUsageError(`--mode ${JSON.stringify(values.mode)} is not a mode; use one of ${IMPORT_MODES.join(', ')}`);
  await access(file).catch(() => {
    throw new SpreadsheetUsageError(`cannot read ${file}; check the path`);
  });

  try {
    const report = await withDatabase(config, (deps) => createImportService(deps).importFile(file, { mode }));
    process.stdout.write(formatReport(report));
    return report.errors.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof SpreadsheetError || (error instanceof AppError && error.statusCode < 500)) {
      process.stderr.write(`htek-dms: ${error.message} Nothing was imported.\n`);
      return 1;
    }
    throw error;
  }
}

/** `htek-dms export FILE`: writes every account; the format follows the extension. */
export async function exportCommand(config: Config, args: string[], values: Values): Promise<number> {
  const [file] = args;
  const extension = file === undefined ? '' : extname(file).toLowerCase();
  if (file === undefined || (extension !== '.xlsx' && extension !== '.csv')) {
    throw new SpreadsheetUsageError('export needs a file name ending in .xlsx or .csv, e.g. htek-dms export accounts.xlsx');
  }
  const includeSecrets = values['include-secrets'] === true;

  const count = await withDatabase(config, (deps) =>
    createExportService(deps).writeExport(createWriteStream(file), { format: extension === '.csv' ? 'csv' : 'xlsx', includeSecrets, filter: {} }),
  );
  process.stdout.write(`${count} accounts written to ${file}${includeSecrets ? ' (with passwords and PINs)' : ''}\n`);
  return 0;
}
