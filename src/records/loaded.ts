import type { OperationContext } from '../operations/define.js';
import type { Database } from '../store/schema.js';
import type { RecordTable } from './kind.js';
import { findLiveBy, findRecord } from './records.repository.js';

/**
 * One read of a record per run: the policy's decision (is this a sensitive change of an existing
 * contact?) and the handler (the upsert, field holds, the versioned update) ask for the same row,
 * and get the one the first of them loaded, from the run's memo (ctx.memo). Keys are (table, id)
 * and (table, unique column, value); a miss is remembered too.
 *
 * Safe because the run is one transaction and every write the records core makes goes through
 * `afterWrite`, which forgets what the run knew of the table; the versioned update re-reads fresh
 * rows when its conditional write loses a race. Code outside the core that writes record rows
 * itself calls afterWrite too (contacts.merge), or reads them with the repository, never from here
 * (revert, the batch insert).
 */
const PREFIX = 'record:';
const idKey = (table: string, id: string) => `${PREFIX}${table}:id:${id}`;
const valueKey = (table: string, column: string, value: unknown) =>
  `${PREFIX}${table}:${column}:${JSON.stringify(value)}`;

type Row<T extends RecordTable> = Database[T] | undefined;

/** The live record `id` of `table`, read at most once per run. */
export async function loadRecord<T extends RecordTable>(
  ctx: OperationContext,
  table: T,
  id: string,
): Promise<Row<T>> {
  const key = idKey(table, id);
  if (ctx.memo.has(key)) return ctx.memo.get(key) as Row<T>;
  const row = await findRecord(ctx.ws, table, id);
  ctx.memo.set(key, row);
  return row;
}

/** The live record of `table` whose unique `column` holds `value` (an upsert's key), read at most once per run. */
export async function loadLiveBy<T extends RecordTable>(
  ctx: OperationContext,
  table: T,
  column: string,
  value: unknown,
): Promise<Row<T>> {
  const key = valueKey(table, column, value);
  if (ctx.memo.has(key)) return ctx.memo.get(key) as Row<T>;
  const row = await findLiveBy(ctx.ws, table, column, value);
  ctx.memo.set(key, row);
  if (row) ctx.memo.set(idKey(table, (row as { id: string }).id), row);
  return row;
}

/**
 * After a write to `table`: forgets what the run loaded of it (a unique value may have moved, a
 * miss may now be a hit), then keeps `row`, the record as written, when it is live.
 */
export function afterWrite(
  ctx: OperationContext,
  table: RecordTable,
  row?: { id: string; deleted_at: string | null },
): void {
  const prefix = `${PREFIX}${table}:`;
  for (const key of [...ctx.memo.keys()]) if (key.startsWith(prefix)) ctx.memo.delete(key);
  if (row && row.deleted_at === null) ctx.memo.set(idKey(table, row.id), row);
}
