import { type Kysely, sql } from 'kysely';

// Account spreadsheet imports that run in the background: their progress and final report are
// kept in the database, so any instance behind a load balancer can answer a progress request.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('account_imports')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('mode', 'text', (col) => col.notNull().check(sql`mode in ('dry-run', 'all-or-nothing', 'valid-rows')`))
    .addColumn('state', 'text', (col) => col.notNull().check(sql`state in ('reading', 'validating', 'writing', 'done', 'failed')`))
    .addColumn('rows_read', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('rows_validated', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('rows_written', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('total', 'integer')
    .addColumn('result', 'jsonb')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('account_imports_created_idx').on('account_imports').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('account_imports').execute();
}
