import { type Kysely, sql } from 'kysely';

import { builtInRoles } from '../src/auth/permissions.js';

// Admin logins (users, roles, sessions, API tokens), the audit log, and the settings of who may
// fetch phone files. Password hashes are argon2id; session and token values are stored only as
// SHA-256 hashes.

export async function up(db: Kysely<unknown>): Promise<void> {
  await createRoleAndUserTables(db);
  await createSessionAndTokenTables(db);
  await createAuditTable(db);
  await createProvisioningAccessTables(db);
}

async function createRoleAndUserTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('roles')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('permissions', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('built_in', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  for (const role of builtInRoles) {
    await sql`insert into roles (name, description, permissions, built_in) values (${role.name}, ${role.description}, ${JSON.stringify(role.permissions)}::jsonb, true)`.execute(db);
  }

  await db.schema
    .createTable('users')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('username', 'text', (col) => col.notNull().unique())
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('role_id', 'integer', (col) => col.notNull().references('roles.id'))
    .addColumn('active', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('last_login_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

async function createSessionAndTokenTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (col) => col.notNull())
    .addColumn('address', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .execute();
}

async function createAuditTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('actor', 'text')
    .addColumn('actor_user_id', 'integer')
    .addColumn('address', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('method', 'text')
    .addColumn('route', 'text')
    .addColumn('object_type', 'text')
    .addColumn('object_id', 'text')
    .addColumn('outcome', 'text', (col) => col.notNull().check(sql`outcome in ('success', 'failure')`))
    .addColumn('status_code', 'integer')
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
  await db.schema.createIndex('audit_log_object_idx').on('audit_log').columns(['object_type', 'object_id']).execute();
}

async function createProvisioningAccessTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('provisioning_access')
    .addColumn('id', 'integer', (col) => col.primaryKey().check(sql`id = 1`))
    .addColumn('mode', 'text', (col) => col.notNull().defaultTo('networks-or-credentials'))
    .addColumn('allowed_networks', 'jsonb', (col) => col.notNull())
    .addColumn('fleet_username', 'text')
    .addColumn('fleet_password', 'text')
    .addColumn('previous_fleet_username', 'text')
    .addColumn('previous_fleet_password', 'text')
    .addColumn('fleet_changed_at', 'timestamptz')
    .addColumn('grace_minutes', 'integer', (col) => col.notNull().defaultTo(10080))
    .addColumn('allow_basic_over_http', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('block_threshold', 'integer', (col) => col.notNull().defaultTo(50))
    .addColumn('block_minutes', 'integer', (col) => col.notNull().defaultTo(60))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  const privateNetworks = ['127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'];
  await sql`insert into provisioning_access (id, allowed_networks) values (1, ${JSON.stringify(privateNetworks)}::jsonb)`.execute(db);

  await db.schema
    .createTable('device_provisioning_access')
    .addColumn('device_id', 'integer', (col) => col.primaryKey().references('devices.id').onDelete('cascade'))
    .addColumn('mode', 'text')
    .addColumn('username', 'text')
    .addColumn('device_password', 'text')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['device_provisioning_access', 'provisioning_access', 'audit_log', 'api_tokens', 'sessions', 'users', 'roles']) {
    await db.schema.dropTable(table).execute();
  }
}
