import { sql } from 'kysely';
import type { ContactsTable, DealsTable, TasksTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';

/** Where the previous page ended, as seen from one source: rows strictly after it. */
export type After =
  | { op: 'all' }
  | { op: '>' | '>='; due: string }
  | { op: 'tuple'; due: string; id: string };

export interface Source {
  table: 'contacts' | 'deals' | 'tasks';
  column: 'follow_up_at' | 'due_at';
}

export const SOURCES = {
  contact: { table: 'contacts', column: 'follow_up_at' },
  deal: { table: 'deals', column: 'follow_up_at' },
  task: { table: 'tasks', column: 'due_at' },
} as const satisfies Record<string, Source>;

type Row = ContactsTable | DealsTable | TasksTable;

/** Live rows of one source due by `horizon`, after the cursor, oldest first (open tasks only). */
export async function dueRows(
  ws: WorkspaceDb,
  source: Source,
  horizon: string,
  after: After,
  limit: number,
): Promise<Row[]> {
  const due = sql.ref(`${source.table}.${source.column}`);
  const id = sql.ref(`${source.table}.id`);
  // biome-ignore lint/suspicious/noExplicitAny: one query over three tables that share these columns
  let query = (ws.selectFrom(source.table) as any)
    .selectAll()
    .where('deleted_at', 'is', null)
    .where(source.column, 'is not', null)
    .where(source.column, '<=', horizon);
  if (source.table === 'tasks') query = query.where('status', '=', 'open');
  if (after.op === 'tuple') query = query.where(sql<boolean>`(${due}, ${id}) > (${after.due}, ${after.id})`);
  else if (after.op !== 'all') query = query.where(source.column, after.op, after.due);
  return query.orderBy(source.column).orderBy('id').limit(limit).execute();
}
