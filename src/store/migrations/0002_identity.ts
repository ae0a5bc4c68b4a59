import type { Kysely } from 'kysely';
import { columnTypes } from './types.js';

/**
 * People, memberships, invites, one-time codes, plan usage and rate-limit counters. Tenant tables
 * begin their keys with workspace_id; the few lookups that happen before the workspace is known
 * (a person's workspaces, invites for an email at sign-in, an invite link, a token's owner) get
 * their own index, as tokens.token_hash does.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { text } = columnTypes(db);

  await db.schema.alterTable('workspaces').addColumn('billing_owner_id', text).execute();
  await db.schema.alterTable('workspaces').addColumn('created_by', text).execute();
  await db.schema.createIndex('tokens_by_principal').on('tokens').columns(['principal_id']).execute();

  await db.schema
    .createTable('users')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('email', text, (c) => c.notNull().unique())
    .addColumn('name', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('memberships')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('user_id', text, (c) => c.notNull().references('users.id'))
    .addColumn('role', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('memberships_pk', ['workspace_id', 'user_id'])
    .execute();
  await db.schema.createIndex('memberships_by_user').on('memberships').columns(['user_id']).execute();

  await db.schema
    .createTable('invites')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', text, (c) => c.notNull())
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('email', text, (c) => c.notNull())
    .addColumn('name', text)
    .addColumn('role', text, (c) => c.notNull())
    .addColumn('token_hash', text, (c) => c.unique())
    .addColumn('invited_by', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('expires_at', text, (c) => c.notNull())
    .addColumn('accepted_at', text)
    .addColumn('accepted_by', text)
    .addColumn('revoked_at', text)
    .addPrimaryKeyConstraint('invites_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema.createIndex('invites_by_email').on('invites').columns(['email']).execute();

  await db.schema
    .createTable('login_codes')
    .addColumn('email', text, (c) => c.primaryKey())
    .addColumn('code_hash', text)
    .addColumn('expires_at', text)
    .addColumn('used_at', text)
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failures_since', text)
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('step_up_codes')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', text, (c) => c.notNull())
    .addColumn('user_id', text, (c) => c.notNull())
    .addColumn('action_hash', text, (c) => c.notNull())
    .addColumn('action', text, (c) => c.notNull())
    .addColumn('code_hash', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('expires_at', text, (c) => c.notNull())
    .addColumn('used_at', text)
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('step_up_codes_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createIndex('step_up_codes_action')
    .on('step_up_codes')
    .columns(['workspace_id', 'user_id', 'action_hash'])
    .execute();

  await db.schema
    .createTable('usage_counters')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('resource', text, (c) => c.notNull())
    .addColumn('used', 'integer', (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_counters_pk', ['workspace_id', 'resource'])
    .execute();

  await db.schema
    .createTable('rate_limits')
    .addColumn('key', text, (c) => c.primaryKey())
    .addColumn('window_start', text, (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('expires_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limits_expiry').on('rate_limits').columns(['expires_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'rate_limits',
    'usage_counters',
    'step_up_codes',
    'login_codes',
    'invites',
    'memberships',
    'users',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.dropIndex('tokens_by_principal').execute();
  await db.schema.alterTable('workspaces').dropColumn('created_by').execute();
  await db.schema.alterTable('workspaces').dropColumn('billing_owner_id').execute();
}
