import { sql } from 'kysely';
import type { Database } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';
import { slices } from '../store/slices.js';
import type { RecordTable } from './kind.js';
import type { SearchHook } from './query/apply.js';

/**
 * SQL shared by every versioned record kind. The table is a parameter, which defeats Kysely's
 * column inference, so the builders are loosened here — and only here.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
const loose = (builder: unknown) => builder as any;

type Row<T extends RecordTable> = Database[T];

export async function findRecord<T extends RecordTable>(
  ws: WorkspaceDb,
  table: T,
  id: string,
  state: 'live' | 'any' = 'live',
  /** PostgreSQL: hold the row until the transaction ends (`for update`), so no other writer can pass. */
  rowLock = false,
): Promise<Row<T> | undefined> {
  let query = loose(ws.selectFrom(table)).selectAll().where('id', '=', id);
  if (state === 'live') query = query.where('deleted_at', 'is', null);
  if (rowLock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function findLiveBy<T extends RecordTable>(
  ws: WorkspaceDb,
  table: T,
  column: string,
  value: unknown,
): Promise<Row<T> | undefined> {
  return loose(ws.selectFrom(table))
    .selectAll()
    .where(column, '=', value)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** An INSERT of `rows`; with `unique`, a row whose value a live record already holds is skipped. */
function insertSkippingHeld<T extends RecordTable>(
  ws: WorkspaceDb,
  table: T,
  rows: Omit<Row<T>, 'workspace_id'>[],
  unique: string | undefined,
) {
  const query = loose(ws.insertInto(table, rows as never));
  if (!unique) return query;
  return query.onConflict(
    // biome-ignore lint/suspicious/noExplicitAny: the conflict builder of a loosened query
    (oc: any) =>
      oc
        .columns(['workspace_id', unique])
        .where(unique, 'is not', null)
        .where('deleted_at', 'is', null)
        .doNothing(),
  );
}

/**
 * Inserts a record; with `unique`, does nothing when a live record already holds that value (a
 * concurrent upsert won the race). Returns whether the row was inserted.
 */
export async function insertRecord<T extends RecordTable>(
  ws: WorkspaceDb,
  table: T,
  row: Omit<Row<T>, 'workspace_id'>,
  unique?: string,
): Promise<boolean> {
  const result = await insertSkippingHeld(ws, table, [row], unique).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Which of these values of `column` live records hold (a batch chunk's upsert keys). */
export async function liveValuesOf(
  ws: WorkspaceDb,
  table: RecordTable,
  column: string,
  values: unknown[],
): Promise<Set<unknown>> {
  const held = new Set<unknown>();
  for (let start = 0; start < values.length; start += 5000) {
    const rows: Record<string, unknown>[] = await loose(ws.selectFrom(table))
      .select(column)
      .where(column, 'in', values.slice(start, start + 5000))
      .where('deleted_at', 'is', null)
      .execute();
    for (const row of rows) held.add(row[column]);
  }
  return held;
}

/**
 * insertRecord for many rows with multi-row INSERTs; with `unique`, a row whose value a live
 * record already holds is skipped. Returns how many rows were inserted.
 */
export async function insertRecords<T extends RecordTable>(
  ws: WorkspaceDb,
  table: T,
  rows: Omit<Row<T>, 'workspace_id'>[],
  unique?: string,
): Promise<number> {
  let inserted = 0;
  for (const slice of slices(rows)) {
    const result = await insertSkippingHeld(ws, table, slice, unique).returning('id').execute();
    inserted += result.length;
  }
  return inserted;
}

/**
 * Writes a change to a live record only if it is still at `version` (the one the change was
 * computed from), bumping the version; undefined when another writer got there first.
 */
export async function updateVersioned<T extends RecordTable>(
  ws: WorkspaceDb,
  table: T,
  id: string,
  set: Record<string, unknown>,
  version: number,
): Promise<Row<T> | undefined> {
  return loose(ws.updateTable(table))
    .set({ ...set, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Soft-deletes (deletedAt) or restores (null) a record that is still at `version`. */
export async function setDeleted<T extends RecordTable>(
  ws: WorkspaceDb,
  table: T,
  id: string,
  deletedAt: string | null,
  now: string,
  version: number,
): Promise<Row<T> | undefined> {
  return loose(ws.updateTable(table))
    .set({ deleted_at: deletedAt, updated_at: now, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', deletedAt === null ? 'is not' : 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Which of these ids name soft-deleted records. */
export async function deletedAmong(ws: WorkspaceDb, table: RecordTable, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows: { id: string }[] = await loose(ws.selectFrom(table))
    .select('id')
    .where('id', 'in', ids)
    .where('deleted_at', 'is not', null)
    .execute();
  return new Set(rows.map((row) => row.id));
}

/** How many rows of `from` refer to `id` through `column` (live rows only, when rows can be deleted). */
export async function countReferences(
  ws: WorkspaceDb,
  from: string,
  column: string,
  id: string,
  deletable: boolean,
): Promise<number> {
  let query = loose(ws.selectFrom(from as RecordTable))
    .select(sql<number>`count(*)`.as('n'))
    .where(column, '=', id);
  if (deletable) query = query.where('deleted_at', 'is', null);
  const row: { n: number | string } = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A plain case-insensitive substring match over some text columns, unranked: `search=` for the
 * kinds that have no full-text index yet (contacts have one: src/records/search/).
 */
export function likeAny(table: string, columns: readonly string[]): SearchHook {
  return async (term) => {
    const pattern = `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const tests = columns.map(
      (column) => sql<boolean>`lower(${sql.ref(`${table}.${column}`)}) like ${pattern} escape '\\'`,
    );
    return { where: sql<boolean>`(${sql.join(tests, sql` or `)})` };
  };
}

/**
 * Writes a revert's values to a record in any state (deleted_at may be among them) if it is still
 * at `version`, bumping the version; undefined when another writer got there first.
 */
export async function writeReverted<T extends RecordTable>(
  ws: WorkspaceDb,
  table: T,
  id: string,
  set: Record<string, unknown>,
  version: number,
): Promise<Row<T> | undefined> {
  return loose(ws.updateTable(table))
    .set({ ...set, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}
