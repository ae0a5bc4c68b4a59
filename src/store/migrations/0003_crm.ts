import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { columnTypes } from './types.js';

/**
 * The CRM records beyond contacts: deals, activities and tasks; the indexes that lists,
 * reminders and context need; the record version in the audit log (for version conflicts); and
 * the server key that signs delete confirmations (in the database, so every instance agrees).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { text } = columnTypes(db);

  await db.schema
    .createTable('deals')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', text, (c) => c.notNull())
    .addColumn('title', text, (c) => c.notNull())
    .addColumn('amount_cents', 'bigint')
    .addColumn('currency', text)
    .addColumn('stage', text)
    .addColumn('status', text, (c) => c.notNull().defaultTo('open'))
    .addColumn('contact_id', text)
    .addColumn('company_id', text)
    .addColumn('expected_close_at', text)
    .addColumn('closed_at', text)
    .addColumn('follow_up_at', text)
    .addColumn('follow_up_note', text)
    .addColumn('tags', text, (c) => c.notNull().defaultTo('[]'))
    .addColumn('custom', text, (c) => c.notNull().defaultTo('{}'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addColumn('deleted_at', text)
    .addPrimaryKeyConstraint('deals_pk', ['workspace_id', 'id'])
    .addForeignKeyConstraint('deals_contact_fk', ['workspace_id', 'contact_id'], 'contacts', [
      'workspace_id',
      'id',
    ])
    .addForeignKeyConstraint('deals_company_fk', ['workspace_id', 'company_id'], 'companies', [
      'workspace_id',
      'id',
    ])
    .execute();

  await db.schema
    .createTable('activities')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', text, (c) => c.notNull())
    .addColumn('contact_id', text, (c) => c.notNull())
    .addColumn('deal_id', text)
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('body', text, (c) => c.notNull())
    .addColumn('occurred_at', text, (c) => c.notNull())
    .addColumn('created_by', text, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('activities_pk', ['workspace_id', 'id'])
    .addForeignKeyConstraint('activities_contact_fk', ['workspace_id', 'contact_id'], 'contacts', [
      'workspace_id',
      'id',
    ])
    .addForeignKeyConstraint('activities_deal_fk', ['workspace_id', 'deal_id'], 'deals', [
      'workspace_id',
      'id',
    ])
    .execute();

  await db.schema
    .createTable('tasks')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', text, (c) => c.notNull())
    .addColumn('title', text, (c) => c.notNull())
    .addColumn('notes', text)
    .addColumn('due_at', text)
    .addColumn('status', text, (c) => c.notNull().defaultTo('open'))
    .addColumn('completed_at', text)
    .addColumn('contact_id', text)
    .addColumn('deal_id', text)
    .addColumn('company_id', text)
    .addColumn('assignee', text)
    .addColumn('tags', text, (c) => c.notNull().defaultTo('[]'))
    .addColumn('custom', text, (c) => c.notNull().defaultTo('{}'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addColumn('deleted_at', text)
    .addPrimaryKeyConstraint('tasks_pk', ['workspace_id', 'id'])
    .addForeignKeyConstraint('tasks_contact_fk', ['workspace_id', 'contact_id'], 'contacts', [
      'workspace_id',
      'id',
    ])
    .addForeignKeyConstraint('tasks_deal_fk', ['workspace_id', 'deal_id'], 'deals', ['workspace_id', 'id'])
    .addForeignKeyConstraint('tasks_company_fk', ['workspace_id', 'company_id'], 'companies', [
      'workspace_id',
      'id',
    ])
    .execute();

  const indexes: [string, string, string[]][] = [
    ['companies_created_at', 'companies', ['created_at', 'id']],
    ['companies_updated_at', 'companies', ['updated_at', 'id']],
    ['contacts_company', 'contacts', ['company_id']],
    ['contacts_follow_up', 'contacts', ['follow_up_at', 'id']],
    ['deals_created_at', 'deals', ['created_at', 'id']],
    ['deals_contact', 'deals', ['contact_id']],
    ['deals_company', 'deals', ['company_id']],
    ['deals_follow_up', 'deals', ['follow_up_at', 'id']],
    ['activities_contact', 'activities', ['contact_id', 'occurred_at', 'id']],
    ['activities_deal', 'activities', ['deal_id', 'occurred_at', 'id']],
    ['activities_occurred_at', 'activities', ['occurred_at', 'id']],
    ['tasks_due', 'tasks', ['status', 'due_at', 'id']],
    ['tasks_created_at', 'tasks', ['created_at', 'id']],
    ['tasks_contact', 'tasks', ['contact_id']],
    ['tasks_deal', 'tasks', ['deal_id']],
    ['tasks_company', 'tasks', ['company_id']],
    ['audit_log_operation', 'audit_log', ['operation', 'id']],
    ['audit_log_actor', 'audit_log', ['actor_id', 'id']],
  ];
  for (const [name, table, columns] of indexes) {
    await db.schema
      .createIndex(name)
      .on(table)
      .columns(['workspace_id', ...columns])
      .execute();
  }

  // The record version a change produced, so a version conflict can name the fields changed since.
  await db.schema.alterTable('audit_log').addColumn('record_version', 'integer').execute();

  // Not tenant data: one row per purpose, read by every app instance.
  await db.schema
    .createTable('server_keys')
    .addColumn('name', text, (c) => c.primaryKey())
    .addColumn('secret', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
  const secret = randomBytes(32).toString('base64url');
  const now = new Date().toISOString();
  await sql`insert into server_keys (name, secret, created_at) values ('delete_confirmation', ${secret}, ${now})`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('server_keys').execute();
  await db.schema.alterTable('audit_log').dropColumn('record_version').execute();
  for (const name of [
    'audit_log_operation',
    'audit_log_actor',
    'companies_created_at',
    'companies_updated_at',
  ]) {
    await db.schema.dropIndex(name).execute();
  }
  for (const name of ['contacts_company', 'contacts_follow_up']) await db.schema.dropIndex(name).execute();
  for (const table of ['tasks', 'activities', 'deals']) await db.schema.dropTable(table).execute();
}
