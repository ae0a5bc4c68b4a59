import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { ERASED_ANSWER } from '../idempotency/erased.js';
import type { ContactsTable, Database } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** What an erased text becomes where the text around it must stay (a batch's input, a deal's title). */
export const ERASED_TEXT = '[erased]';

/** `column` contains `value` literally (LIKE with its wildcards escaped). */
function contains(column: string, value: string): RawBuilder<boolean> {
  const pattern = `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`;
}

/** Any of `values` inside `column`; false when there are none. */
function containsAny(column: string, values: readonly string[]): RawBuilder<boolean> {
  if (values.length === 0) return sql<boolean>`1 = 0`;
  return sql<boolean>`(${sql.join(
    values.map((value) => contains(column, value)),
    sql` or `,
  )})`;
}

export async function findContactAnyState(
  db: Db,
  workspaceId: string,
  id: string,
): Promise<(ContactsTable & { erased_at: string | null }) | undefined> {
  const row = await db
    .selectFrom('contacts')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { ...row, erased_at: row.erased_at ?? null } : undefined;
}

/** The audit changes of a record: every value its fields ever held is in them. */
export async function auditChangesOf(db: Db, workspaceId: string, target: string): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select('changes')
    .where('workspace_id', '=', workspaceId)
    .where('target', '=', target)
    .where('changes', 'is not', null)
    .execute();
  return rows.map((row) => row.changes!);
}

/**
 * Leaves the tombstone: every personal field emptied, `erased_at` set, and out of the live set
 * (deleted_at kept if it was deleted, else now). The search triggers drop its document.
 */
