import { type Kysely, sql } from 'kysely';

// Phone-facing data: a per-device dialect override, the bounded list of discovered (unknown)
// phones, and the bounded per-device history of phone requests.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('devices')
    .addColumn('dialect', 'text', (col) => col.check(sql`dialect in ('p-code', 'named')`))
    .execute();

  await db.schema
    .createTable('discovered_devices')
    .addColumn('mac', 'text', (col) => col.primaryKey().check(sql`mac ~ '^[0-9a-f]{12}$'`))
    .addColumn('first_seen_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_address', 'text', (col) => col.notNull())
    .addColumn('reported_model', 'text')
    .addColumn('firmware', 'text')
    .addColumn('request_count', 'integer', (col) => col.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('discovered_devices_last_seen_idx').on('discovered_devices').column('last_seen_at').execute();

  await db.schema
    .createTable('device_requests')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('device_id', 'integer', (col) => col.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('requested_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('file_name', 'text', (col) => col.notNull())
    .addColumn('status_code', 'integer', (col) => col.notNull())
    .addColumn('reason', 'text')
    .addColumn('address', 'text', (col) => col.notNull())
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('device_requests_device_idx').on('device_requests').columns(['device_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('device_requests').execute();
  await db.schema.dropTable('discovered_devices').execute();
  await db.schema.alterTable('devices').dropColumn('dialect').execute();
}
