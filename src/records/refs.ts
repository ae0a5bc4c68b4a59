import { AppError } from '../errors.js';
import type { WorkspaceDb } from '../store/scoped.js';
import type { RecordTable } from './kind.js';
import { countReferences, deletedAmong, findRecord } from './records.repository.js';

export type RefTable = RecordTable | 'activities';

export interface Reference {
  from: RefTable;
  column: string;
  to: RecordTable;
  /** The handle prefix of the target: `company` in `company/co_…`. */
  kind: string;
  /** The target's collection route, for hints. */
  path: string;
  /**
   * Owned rows belong to the target: while it is deleted they are hidden with it (a contact's
   * activities). Other references are kept and shown in `deleted_refs` until the target is
   * restored or the reference is changed.
   */
  owned?: boolean;
}

/** Every reference between CRM records. Deletes, restores, reads and checks are driven by it. */
export const REFERENCES: readonly Reference[] = [
  { from: 'contacts', column: 'company_id', to: 'companies', kind: 'company', path: '/companies' },
  { from: 'deals', column: 'contact_id', to: 'contacts', kind: 'contact', path: '/contacts' },
  { from: 'deals', column: 'company_id', to: 'companies', kind: 'company', path: '/companies' },
  { from: 'tasks', column: 'contact_id', to: 'contacts', kind: 'contact', path: '/contacts' },
  { from: 'tasks', column: 'deal_id', to: 'deals', kind: 'deal', path: '/deals' },
  { from: 'tasks', column: 'company_id', to: 'companies', kind: 'company', path: '/companies' },
  {
    from: 'activities',
    column: 'contact_id',
    to: 'contacts',
    kind: 'contact',
    path: '/contacts',
    owned: true,
  },
  { from: 'activities', column: 'deal_id', to: 'deals', kind: 'deal', path: '/deals' },
];

/**
 * Rejects a write that points a reference at a record that is not live in this workspace: new
 * references always point at live records (existing ones may outlive a delete, see REFERENCES).
 */
export async function checkReferences(ws: WorkspaceDb, from: RefTable, columns: Record<string, unknown>) {
  for (const ref of REFERENCES) {
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
  const refs = REFERENCES.filter((ref) => ref.from === from && !ref.owned);
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
  for (const ref of REFERENCES.filter((r) => r.to === to)) {
    const n = await countReferences(ws, ref.from, ref.column, id);
    if (n > 0) counts[ref.from] = (counts[ref.from] ?? 0) + n;
  }
  return counts;
}
