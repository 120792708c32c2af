import { type Kysely, sql } from 'kysely';

// Migrations take an untyped Kysely instance: they describe the schema as it was at their
// time, not as the current src/db/schema.ts describes it.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('profiles')
    .addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('sip_server', 'text', (col) => col.notNull())
    .addColumn('sip_port', 'integer', (col) => col.notNull().defaultTo(5060))
    .addColumn('transport', 'text', (col) => col.notNull().defaultTo('udp').check(sql`transport in ('udp', 'tcp', 'tls')`))
    .addColumn('outbound_proxy', 'text')
    .addColumn('failover_server', 'text')
    .addColumn('registration_expiry', 'integer', (col) => col.notNull().defaultTo(3600))
    .addColumn('dtmf_mode', 'text', (col) => col.notNull().defaultTo('rfc2833'))
    .addColumn('nat_traversal', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('rport', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('mwi_subscribe', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('extra_parameters', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index profiles_name_key on profiles (lower(name))`.execute(db);

  await db.schema
    .createTable('accounts')
    .addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('profile_id', 'integer', (col) => col.notNull().references('profiles.id').onDelete('restrict'))
    .addColumn('active', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('label', 'text', (col) => col.notNull())
    .addColumn('sip_user_id', 'text', (col) => col.notNull())
    .addColumn('auth_id', 'text', (col) => col.notNull())
    .addColumn('auth_password', 'text', (col) => col.notNull())
    .addColumn('direct_pickup_code', 'text')
    .addColumn('group_pickup_code', 'text')
    .addColumn('feature_key_sync', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('voicemail_user_id', 'text')
    .addColumn('dial_plan', 'text')
    .addColumn('event_list_blf_url', 'text')
    .addColumn('pin', 'text', (col) => col.notNull())
    .addColumn('display_name', 'text')
    .addColumn('local_sip_port', 'integer', (col) => col.notNull().defaultTo(5060))
    .addColumn('use_random_port', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('offline').check(sql`status in ('online', 'offline')`))
    .addColumn('status_changed_at', 'timestamptz')
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('accounts_profile_sip_user_key', ['profile_id', 'sip_user_id'])
    .execute();
  await sql`create unique index accounts_name_key on accounts (lower(name))`.execute(db);

  await db.schema
    .createTable('devices')
    .addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('mac', 'text', (col) => col.notNull().unique().check(sql`mac ~ '^[0-9a-f]{12}$'`))
    .addColumn('model', 'text', (col) => col.notNull())
    .addColumn('profile_id', 'integer', (col) => col.notNull().references('profiles.id').onDelete('restrict'))
    .addColumn('description', 'text')
    .addColumn('last_seen_at', 'timestamptz')
    .addColumn('last_address', 'text')
    .addColumn('last_user_agent', 'text')
    .addColumn('reported_model', 'text')
    .addColumn('firmware', 'text')
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('device_lines')
    .addColumn('device_id', 'integer', (col) => col.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('line', 'integer', (col) => col.notNull().check(sql`line between 1 and 16`))
    .addColumn('account_id', 'integer', (col) => col.notNull().references('accounts.id').onDelete('restrict'))
    .addPrimaryKeyConstraint('device_lines_pkey', ['device_id', 'line'])
    .execute();
  await db.schema.createIndex('device_lines_account_idx').on('device_lines').column('account_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('device_lines').execute();
  await db.schema.dropTable('devices').execute();
  await db.schema.dropTable('accounts').execute();
  await db.schema.dropTable('profiles').execute();
}
