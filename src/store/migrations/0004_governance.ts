import type { Kysely } from 'kysely';
import { columnTypes } from './types.js';

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
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
}
