import type { Services } from '../services.js';
import { scopeTo } from '../store/scoped.js';
import { kindNamed } from './kinds.js';
import { labelColumnsByIds } from './names.repository.js';

/** The columns that name a record of a kind, in order of preference: a contact's name, else its email. */
function labelColumns(fields: readonly string[]): string[] {
  if (fields.includes('name')) return ['name', ...(fields.includes('email') ? ['email'] : [])];
  if (fields.includes('title')) return ['title'];
  return [];
}

/**
 * Readable names of records by handle (`contact/c_…` → "Ada Lovelace"), for pages that list
 * handles: one query per kind, however many handles. Handles of unknown kinds, records of another
 * workspace and records without a name are left out (the caller shows the handle).
 */
export async function recordNames(
  services: Services,
  workspaceId: string,
  handles: Iterable<string | null | undefined>,
): Promise<Map<string, string>> {
  const idsByKind = new Map<string, Set<string>>();
  for (const handle of handles) {
    if (!handle) continue;
    const slash = handle.indexOf('/');
    if (slash <= 0) continue;
    const kind = handle.slice(0, slash);
    if (!kindNamed(kind)) continue;
    const ids = idsByKind.get(kind) ?? new Set<string>();
    ids.add(handle.slice(slash + 1));
    idsByKind.set(kind, ids);
  }
  const ws = scopeTo(services.store.db, services.store.dialect, workspaceId);
  const named = new Map<string, string>();
  await Promise.all(
    [...idsByKind].map(async ([kind, ids]) => {
      const definition = kindNamed(kind)!;
      const columns = labelColumns(definition.fields);
      for (const row of await labelColumnsByIds(ws, definition.table, columns, [...ids])) {
        const label = columns
          .map((column) => row[column])
          .find((value) => typeof value === 'string' && value);
        if (typeof label === 'string') named.set(`${kind}/${String(row.id)}`, label);
      }
    }),
  );
  return named;
}
