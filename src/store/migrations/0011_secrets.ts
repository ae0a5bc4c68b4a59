import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { keyFingerprint } from '../../idempotency/fingerprint.js';
import { columnTypes } from './types.js';

/**
 * Idempotency keys stop being stored: a row holds an HMAC of (workspace, principal, key) under the
 * server key and the id of that key, and its answer is sealed under a key derived from the raw key,
 * which only the caller has (docs/secrets.md). Rows of the old shape cannot be converted (their
 * answers were sealed under the old derivation) and are dropped: they expire within 24 hours
 * anyway; a client retrying across the upgrade with one of them runs its request once more.
 *
 * The delete-confirmation key goes too: confirmations and console form tokens now come from the
 * keyring (tokens already issued, valid for minutes, must be asked for again).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { text } = columnTypes(db);
  await db.schema.dropTable('idempotency_keys').execute();
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('workspace_id', text, (c) => c.notNull())
    .addColumn('principal', text, (c) => c.notNull())
    .addColumn('key_hash', text, (c) => c.notNull())
    .addColumn('key_id', text, (c) => c.notNull())
    .addColumn('operation', text, (c) => c.notNull())
    .addColumn('request_hash', text, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('response', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('locked_at', text, (c) => c.notNull())
    .addColumn('expires_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['workspace_id', 'principal', 'key_hash'])
    .execute();
  await db.schema
    .createIndex('idempotency_keys_expiry')
    .on('idempotency_keys')
    .columns(['workspace_id', 'expires_at'])
    .execute();
  await sql`delete from server_keys where name = 'delete_confirmation'`.execute(db);
  await fingerprintAuditedKeys(db);
}

/**
 * The audit log named each change's raw idempotency key, which (with the database's own key) opens
 * the stored answer: earlier entries get the fingerprint new ones carry. Runs before 0014 chains
 * the audit rows, a page at a time.
 */
async function fingerprintAuditedKeys(db: Kysely<unknown>): Promise<void> {
  let after = '';
  for (;;) {
    const { rows } = await sql<{ workspace_id: string; id: string; idempotency_key: string }>`
      select workspace_id, id, idempotency_key from audit_log
      where idempotency_key is not null and idempotency_key not like 'idk\_%' escape '\'
        and workspace_id || ' ' || id > ${after}
      order by workspace_id || ' ' || id limit 500`.execute(db);
    if (rows.length === 0) return;
    for (const row of rows) {
      await sql`update audit_log set idempotency_key = ${keyFingerprint(row.idempotency_key)}
        where workspace_id = ${row.workspace_id} and id = ${row.id}`.execute(db);
    }
    const last = rows.at(-1)!;
    after = `${last.workspace_id} ${last.id}`;
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const { text } = columnTypes(db);
  await db.schema.dropTable('idempotency_keys').execute();
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
  // The old code reads this key at every delete confirmation; a fresh one serves as well.
  const secret = randomBytes(32).toString('base64url');
  await sql`insert into server_keys (name, secret, created_at) values ('delete_confirmation', ${secret}, ${new Date().toISOString()})`.execute(
    db,
  );
}
