import { sql } from 'kysely';
import type { WorkspaceDb } from '../store/scoped.js';

/**
 * Adds `amount` to a usage counter only while the result stays within the cap, in one statement.
 * On PostgreSQL concurrent increments queue on the row lock and each re-checks the condition, so
 * the cap holds across transactions and processes. Returns false when the row is missing or full.
 */
export async function incrementWithinCap(
  ws: WorkspaceDb,
  resource: string,
  amount: number,
  cap: number,
  now: string,
): Promise<boolean> {
  const result = await ws
    .updateTable('usage_counters')
    .set({ used: sql<number>`used + ${amount}`, updated_at: now })
    .where('resource', '=', resource)
    .where(sql<boolean>`used + ${amount} <= ${cap}`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function decrement(
  ws: WorkspaceDb,
  resource: string,
  amount: number,
  now: string,
): Promise<void> {
  await ws
    .updateTable('usage_counters')
    .set({ used: sql<number>`case when used >= ${amount} then used - ${amount} else 0 end`, updated_at: now })
    .where('resource', '=', resource)
    .execute();
}

/** Creates the counter with its starting value unless a concurrent request just did. */
export async function createCounter(
  ws: WorkspaceDb,
  resource: string,
  used: number,
  now: string,
): Promise<void> {
  await ws
    .insertInto('usage_counters', { resource, used, updated_at: now })
    .onConflict((oc) => oc.columns(['workspace_id', 'resource']).doNothing())
    .execute();
}

export async function readCounters(ws: WorkspaceDb): Promise<Map<string, number>> {
  const rows = await ws.selectFrom('usage_counters').select(['resource', 'used']).execute();
  return new Map(rows.map((row) => [row.resource as string, Number(row.used)]));
}
