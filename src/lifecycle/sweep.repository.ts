import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The record tables whose soft-deleted rows the sweeper purges (tasks are cancelled, not deleted). */
export const PURGED_TABLES = ['contacts', 'companies', 'deals'] as const;
export type PurgedTable = (typeof PURGED_TABLES)[number];

/** A soft-deleted record past retention. */
export interface ExpiredRecord {
  workspace_id: string;
  id: string;
  deleted_at: string;
}

// The generic table parameter defeats Kysely's column inference; the queries are the same per table.
// biome-ignore lint/suspicious/noExplicitAny: see above
const loose = (db: Db) => db as any;

/**
 * Soft-deleted records of `table` deleted before `cutoff`, oldest first, at most `limit`; in one
 * workspace, or in all. Erased contacts' tombstones are never purged (docs/lifecycle.md).
 */
export async function expiredRecords(
  db: Db,
  table: PurgedTable,
  cutoff: string,
  limit: number,
  workspaceId: string | null,
): Promise<ExpiredRecord[]> {
  let query = loose(db)
    .selectFrom(table)
    .select(['workspace_id', 'id', 'deleted_at'])
    .where('deleted_at', 'is not', null)
    .where('deleted_at', '<', cutoff);
  if (table === 'contacts') query = query.where('erased_at', 'is', null);
  if (workspaceId !== null) query = query.where('workspace_id', '=', workspaceId);
  return query.orderBy('deleted_at').orderBy('id').limit(limit).execute();
}

/**
 * Whether the record is still soft-deleted before `cutoff` (another process may have purged or
 * restored it meanwhile), holding it until the transaction ends: on PostgreSQL a row lock (a
 * concurrent restore or purge waits, then finds it gone); SQLite's transaction already holds the
 * database's write lock.
 */
export async function claimExpiredRecord(
  db: Db,
  table: PurgedTable,
  workspaceId: string,
  id: string,
  cutoff: string,
  rowLock: boolean,
): Promise<boolean> {
  let query = loose(db)
    .selectFrom(table)
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('deleted_at', 'is not', null)
    .where('deleted_at', '<', cutoff);
  if (table === 'contacts') query = query.where('erased_at', 'is', null);
  if (rowLock) query = query.forUpdate();
  return (await query.executeTakeFirst()) !== undefined;
}

/** Deletes a claimed record (its references cleared first: the foreign keys insist). */
export async function deleteRecord(
  db: Db,
  table: PurgedTable,
  workspaceId: string,
  id: string,
): Promise<void> {
  await loose(db).deleteFrom(table).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Deletes the rows of `table` whose `column` names the purged record (owned rows: a contact's activities). */
export async function deleteOwned(
  db: Db,
  table: string,
  column: string,
  workspaceId: string,
  id: string,
): Promise<string[]> {
  const rows: { id: string }[] = await loose(db)
    .deleteFrom(table)
    .where('workspace_id', '=', workspaceId)
    .where(column, '=', id)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/** Clears `column` where it names the purged record; answers each changed row's id and new version. */
export async function clearReference(
  db: Db,
  table: string,
  column: string,
  workspaceId: string,
  id: string,
  /** Set for tables that keep an updated_at (the versioned, soft-deletable kinds). */
  updatedAt: string | null,
): Promise<{ id: string; version: number }[]> {
  const set: Record<string, unknown> = { [column]: null, version: sql`version + 1` };
  if (updatedAt !== null) set.updated_at = updatedAt;
  const rows: { id: string; version: number | string }[] = await loose(db)
    .updateTable(table)
    .set(set)
    .where('workspace_id', '=', workspaceId)
    .where(column, '=', id)
    .returning(['id', 'version'])
    .execute();
  return rows.map((row) => ({ id: row.id, version: Number(row.version) }));
}

/** Who last wrote each field of a purged record: nothing is left to describe. */
export async function deleteFieldWriters(db: Db, workspaceId: string, target: string): Promise<void> {
  await db
    .deleteFrom('field_writers')
    .where('workspace_id', '=', workspaceId)
    .where('target', '=', target)
    .execute();
}
