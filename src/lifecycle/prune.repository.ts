import { type Kysely, sql, type Transaction } from 'kysely';
import { byWorkspace, deletedCount as count, scoped } from '../store/purge.js';
import type { Database } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The sweeper's bulk tables (docs/lifecycle.md): rows past their time are selected, at most `limit`,
 * then deleted by key with the condition repeated, so two sweepers racing delete each row once and
 * each counts only what it deleted itself.
 */

/**
 * Finished webhook deliveries (succeeded or failed, never pending) made before `cutoff`, at most
 * `limit`: selected first, then deleted by key with the condition repeated, so two sweepers racing
 * delete each row once.
 */
export async function purgeDeliveries(db: Db, cutoff: string, limit: number, workspaceId: string | null) {
  const keys = await scoped(
    db
      .selectFrom('webhook_deliveries')
      .select(['workspace_id', 'id'])
      .where('status', '!=', 'pending')
      .where('created_at', '<', cutoff),
    workspaceId,
  )
    .orderBy('created_at')
    .limit(limit)
    .execute();
  let removed = 0;
  for (const [ws, ids] of byWorkspace(keys, (k) => k.id)) {
    const result = await db
      .deleteFrom('webhook_deliveries')
      .where('workspace_id', '=', ws)
      .where('id', 'in', ids)
      .where('status', '!=', 'pending')
      .where('created_at', '<', cutoff)
      .executeTakeFirst();
    removed += count(result);
  }
  return { removed, more: keys.length === limit };
}

/** Change-feed events older than `cutoff` that no delivery still refers to. */
export async function purgeEvents(db: Db, cutoff: string, limit: number, workspaceId: string | null) {
  const undelivered = sql<boolean>`not exists (select 1 from webhook_deliveries as d
    where d.workspace_id = events.workspace_id and d.event_id = events.id)`;
  const keys = await scoped(
    db.selectFrom('events').select(['workspace_id', 'seq']).where('at', '<', cutoff).where(undelivered),
    workspaceId,
  )
    .orderBy('workspace_id')
    .orderBy('seq')
    .limit(limit)
    .execute();
  let removed = 0;
  for (const [ws, seqs] of byWorkspace(keys, (k) => Number(k.seq))) {
    const result = await db
      .deleteFrom('events')
      .where('workspace_id', '=', ws)
      .where('seq', 'in', seqs)
      .where('at', '<', cutoff)
      .where(undelivered)
      .executeTakeFirst();
    removed += count(result);
  }
  return { removed, more: keys.length === limit };
}

/** Idempotency keys past their expiry (24 hours after first use). */
export async function purgeIdempotencyKeys(db: Db, now: string, limit: number, workspaceId: string | null) {
  const keys = await scoped(
    db
      .selectFrom('idempotency_keys')
      .select(['workspace_id', 'principal', 'key_hash'])
      .where('expires_at', '<', now),
    workspaceId,
  )
    .limit(limit)
    .execute();
  let removed = 0;
  for (const key of keys) {
    const result = await db
      .deleteFrom('idempotency_keys')
      .where('workspace_id', '=', key.workspace_id)
      .where('principal', '=', key.principal)
      .where('key_hash', '=', key.key_hash)
      .where('expires_at', '<', now)
      .executeTakeFirst();
    removed += count(result);
  }
  return { removed, more: keys.length === limit };
}
