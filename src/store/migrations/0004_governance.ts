import type { Kysely } from 'kysely';
import { columnTypes } from './types.js';

/**
 * Idempotency keys, the workspace policy, proposals, the change feed, background operations,
 * budgets, and the two sensitive contact fields the default policy names.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { text } = columnTypes(db);
  // Keys are scoped to the caller: its workspace and token ('' and anon:<ip> before signup).
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('workspace_id', text, (c) => c.notNull())
    .addColumn('principal', text, (c) => c.notNull())
    .addColumn('key', text, (c) => c.notNull())
    .addColumn('operation', text, (c) => c.notNull())
    .addColumn('request_hash', text, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('response', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('locked_at', text, (c) => c.notNull())
    .addColumn('expires_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['workspace_id', 'principal', 'key'])
    .execute();
  await db.schema
    .createIndex('idempotency_keys_expiry')
    .on('idempotency_keys')
    .columns(['workspace_id', 'expires_at'])
    .execute();

  await db.schema
    .alterTable('contacts')
    .addColumn('do_not_contact', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('contacts').addColumn('owner', text).execute();
  await db.schema.alterTable('workspaces').addColumn('monthly_budget_cents', 'integer').execute();
  await db.schema.alterTable('workspaces').addColumn('budget_currency', text).execute();

  await db.schema
    .createTable('workspace_policies')
    .addColumn('workspace_id', text, (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('policy', text, (c) => c.notNull())
    .addColumn('updated_by', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('proposals')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', text, (c) => c.notNull())
    .addColumn('operation', text, (c) => c.notNull())
    .addColumn('input', text, (c) => c.notNull())
    .addColumn('target', text)
    .addColumn('target_version', 'integer')
    .addColumn('diff', text, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('reason_code', text, (c) => c.notNull())
    .addColumn('summary', text, (c) => c.notNull())
    .addColumn('reason', text)
    .addColumn('proposer_type', text, (c) => c.notNull())
    .addColumn('proposer_id', text, (c) => c.notNull())
    .addColumn('proposer_token_id', text)
    .addColumn('decided_by', text)
    .addColumn('decided_at', text)
    .addColumn('decision_note', text)
    .addColumn('result', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('proposals_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createIndex('proposals_status')
    .on('proposals')
    .columns(['workspace_id', 'status', 'id'])
    .execute();

  // One counter row per workspace: taking the next number locks it until commit, so on
  // PostgreSQL events become visible in the order of their numbers and a feed reader never
  // skips one that commits late.
  await db.schema
    .createTable('event_counters')
    .addColumn('workspace_id', text, (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('events')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('id', text, (c) => c.notNull())
    .addColumn('at', text, (c) => c.notNull())
    .addColumn('type', text, (c) => c.notNull())
    .addColumn('target', text)
    .addColumn('operation', text, (c) => c.notNull())
    .addColumn('actor', text, (c) => c.notNull())
    .addColumn('changes', text)
    .addColumn('request_id', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('events_pk', ['workspace_id', 'seq'])
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', text, (c) => c.notNull())
    .addColumn('operation', text, (c) => c.notNull())
    .addColumn('input', text, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('done', 'integer', (c) => c.notNull())
    .addColumn('failed', 'integer', (c) => c.notNull())
    .addColumn('errors', text, (c) => c.notNull())
    .addColumn('result', text)
    .addColumn('caller', text, (c) => c.notNull())
    .addColumn('created_by', text, (c) => c.notNull())
    .addColumn('request_id', text, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('locked_by', text)
    .addColumn('locked_until', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addColumn('finished_at', text)
    .addPrimaryKeyConstraint('jobs_pk', ['workspace_id', 'id'])
    .execute();
  // The worker looks for runnable jobs across workspaces.
  await db.schema.createIndex('jobs_runnable').on('jobs').columns(['status', 'created_at']).execute();
  await db.schema
    .createIndex('jobs_by_creator')
    .on('jobs')
    .columns(['workspace_id', 'created_by', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'jobs',
    'events',
    'event_counters',
    'proposals',
    'workspace_policies',
    'idempotency_keys',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
