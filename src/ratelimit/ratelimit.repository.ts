import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Counts one hit in a fixed window with a single statement, so concurrent processes on the same
 * database agree: a new window restarts the count at 1. Returns the hits so far in this window.
 */
export async function countHit(db: Db, key: string, windowStart: string, expiresAt: string): Promise<number> {
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: windowStart, hits: 1, expires_at: expiresAt })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`case when rate_limits.window_start = excluded.window_start then rate_limits.hits + 1 else 1 end`,
        window_start: sql<string>`excluded.window_start`,
        expires_at: sql<string>`excluded.expires_at`,
      }),
    )
    .returning('hits')
    .executeTakeFirstOrThrow();
  return Number(row.hits);
}

/** Drops counters whose window has ended; called now and then, never on the hot path's answer. */
export async function deleteExpiredCounters(db: Db, now: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('expires_at', '<', now).execute();
}
