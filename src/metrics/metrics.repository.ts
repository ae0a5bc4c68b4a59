import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

type Db = Kysely<Database>;

/**
 * Backlogs read at scrape time, across workspaces (an operator's view, not a tenant's). They are
 * the database's numbers, so every instance reports the same ones: aggregate them with max().
 */
export async function backlog(db: Db, now: string) {
  const [jobs, proposals, due] = await Promise.all([
    db
      .selectFrom('jobs')
      .select(['status', db.fn.countAll<number>().as('n')])
      .where('status', 'in', ['queued', 'running'])
      .groupBy('status')
      .execute(),
    db
      .selectFrom('proposals')
      .select(db.fn.countAll<number>().as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow(),
    // The partial index webhook_deliveries_due holds exactly the pending rows.
    db
      .selectFrom('webhook_deliveries')
      .select([db.fn.countAll<number>().as('n'), db.fn.min('next_attempt_at').as('oldest')])
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .executeTakeFirstOrThrow(),
  ]);
  const jobCount = (status: string) => Number(jobs.find((row) => row.status === status)?.n ?? 0);
  return {
    jobsQueued: jobCount('queued'),
    jobsRunning: jobCount('running'),
    proposalsPending: Number(proposals.n),
    webhookDeliveriesDue: Number(due.n),
    oldestDueAt: (due.oldest as string | null) ?? null,
  };
}
