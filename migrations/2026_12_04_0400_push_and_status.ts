import { type Kysely, sql } from 'kysely';

// Push jobs (check-sync NOTIFYs tracked per device) and the data behind live account status:
// a secret token per device for its Action URLs, an optional NOTIFY target override and the SIP
// port the phone last reported.

export async function up(db: Kysely<unknown>): Promise<void> {
  // The default is volatile, so Postgres fills a distinct token into every existing device.
  await db.schema
    .alterTable('devices')
    .addColumn('status_token', 'text', (col) => col.notNull().unique().defaultTo(sql`replace(gen_random_uuid()::text, '-', '')`))
    .addColumn('sip_target', 'text')
    .addColumn('reported_sip_port', 'integer')
    .execute();

  await db.schema
    .createTable('push_jobs')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('mode', 'text', (col) => col.notNull().check(sql`mode in ('now', 'at')`))
    .addColumn('run_at', 'timestamptz', (col) => col.notNull())
    .addColumn('reboot', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('max_concurrent', 'integer', (col) => col.notNull())
    .addColumn('rate_per_second', 'integer', (col) => col.notNull())
    .addColumn('window_started_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('sent_in_window', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('push_job_devices')
    .addColumn('job_id', 'uuid', (col) => col.notNull().references('push_jobs.id').onDelete('cascade'))
    .addColumn('device_id', 'integer', (col) => col.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('mac', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull().defaultTo('queued').check(sql`state in ('queued', 'sent', 'answered', 'confirmed', 'failed')`))
    .addColumn('outcome', 'text')
    .addColumn('sip_status', 'integer')
    .addColumn('reason', 'text')
    .addColumn('dispatches', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('sent_at', 'timestamptz')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('push_job_devices_pkey', ['job_id', 'device_id'])
    .execute();
  await db.schema.createIndex('push_job_devices_state_idx').on('push_job_devices').columns(['state', 'job_id']).execute();
  await db.schema.createIndex('push_job_devices_device_idx').on('push_job_devices').columns(['device_id', 'state']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('push_job_devices').execute();
  await db.schema.dropTable('push_jobs').execute();
  await db.schema.alterTable('devices').dropColumn('reported_sip_port').dropColumn('sip_target').dropColumn('status_token').execute();
}
