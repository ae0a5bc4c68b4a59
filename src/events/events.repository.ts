import { sql } from 'kysely';
import type { EventsTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';
import { slices } from '../store/slices.js';

/**
 * The next feed number of a workspace. The counter row stays locked until the transaction
 * commits, so events of one workspace commit in number order and a reader that has seen number
 * n has seen every event before it.
 */
async function nextSeq(ws: WorkspaceDb, count = 1): Promise<number> {
  const bump = () =>
    ws
      .updateTable('event_counters')
      .set({ last_seq: sql<number>`last_seq + ${count}` })
      .returning('last_seq')
      .executeTakeFirst();
  let row = await bump();
  if (!row) {
    await ws
      .insertInto('event_counters', { last_seq: 0 })
      .onConflict((oc) => oc.column('workspace_id').doNothing())
      .execute();
    row = await bump();
  }
  return Number(row!.last_seq);
}

export async function appendEvent(
  ws: WorkspaceDb,
  event: Omit<EventsTable, 'workspace_id' | 'seq'>,
): Promise<number> {
  const seq = await nextSeq(ws);
  await ws.insertInto('events', { ...event, seq }).execute();
  return seq;
}

/**
 * appendEvent for many events at once (a batch chunk): the counter is bumped once by their
 * number and the events take the numbers in order; returns them.
 */
export async function appendEvents(
  ws: WorkspaceDb,
  events: Omit<EventsTable, 'workspace_id' | 'seq'>[],
): Promise<number[]> {
  if (events.length === 0) return [];
  const last = await nextSeq(ws, events.length);
  const first = last - events.length + 1;
  const rows = events.map((event, i) => ({ ...event, seq: first + i }));
  for (const slice of slices(rows)) await ws.insertInto('events', slice).execute();
  return rows.map((row) => row.seq);
}

export async function listEvents(
  ws: WorkspaceDb,
  filter: { after: number; upTo: number; limit: number; types?: string[] },
): Promise<EventsTable[]> {
  let query = ws
    .selectFrom('events')
    .selectAll()
    .where('seq', '>', filter.after)
    .where('seq', '<=', filter.upTo);
  if (filter.types?.length) query = query.where('type', 'in', filter.types);
  return query.orderBy('seq').limit(filter.limit).execute();
}

export async function lastSeq(ws: WorkspaceDb): Promise<number> {
  const row = await ws.selectFrom('event_counters').select('last_seq').executeTakeFirst();
  return Number(row?.last_seq ?? 0);
}
