import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { columnTypes } from './types.js';

/**
 * Webhooks through a transactional outbox. `webhooks` are a workspace's endpoints; each change
 * that commits writes one `webhook_deliveries` row per matching endpoint in the same transaction
 * as its change-feed event, so nothing committed is lost and nothing rolled back is sent. The
 * dispatcher finds due rows through a small partial index (pending rows only). The signing secret
 * must be usable, so it is stored sealed (AES-256-GCM) under a server key created here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { text } = columnTypes(db);
  await db.schema
    .createTable('webhooks')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', text, (c) => c.notNull())
    .addColumn('url', text, (c) => c.notNull())
    .addColumn('description', text)
    .addColumn('events', text, (c) => c.notNull())
    .addColumn('secret_sealed', text, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull())
    .addColumn('failing_since', text)
    .addColumn('created_by', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('webhooks_pk', ['workspace_id', 'id'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', text, (c) => c.notNull())
    .addColumn('webhook_id', text, (c) => c.notNull())
    .addColumn('event_id', text, (c) => c.notNull())
    .addColumn('event_seq', 'bigint', (c) => c.notNull())
    .addColumn('event_type', text, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', text, (c) => c.notNull())
    .addColumn('locked_by', text)
    .addColumn('locked_until', text)
    .addColumn('last_attempt_at', text)
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', text)
    .addColumn('last_duration_ms', 'integer')
    .addColumn('last_response', text)
    .addColumn('delivered_at', text)
    .addColumn('replay_of', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_deliveries_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_by_webhook')
    .on('webhook_deliveries')
    .columns(['workspace_id', 'webhook_id', 'id'])
    .execute();
  // Only pending rows: the dispatcher's scan across workspaces stays as small as the backlog.
  await db.schema
    .createIndex('webhook_deliveries_due')
    .on('webhook_deliveries')
    .columns(['workspace_id', 'next_attempt_at'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();

  const secret = randomBytes(32).toString('base64url');
  const now = new Date().toISOString();
  await sql`insert into server_keys (name, secret, created_at) values ('webhook_secrets', ${secret}, ${now})`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from server_keys where name = 'webhook_secrets'`.execute(db);
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('webhooks').execute();
}
