import { sql } from 'kysely';
import type { WorkspaceDb } from '../store/scoped.js';

/**
 * Read-only aggregates of a workspace for the human console's overview. No operation returns
 * these (agents ask for records, not dashboards); ./overview.ts gives them to the console, always
 * through the workspace handle.
 */

export interface RecordCounts {
  contacts: number;
  companies: number;
  openDeals: number;
  openTasks: number;
}

export async function recordCounts(ws: WorkspaceDb): Promise<RecordCounts> {
  const [contacts, companies, openDeals, openTasks] = await Promise.all([
    ws
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow(),
    ws
      .selectFrom('companies')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow(),
    ws
      .selectFrom('deals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('deleted_at', 'is', null)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow(),
    ws
      .selectFrom('tasks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('deleted_at', 'is', null)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow(),
  ]);
  return {
    contacts: Number(contacts.n),
    companies: Number(companies.n),
    openDeals: Number(openDeals.n),
    openTasks: Number(openTasks.n),
  };
}

export interface StageValue {
  stage: string | null;
  currency: string | null;
  deals: number;
  amountCents: number;
}

/** Open deals by stage and currency: how many, and their summed amount (minor units). */
export async function pipelineByStage(ws: WorkspaceDb): Promise<StageValue[]> {
  const rows = await ws
    .selectFrom('deals')
    .select((eb) => [
      'stage',
      'currency',
      eb.fn.countAll<number>().as('deals'),
      eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), sql<number>`0`).as('amount'),
    ])
    .where('deleted_at', 'is', null)
    .where('status', '=', 'open')
    .groupBy(['stage', 'currency'])
    .orderBy('stage')
    .orderBy('currency')
    .execute();
  return rows.map((row) => ({
    stage: row.stage,
    currency: row.currency,
    deals: Number(row.deals),
    amountCents: Number(row.amount),
  }));
}

export interface DayCount {
  /** YYYY-MM-DD (UTC). */
  day: string;
  count: number;
}

/**
 * Activities logged per day since `since` (their occurred_at), leaving out those hidden with a
 * deleted contact. Times are fixed-width ISO text, so the first ten characters are the UTC day.
 */
export async function activitiesByDay(ws: WorkspaceDb, since: string, until: string): Promise<DayCount[]> {
  const day = sql<string>`substr(activities.occurred_at, 1, 10)`;
  const rows = await ws
    .selectFrom('activities')
    .innerJoin('contacts', (join) =>
      join
        .onRef('contacts.id', '=', 'activities.contact_id')
        .onRef('contacts.workspace_id', '=', 'activities.workspace_id'),
    )
    .select((eb) => [day.as('day'), eb.fn.countAll<number>().as('n')])
    .where('contacts.deleted_at', 'is', null)
    .where('activities.occurred_at', '>=', since)
    .where('activities.occurred_at', '<=', until)
    .groupBy(day)
    .orderBy(day)
    .execute();
  return rows.map((row) => ({ day: row.day, count: Number(row.n) }));
}

/** Audited changes per day since `since`: how busy the workspace's agents (and people) were. */
export async function changesByDay(ws: WorkspaceDb, since: string): Promise<DayCount[]> {
  const day = sql<string>`substr(audit_log.at, 1, 10)`;
  const rows = await ws
    .selectFrom('audit_log')
    .select((eb) => [day.as('day'), eb.fn.countAll<number>().as('n')])
    .where('at', '>=', since)
    .groupBy(day)
    .orderBy(day)
    .execute();
  return rows.map((row) => ({ day: row.day, count: Number(row.n) }));
}
