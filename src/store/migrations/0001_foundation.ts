import { type Kysely, sql } from 'kysely';
import { columnTypes } from './types.js';

/** Every tenant table's primary key and indexes begin with workspace_id (DESIGN.md, Tenancy). */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { text } = columnTypes(db);
  await db.schema
    .createTable('workspaces')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('plan', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('agents')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', text, (c) => c.notNull())
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('intended_use', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('agents_pk', ['workspace_id', 'id'])
    .execute();

  // Looked up by hash before the workspace is known, so the hash index stands alone.
  await db.schema
    .createTable('tokens')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('token_hash', text, (c) => c.notNull().unique())
    .addColumn('principal_type', text, (c) => c.notNull())
    .addColumn('principal_id', text, (c) => c.notNull())
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('scopes', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('last_used_at', text, (c) => c.notNull())
    .addColumn('expires_at', text, (c) => c.notNull())
    .addColumn('revoked_at', text)
    .execute();
  await db.schema
    .createIndex('tokens_principal')
    .on('tokens')
    .columns(['workspace_id', 'principal_id'])
    .execute();

  await db.schema
    .createTable('companies')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', text, (c) => c.notNull())
    .addColumn('name', text)
    .addColumn('domain', text)
    .addColumn('industry', text)
    .addColumn('size', text)
    .addColumn('website', text)
    .addColumn('tags', text, (c) => c.notNull().defaultTo('[]'))
    .addColumn('custom', text, (c) => c.notNull().defaultTo('{}'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addColumn('deleted_at', text)
    .addPrimaryKeyConstraint('companies_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createIndex('companies_domain')
    .on('companies')
    .columns(['workspace_id', 'domain'])
    .unique()
    .where(sql<boolean>`domain is not null and deleted_at is null`)
    .execute();

  await db.schema
    .createTable('contacts')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', text, (c) => c.notNull())
    .addColumn('name', text)
    .addColumn('email', text)
    .addColumn('phone', text)
    .addColumn('title', text)
    .addColumn('stage', text)
    .addColumn('company_id', text)
    .addColumn('tags', text, (c) => c.notNull().defaultTo('[]'))
    .addColumn('custom', text, (c) => c.notNull().defaultTo('{}'))
    .addColumn('follow_up_at', text)
    .addColumn('follow_up_note', text)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addColumn('deleted_at', text)
    .addPrimaryKeyConstraint('contacts_pk', ['workspace_id', 'id'])
    .addForeignKeyConstraint('contacts_company_fk', ['workspace_id', 'company_id'], 'companies', [
      'workspace_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('contacts_email')
    .on('contacts')
    .columns(['workspace_id', 'email'])
    .unique()
    .where(sql<boolean>`email is not null and deleted_at is null`)
    .execute();
  for (const column of ['created_at', 'updated_at']) {
    await db.schema
      .createIndex(`contacts_${column}`)
      .on('contacts')
      .columns(['workspace_id', column, 'id'])
      .execute();
  }

  await db.schema
    .createTable('audit_log')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', text, (c) => c.notNull())
    .addColumn('at', text, (c) => c.notNull())
    .addColumn('actor_type', text, (c) => c.notNull())
    .addColumn('actor_id', text, (c) => c.notNull())
    .addColumn('token_id', text)
    .addColumn('token_name', text)
    .addColumn('operation', text, (c) => c.notNull())
    .addColumn('tool_name', text)
    .addColumn('target', text)
    .addColumn('changes', text)
    .addColumn('reason', text)
    .addColumn('request_id', text, (c) => c.notNull())
    .addColumn('idempotency_key', text)
    .addColumn('policy_decision', text, (c) => c.notNull())
    .addColumn('reason_code', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_log_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createIndex('audit_log_target')
    .on('audit_log')
    .columns(['workspace_id', 'target', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['audit_log', 'contacts', 'companies', 'tokens', 'agents', 'workspaces']) {
    await db.schema.dropTable(table).execute();
  }
}
