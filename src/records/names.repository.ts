import type { WorkspaceDb } from '../store/scoped.js';

// biome-ignore lint/suspicious/noExplicitAny: the table is a parameter, which defeats Kysely's column inference
const loose = (builder: unknown) => builder as any;

/** The given columns of the records of one table with these ids (deleted ones too: a log names them). */
export async function labelColumnsByIds(
  ws: WorkspaceDb,
  table: string,
  columns: readonly string[],
  ids: readonly string[],
): Promise<Record<string, unknown>[]> {
  if (ids.length === 0 || columns.length === 0) return [];
  return loose(ws.selectFrom(table as never))
    .select(['id', ...columns])
    .where('id', 'in', [...ids])
    .execute();
}
