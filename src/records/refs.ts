import { AppError } from '../errors.js';
import type { WorkspaceDb } from '../store/scoped.js';
import type { RecordTable } from './kind.js';
import { allKinds, kindOfTable, kindsGeneration } from './kinds.js';
import { countReferences, deletedAmong, findRecord } from './records.repository.js';

/** The table of a registered kind, which references point from (any kind, versioned or not). */
export type RefTable = string;

export interface Reference {
  from: RefTable;
  column: string;
  to: RecordTable;
  /** The handle prefix of the target: `company` in `company/co_…`. */
  kind: string;
  /** The target's collection route, for hints. */
  path: string;
  /** See KindReference.owned. */
  owned?: boolean;
}

let cached: { generation: number; references: readonly Reference[] } | undefined;

/**
 * Every reference between records, as the registered kinds declare them. Deletes, restores, reads
 * and checks are driven by it.
 */
export function references(): readonly Reference[] {
  if (cached?.generation === kindsGeneration()) return cached.references;
  const list = allKinds().flatMap((definition) =>
    (definition.references ?? []).map((ref) => {
      const target = kindOfTable(ref.to);
      return {
        from: definition.table,
        column: ref.column,
        to: ref.to as RecordTable,
        kind: target.kind,
        path: target.path,
        ...(ref.owned ? { owned: true } : {}),
      };
    }),
  );
  cached = { generation: kindsGeneration(), references: list };
  return list;
}

/**
 * Rejects a write that points a reference at a record that is not live in this workspace: new
 * references always point at live records (existing ones may outlive a delete, see Reference).
 */
export async function checkReferences(ws: WorkspaceDb, from: RefTable, columns: Record<string, unknown>) {
  for (const ref of references()) {
    const id = columns[ref.column];
    if (ref.from !== from || typeof id !== 'string') continue;
    const target = await findRecord(ws, ref.to, id, 'any');
    if (!target || target.deleted_at) {
      const state = target ? 'was deleted' : 'does not exist in this workspace';
      throw new AppError(
        'invalid_input',
        `${ref.column}: ${ref.kind}/${id} ${state}`,
        target
          ? `restore it first (POST ${ref.path}/${id}/restore), or send ${ref.column}: null`
          : `check the id (GET ${ref.path}), create the ${ref.kind} first, or send ${ref.column}: null`,
      );
    }
  }
}

/** Records with `deleted_refs`: the handles of deleted records they still refer to. */
export async function withRefs<Row extends object, Rec extends object>(
  ws: WorkspaceDb,
  from: RefTable,
  rows: Row[],
  toRecord: (row: Row) => Rec,
): Promise<(Rec & { deleted_refs: string[] })[]> {
  const refs = references().filter((ref) => ref.from === from && !ref.owned);
  const deleted = new Map<Reference, Set<string>>();
  for (const ref of refs) {
    const ids = [...new Set(rows.map((row) => (row as Record<string, unknown>)[ref.column]))];
    deleted.set(
      ref,
      await deletedAmong(
        ws,
        ref.to,
        ids.filter((id): id is string => typeof id === 'string'),
      ),
    );
  }
  return rows.map((row) => {
    const deletedRefs: string[] = [];
    for (const ref of refs) {
      const id = (row as Record<string, unknown>)[ref.column];
      if (typeof id === 'string' && deleted.get(ref)?.has(id)) deletedRefs.push(`${ref.kind}/${id}`);
    }
    return { ...toRecord(row), deleted_refs: deletedRefs };
  });
}

/** How many live records refer to this one, by referring table (`{deals: 2, activities: 5}`). */
export async function referencesTo(
  ws: WorkspaceDb,
  to: RecordTable,
  id: string,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const ref of references().filter((r) => r.to === to)) {
    const n = await countReferences(ws, ref.from, ref.column, id, kindOfTable(ref.from).record !== undefined);
    if (n > 0) counts[ref.from] = (counts[ref.from] ?? 0) + n;
  }
  return counts;
}