export async function blankContact(db: Db, workspaceId: string, id: string, now: string): Promise<number> {
  const row = await db
    .updateTable('contacts')
    .set({
      name: null,
      email: null,
      phone: null,
      title: null,
      follow_up_at: null,
      follow_up_note: null,
      tags: '[]',
      custom: '{}',
      erased_at: now,
      deleted_at: sql<string>`coalesce(deleted_at, ${now})`,
      version: sql<number>`version + 1`,
      updated_at: now,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returning('version')
    .executeTakeFirstOrThrow();
  return Number(row.version);
}

/**
 * Blanks `changes` of the audit rows about the person: those targeting the record, and any other
 * holding one of the values. Must run inside withAuditPurge; the chain hashes the changes' digest,
 * not the text, so it still verifies.
 */
export async function blankAuditChanges(
  db: Db,
  workspaceId: string,
  target: string,
  values: readonly string[],
) {
  const result = await db
    .updateTable('audit_log')
    .set({ changes: null })
    .where('workspace_id', '=', workspaceId)
    .where('changes', 'is not', null)
    .where((eb) => eb.or([eb('target', '=', target), containsAny('changes', values)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Blanks the changes of the events about the person, and the delivery log of their webhook sends. */
export async function blankEventsAndDeliveries(
  db: Db,
  workspaceId: string,
  target: string,
  values: readonly string[],
) {
  const events = await db
    .selectFrom('events')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('target', '=', target), containsAny('changes', values)]))
    .execute();
  const ids = events.map((event) => event.id);
  const blanked = await db
    .updateTable('events')
    .set({ changes: null })
    .where('workspace_id', '=', workspaceId)
    .where('changes', 'is not', null)
    .where((eb) => eb.or([eb('target', '=', target), containsAny('changes', values)]))
    .executeTakeFirst();
  let deliveries = 0;
  const byEvent = async (chunk: string[]) => {
    const result = await db
      .updateTable('webhook_deliveries')
      .set({ last_response: null, last_error: null })
      .where('workspace_id', '=', workspaceId)
      .where('event_id', 'in', chunk)
      .executeTakeFirst();
    deliveries += Number(result.numUpdatedRows);
  };
  for (let i = 0; i < ids.length; i += 500) await byEvent(ids.slice(i, i + 500));
  // An endpoint may have echoed the values in its answer to another event's delivery.
  const echoed = await db
    .updateTable('webhook_deliveries')
    .set({ last_response: null, last_error: null })
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([containsAny('last_response', values), containsAny('last_error', values)]))
    .executeTakeFirst();
  return { events: Number(blanked.numUpdatedRows), deliveries: deliveries + Number(echoed.numUpdatedRows) };
}

/**
 * Empties the proposals about the person (targeting the record, naming its id in their input or
 * result, or holding one of the values). A pending one can no longer run as proposed: it goes stale.
 */
export async function blankProposals(
  db: Db,
  workspaceId: string,
  target: string,
  id: string,
  values: readonly string[],
  now: string,
) {
  const result = await db
    .updateTable('proposals')
    .set({
      input: '{}',
      diff: '{}',
      summary: 'emptied: it concerned a person who was erased (contacts.erase)',
      reason: null,
      result: null,
      edits: null,
      decision_note: null,
      status: sql`case when status = 'pending' then 'stale' else status end`,
      updated_at: now,
    })
    .where('workspace_id', '=', workspaceId)
    .where((eb) =>
      eb.or([
        eb('target', '=', target),
        containsAny('input', [id, ...values]),
        containsAny('result', [id, ...values]),
        containsAny('diff', values),
        containsAny('edits', values),
        containsAny('summary', values),
        containsAny('reason', values),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The person's activities keep their place (counts, dates, kinds); their notes go. */
export async function blankActivities(db: Db, workspaceId: string, contactId: string) {
  const result = await db
    .updateTable('activities')
    .set({ body: ERASED_TEXT })
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Replaces each value inside free text that keeps its other content: deals' and tasks' texts, batch inputs. */
export async function replaceValues(db: Db, workspaceId: string, values: readonly string[]) {
  const targets: [keyof Database, string][] = [
    ['deals', 'title'],
    ['deals', 'follow_up_note'],
    ['tasks', 'title'],
    ['tasks', 'notes'],
    ['activities', 'body'],
    ['jobs', 'input'],
    ['jobs', 'result'],
    ['jobs', 'errors'],
  ];
  let changed = 0;
  for (const [table, column] of targets) {
    for (const value of values) {
      // biome-ignore lint/suspicious/noExplicitAny: one statement over several tables and columns
      const result = await (db as any)
        .updateTable(table)
        .set({ [column]: sql`replace(${sql.ref(column)}, ${value}, ${ERASED_TEXT})` })
        .where('workspace_id', '=', workspaceId)
        .where(contains(column, value))
        .executeTakeFirst();
      changed += Number(result.numUpdatedRows);
    }
  }
  return changed;
}

export async function deleteFieldWritersOf(db: Db, workspaceId: string, target: string) {
  await db
    .deleteFrom('field_writers')
    .where('workspace_id', '=', workspaceId)
    .where('target', '=', target)
    .execute();
}

/**
 * Stored idempotent answers that named the person: sealed under the caller's key, so they cannot
 * be edited; they are replaced by a marker that replays as `erased` (the write is not run again).
 */
export async function replaceStoredAnswers(db: Db, workspaceId: string, target: string) {
  const result = await db
    .updateTable('idempotency_keys')
    .set({ response: ERASED_ANSWER, subjects: null })
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'done')
    .where(contains('subjects', target))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Removes the person's words from the search vocabulary (search_words, filled by triggers from the
 * contacts' fuzzy fields), then puts back the entries of those words that other contacts still use.
 */
export async function pruneSearchWords(
  db: Db,
  workspaceId: string,
  words: readonly string[],
  keysOf: (word: string) => string[],
) {
  if (words.length === 0) return 0;
  const removed = await db
    .deleteFrom('search_words')
    .where('workspace_id', '=', workspaceId)
    .where('word', 'in', words)
    .executeTakeFirst();
  for (const word of words) {
    const pattern = `% ${word.replace(/[\\%_]/g, (c) => `\\${c}`)} %|%`;
    const { rows } = await sql<{ one: number }>`select 1 as one from contacts_search
      where workspace_id = ${workspaceId} and doc like ${pattern} escape '\\' limit 1`.execute(db);
    if (rows.length === 0) continue;
    await db
      .insertInto('search_words')
      .values(keysOf(word).map((key) => ({ workspace_id: workspaceId, key, word })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  return Number(removed.numDeletedRows);
}

/** SQLite: merges the FTS index's segments, so no deleted document's trigrams linger in it. */
export async function compactSqliteSearch(db: Db) {
  await sql`insert into contacts_search_fts (contacts_search_fts) values ('optimize')`.execute(db);
}
