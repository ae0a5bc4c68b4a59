import type { Kysely, Transaction } from 'kysely';
import type { Database, IdempotencyKeysTable } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A row's address: the caller's workspace and principal, and the keyed hash of its key. */
export interface RowScope {
  workspaceId: string;
  principal: string;
  keyHash: string;
}

const where = <Q extends { where: (...args: never[]) => Q }>(query: Q, scope: RowScope): Q =>
  // biome-ignore lint/suspicious/noExplicitAny: the same three predicates on select, update and delete
  (query as any)
    .where('workspace_id', '=', scope.workspaceId)
    .where('principal', '=', scope.principal)
    .where('key_hash', '=', scope.keyHash);

export async function findKey(db: Db, scope: RowScope): Promise<IdempotencyKeysTable | undefined> {
  return where(db.selectFrom('idempotency_keys').selectAll(), scope).executeTakeFirst();
}

/** Claims the key for a first attempt; false when another attempt holds or finished it. */
export async function claimKey(db: Db, row: IdempotencyKeysTable): Promise<boolean> {
  const result = await db
    .insertInto('idempotency_keys')
    .values(row)
    .onConflict((oc) => oc.columns(['workspace_id', 'principal', 'key_hash']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Takes over an attempt whose process died (its lock is older than `staleBefore`). */
export async function takeOverStale(
  db: Db,
  scope: RowScope,
  staleBefore: string,
  now: string,
): Promise<boolean> {
  const result = await where(db.updateTable('idempotency_keys').set({ locked_at: now }), scope)
    .where('status', '=', 'in_progress')
    .where('locked_at', '<', staleBefore)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function completeKey(
  db: Db,
  scope: RowScope,
  response: string,
  subjects: string | null = null,
): Promise<void> {
  await where(
    db.updateTable('idempotency_keys').set({ status: 'done', response, subjects }),
    scope,
  ).execute();
}

export async function releaseKey(db: Db, scope: RowScope): Promise<void> {
  await where(db.deleteFrom('idempotency_keys'), scope).where('status', '=', 'in_progress').execute();
}

export async function purgeExpiredKeys(db: Db, workspaceId: string, now: string): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('workspace_id', '=', workspaceId)
    .where('expires_at', '<', now)
    .execute();
}

/** Removes this one key if it has expired; true when it did. */
export async function deleteExpiredKey(db: Db, scope: RowScope, now: string): Promise<boolean> {
  const result = await where(db.deleteFrom('idempotency_keys'), scope)
    .where('expires_at', '<', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
