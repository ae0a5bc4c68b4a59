import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import { forgetSecrets } from '../store/secret-lookups.repository.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The sweeper's bulk tables (docs/lifecycle.md): rows past their time are selected, at most `limit`,
 * then deleted by key with the condition repeated, so two sweepers racing delete each row once and
 * each counts only what it deleted itself.
 */

const scoped = <Q extends { where: (...args: never[]) => Q }>(query: Q, workspaceId: string | null): Q =>
  // biome-ignore lint/suspicious/noExplicitAny: the same predicate on every builder
  workspaceId === null ? query : (query as any).where('workspace_id', '=', workspaceId);

const count = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);

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

/** OAuth authorization codes past their expiry (used or not: a used code's token lives on its own). */
export async function purgeOAuthCodes(db: Db, now: string, limit: number, workspaceId: string | null) {
  const keys = await scoped(
    db.selectFrom('oauth_codes').select(['workspace_id', 'code_hash']).where('expires_at', '<', now),
    workspaceId,
  )
    .limit(limit)
    .execute();
  let removed = 0;
  for (const [ws, hashes] of byWorkspace(keys, (k) => k.code_hash)) {
    const purged = await db
      .deleteFrom('oauth_codes')
      .where('workspace_id', '=', ws)
      .where('code_hash', 'in', hashes)
      .where('expires_at', '<', now)
      .returning('code_hash')
      .execute();
    // The codes' hashes leave the secret lookup with them (docs/scale.md).
    await forgetSecrets(
      db,
      'oauth_code',
      purged.map((row) => row.code_hash),
    );
    removed += purged.length;
  }
  return { removed, more: keys.length === limit };
}

/** Authorization requests (the sign-in page's state) past their expiry. Not tenant rows. */
export async function purgeOAuthRequests(db: Db, now: string, limit: number) {
  const keys = await db
    .selectFrom('oauth_requests')
    .select('id_hash')
    .where('expires_at', '<', now)
    .limit(limit)
    .execute();
  if (keys.length === 0) return { removed: 0, more: false };
  const result = await db
    .deleteFrom('oauth_requests')
    .where(
      'id_hash',
      'in',
      keys.map((k) => k.id_hash),
    )
    .where('expires_at', '<', now)
    .executeTakeFirst();
  return { removed: count(result), more: keys.length === limit };
}

/**
 * Dynamically registered clients never used: registered before `cutoff` with no grant, code or
 * request naming them (a connector registered and abandoned). Not tenant rows.
 */
export async function purgeUnusedOAuthClients(db: Db, cutoff: string, limit: number) {
  const unused = sql<boolean>`not exists (select 1 from oauth_grants as g where g.client_id = oauth_clients.id)
    and not exists (select 1 from oauth_codes as c where c.client_id = oauth_clients.id)
    and not exists (select 1 from oauth_requests as r where r.client_id = oauth_clients.id)`;
  const keys = await db
    .selectFrom('oauth_clients')
    .select('id')
    .where('created_at', '<', cutoff)
    .where(unused)
    .limit(limit)
    .execute();
  if (keys.length === 0) return { removed: 0, more: false };
  const result = await db
    .deleteFrom('oauth_clients')
    .where(
      'id',
      'in',
      keys.map((k) => k.id),
    )
    .where('created_at', '<', cutoff)
    .where(unused)
    .executeTakeFirst();
  return { removed: count(result), more: keys.length === limit };
}

function byWorkspace<K extends { workspace_id: string }, V>(
  keys: K[],
  value: (key: K) => V,
): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const key of keys) {
    const list = groups.get(key.workspace_id);
    if (list) list.push(value(key));
    else groups.set(key.workspace_id, [value(key)]);
  }
  return groups;
}
