import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, JobsTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertJob(ws: WorkspaceDb, row: Omit<JobsTable, 'workspace_id'>): Promise<void> {
  await ws.insertInto('jobs', row).execute();
}

export async function findJob(ws: WorkspaceDb, id: string): Promise<JobsTable | undefined> {
  return ws.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Jobs any worker may take: queued ones, and running ones whose worker stopped renewing its lock. */
export async function runnableJobs(db: Db, now: string, limit: number): Promise<JobsTable[]> {
  return db
    .selectFrom('jobs')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('status', '=', 'queued'),
        eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)]),
      ]),
    )
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

/**
 * Takes a job for one worker: a conditional update on the state it was seen in, so of several
 * processes racing for the same job exactly one wins.
 */
export async function claimJob(
  db: Db,
  job: JobsTable,
  worker: string,
  now: string,
  until: string,
): Promise<boolean> {
  let query = db
    .updateTable('jobs')
    .set({
      status: 'running',
      locked_by: worker,
      locked_until: until,
      attempts: sql<number>`attempts + 1`,
      updated_at: now,
    })
    .where('workspace_id', '=', job.workspace_id)
    .where('id', '=', job.id)
    .where('status', '=', job.status);
  query =
    job.locked_until === null
      ? query.where('locked_until', 'is', null)
      : query.where('locked_until', '=', job.locked_until);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Records progress while still holding the job; false when another worker took it over. */
export async function saveProgress(
  db: Db,
  job: Pick<JobsTable, 'workspace_id' | 'id'>,
  worker: string,
  fields: Partial<
    Pick<JobsTable, 'done' | 'failed' | 'errors' | 'status' | 'result' | 'finished_at' | 'locked_until'>
  > & {
    updated_at: string;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set(fields)
    .where('workspace_id', '=', job.workspace_id)
    .where('id', '=', job.id)
    .where('locked_by', '=', worker)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface QueueHealth {
  queued: number;
  running: number;
  oldest_pending_at: string | null;
  failed_24h: number;
  finished_24h: number;
}

export async function queueHealth(ws: WorkspaceDb, since: string): Promise<QueueHealth> {
  const rows = await ws
    .selectFrom('jobs')
    .select([
      'status',
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.min('created_at').as('oldest'),
    ])
    .where((eb) => eb.or([eb('status', 'in', ['queued', 'running']), eb('finished_at', '>=', since)]))
    .groupBy('status')
    .execute();
  const count = (status: string) => Number(rows.find((row) => row.status === status)?.n ?? 0);
  const pending = rows
    .filter((row) => row.status === 'queued' || row.status === 'running')
    .map((row) => row.oldest as string);
  return {
    queued: count('queued'),
    running: count('running'),
    oldest_pending_at: pending.length ? pending.sort()[0]! : null,
    failed_24h: count('failed') + count('partially_failed'),
    finished_24h: count('succeeded') + count('failed') + count('partially_failed'),
  };
}

/** Items one principal sent in batches since `since` (the bulk policy's rolling window). */
export async function recentBatchVolume(
  ws: WorkspaceDb,
  principalId: string,
  since: string,
): Promise<number> {
  const row = await ws
    .selectFrom('jobs')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('total'), eb.val(0)).as('n'))
    .where('created_by', '=', principalId)
    .where('created_at', '>=', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
