import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { FileMigrationProvider, type Kysely, Migrator } from 'kysely';
import type { Logger } from 'pino';

// The folder is found relative to this file so the same code works from src/ (tsx, tap) and
// from dist/src/ after tsc, where migrations/ sits at dist/migrations/.
const migrationFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

/** Applies every pending migration; throws when one fails, naming it. */
export async function migrateToLatest(db: Kysely<any>, logger: Logger): Promise<void> {
  const migrator = new Migrator({ db: db.withoutPlugins(), provider: new FileMigrationProvider({ fs, path, migrationFolder }) });
  const { error, results } = await migrator.migrateToLatest();

  for (const result of results ?? []) {
    if (result.status === 'Success') logger.info({ migration: result.migrationName }, 'migration applied');
    if (result.status === 'Error') logger.error({ migration: result.migrationName }, 'migration failed');
  }
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${(error as Error).message}`, { cause: error });
  }
}

/** Returns the names of migrations that exist as files but are not applied yet. */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db: db.withoutPlugins(), provider: new FileMigrationProvider({ fs, path, migrationFolder }) });
  const migrations = await migrator.getMigrations();
  return migrations.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
}
