import { type RawBuilder, sql } from 'kysely';
import { kindOfTable } from '../records/kinds.js';
import { references } from '../records/refs.js';
import type { ContactsTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';

/** A column of another table that holds a contact id. */
export interface ContactReference {
  table: string;
  column: string;
  /** Versioned records get version + 1 and updated_at when their reference moves. */
  versioned: boolean;
}

/**
 * Every column that points at a contact, as the registered kinds declare their references
 * (src/records/refs.ts); a merge moves them. Activities are a log, not versioned: moving one does
 * not make it a new version of itself.
 */
export const contactReferences = (): ContactReference[] =>
  references()
    .filter((ref) => ref.to === 'contacts')
    .map((ref) => ({
      table: ref.from,
      column: ref.column,
      versioned: kindOfTable(ref.from).record !== undefined,
    }));

export type DuplicateReason = 'same_email' | 'same_phone' | 'similar_name';
export const DUPLICATE_REASONS: readonly DuplicateReason[] = ['same_email', 'same_phone', 'similar_name'];

export interface DuplicateGroupRow {
  key: string;
  n: number;
  /** Comma-separated, oldest first. */
  ids: string;
}

/** Characters a phone number may be written with besides its digits (and an extension's x). */
const PHONE_PUNCTUATION = ' +()-.xX';
/** What "near-identical" names may differ in, besides ASCII letter case. */
const NAME_PUNCTUATION = " .,-'_";

/** The comparison key of each reason, and the rows it applies to. */
function keyOf(
  ws: WorkspaceDb,
  reason: DuplicateReason,
): { key: RawBuilder<string>; applies: RawBuilder<boolean> } {
  const d = ws.dialect;
  if (reason === 'same_email') {
    // jane.doe+crm@GoogleMail.com and janedoe@gmail.com are one mailbox: lower case, no +tag, and
    // for Gmail no dots and one domain.
    const email = d.lowerAscii(sql.ref('contacts.email'));
    const at = d.position(email, '@');
    const local = sql`substr(${email}, 1, ${at} - 1)`;
    const domain = sql`substr(${email}, ${at} + 1)`;
    const plus = d.position(local, '+');
    const base = sql`(case when ${plus} > 0 then substr(${local}, 1, ${plus} - 1) else ${local} end)`;
    const key = sql<string>`(case when ${domain} in ('gmail.com', 'googlemail.com')
      then replace(${base}, '.', '') || '@gmail.com' else ${base} || '@' || ${domain} end)`;
    return { key, applies: sql<boolean>`${at} > 1` };
  }
  if (reason === 'same_phone') {
    const key = d.removeCharacters(sql.ref('contacts.phone'), PHONE_PUNCTUATION);
    return { key, applies: sql<boolean>`length(${key}) >= 7` };
  }
  const name = d.removeCharacters(d.lowerAscii(sql.ref('contacts.name')), NAME_PUNCTUATION);
  return {
    key: sql<string>`contacts.company_id || ':' || ${name}`,
    applies: sql<boolean>`contacts.company_id is not null and ${name} <> ''`,
  };
}

/** Groups of two or more live contacts sharing the reason's key, by key, after `afterKey`. */
export async function duplicateGroups(
  ws: WorkspaceDb,
  reason: DuplicateReason,
  afterKey: string | null,
  limit: number,
): Promise<DuplicateGroupRow[]> {
  const { key, applies } = keyOf(ws, reason);
  let query = ws
    .selectFrom('contacts')
    .select([
      key.as('key'),
      sql<number>`count(*)`.as('n'),
      sql<string>`string_agg(contacts.id, ',' order by contacts.created_at, contacts.id)`.as('ids'),
    ])
    .where('contacts.deleted_at', 'is', null)
    .where(applies)
    .groupBy(key)
    .having(sql`count(*)`, '>', 1);
  if (afterKey !== null) query = query.having(key, '>', afterKey);
  const rows = await query.orderBy(key).limit(limit).execute();
  return rows.map((row) => ({ ...row, n: Number(row.n) }));
}

export async function findLiveContacts(ws: WorkspaceDb, ids: readonly string[]): Promise<ContactsTable[]> {
  if (ids.length === 0) return [];
  return ws
    .selectFrom('contacts')
    .selectAll()
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .execute();
}

/** Soft-deletes the live contacts among `ids`; returns the ones it deleted, with their new version. */
export async function softDeleteContacts(
  ws: WorkspaceDb,
  ids: readonly string[],
  now: string,
): Promise<{ id: string; version: number }[]> {
  return ws
    .updateTable('contacts')
    .set({ deleted_at: now, updated_at: now, version: sql<number>`version + 1` })
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .returning(['id', 'version'])
    .execute();
}

/** One row whose contact reference a merge moved: what it pointed at before, its version after. */
export interface MovedReference {
  table: string;
  id: string;
  before: string;
  version: number | null;
}

/**
 * Points every reference to one of `from` at `to`; returns each moved row (for the audit, so a
 * merge can be reverted row by row) and the number moved per `table.column`.
 */
export async function moveContactReferences(
  ws: WorkspaceDb,
  references: readonly ContactReference[],
  from: readonly string[],
  to: string,
  now: string,
): Promise<{ counts: Record<string, number>; rows: MovedReference[] }> {
  const counts: Record<string, number> = {};
  const rows: MovedReference[] = [];
  for (const ref of references) {
    // The table is a parameter, which defeats Kysely's column inference; the scoping still holds.
    // biome-ignore lint/suspicious/noExplicitAny: see above
    const table = ref.table as any;
    // biome-ignore lint/suspicious/noExplicitAny: see above
    const pointing: Record<string, string>[] = await (ws.selectFrom(table) as any)
      .select(['id', ref.column])
      .where(ref.column, 'in', from)
      .execute();
    const before = new Map(pointing.map((row) => [row.id!, row[ref.column]!]));
    // biome-ignore lint/suspicious/noExplicitAny: see above
    const update = ws.updateTable(table) as any;
    const set: Record<string, unknown> = { [ref.column]: to };
    if (ref.versioned) Object.assign(set, { version: sql`version + 1`, updated_at: now });
    const moved: { id: string; version?: number }[] = await update
      .set(set)
      .where(ref.column, 'in', from)
      .returning(ref.versioned ? ['id', 'version'] : ['id'])
      .execute();
    counts[`${ref.table}.${ref.column}`] = moved.length;
    for (const row of moved) {
      const previous = before.get(row.id);
      if (previous !== undefined)
        rows.push({ table: ref.table, id: row.id, before: previous, version: row.version ?? null });
    }
  }
  return { counts, rows };
}
