import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, EventsTable, WebhookDeliveriesTable, WebhooksTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';
import { slices } from '../store/slices.js';
import type { DialectCapabilities } from '../store/types.js';

type Db = Kysely<Database> | Transaction<Database>;
type NewDelivery = Omit<WebhookDeliveriesTable, 'workspace_id'>;

export async function insertWebhook(
  ws: WorkspaceDb,
  row: Omit<WebhooksTable, 'workspace_id'>,
): Promise<void> {
  await ws.insertInto('webhooks', row).execute();
}

export async function findWebhook(ws: WorkspaceDb, id: string): Promise<WebhooksTable | undefined> {
  return ws.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listWebhooks(ws: WorkspaceDb): Promise<WebhooksTable[]> {
  return ws.selectFrom('webhooks').selectAll().orderBy('id').execute();
}

/** Every endpoint of the workspace with its patterns: what a new event is fanned out to. */
export async function webhookTargets(ws: WorkspaceDb): Promise<{ id: string; events: string }[]> {
  return ws.selectFrom('webhooks').select(['id', 'events']).execute();
}

/** Removes an endpoint and its delivery log; a delivery in flight finds nothing to record. */
export async function deleteWebhook(ws: WorkspaceDb, id: string): Promise<void> {
  await ws.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
  await ws.deleteFrom('webhooks').where('id', '=', id).execute();
}

export async function enableWebhook(ws: WorkspaceDb, id: string, now: string): Promise<void> {
  await ws
    .updateTable('webhooks')
    .set({ status: 'active', consecutive_failures: 0, failing_since: null, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function insertDeliveries(ws: WorkspaceDb, rows: NewDelivery[]): Promise<void> {
  for (const slice of slices(rows)) await ws.insertInto('webhook_deliveries', slice).execute();
}

export async function findDelivery(
  ws: WorkspaceDb,
  webhookId: string,
  id: string,
): Promise<WebhookDeliveriesTable | undefined> {
  return ws
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The delivery log of one endpoint, newest first, before a cursor id. */
export async function listDeliveries(
  ws: WorkspaceDb,
  filter: { webhookId: string; status?: string; before?: string },
  limit: number,
): Promise<WebhookDeliveriesTable[]> {
  let query = ws.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', filter.webhookId);
  if (filter.status) query = query.where('status', '=', filter.status as WebhookDeliveriesTable['status']);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

/** Events to replay: after a feed number, or at/after a moment, in feed order. */
export async function eventsToReplay(
  ws: WorkspaceDb,
  from: { afterSeq?: number; since?: string },
  limit: number,
): Promise<EventsTable[]> {
  let query = ws.selectFrom('events').selectAll();
  if (from.afterSeq !== undefined) query = query.where('seq', '>', from.afterSeq);
  if (from.since) query = query.where('at', '>=', from.since);
  return query.orderBy('seq').limit(limit).execute();
}

// ---- The dispatcher's side: across workspaces, on the unscoped handle. ----

/** True when some delivery of an active endpoint is due and not leased (a read, so idle polls write nothing). */
export async function hasDueDeliveries(db: Db, now: string): Promise<boolean> {
  const row = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', (join) =>
      join.onRef('w.workspace_id', '=', 'd.workspace_id').onRef('w.id', '=', 'd.webhook_id'),
    )
    .select('d.id')
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('d.locked_until', 'is', null), eb('d.locked_until', '<', now)]))
    .where('w.status', '=', 'active')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Leases up to `limit` due deliveries to one worker in a single statement. On PostgreSQL the
 * inner SELECT locks the rows it picks and skips rows another process is claiming (SKIP
 * LOCKED); on SQLite the statement runs alone. Either way a row is leased to one worker at a
 * time, and a worker that dies loses its lease at `locked_until`.
 */
export async function claimDueDeliveries(
  db: Db,
  dialect: DialectCapabilities,
  claim: { worker: string; now: string; until: string; limit: number },
): Promise<WebhookDeliveriesTable[]> {
  const { worker, now, until, limit } = claim;
  const result = await sql<WebhookDeliveriesTable>`
    update webhook_deliveries set locked_by = ${worker}, locked_until = ${until}
    where (workspace_id, id) in (
      select d.workspace_id, d.id from webhook_deliveries d
      join webhooks w on w.workspace_id = d.workspace_id and w.id = d.webhook_id
      where d.status = 'pending' and d.next_attempt_at <= ${now}
        and (d.locked_until is null or d.locked_until < ${now}) and w.status = 'active'
      order by d.next_attempt_at limit ${limit}
      ${dialect.skipLocked('d')}
    )
    and status = 'pending' and (locked_until is null or locked_until < ${now})
    returning *`.execute(db);
  return result.rows;
}

export async function findWebhookById(db: Db, workspaceId: string, id: string) {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findEventBySeq(db: Db, workspaceId: string, seq: number) {
  return db
    .selectFrom('events')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('seq', '=', seq)
    .executeTakeFirst();
}

/**
 * Records one attempt's outcome while still holding the lease (false when the lease was lost
 * or the endpoint deleted), and updates the endpoint's failure streak in the same transaction.
 */
export async function recordAttempt(
  db: Kysely<Database>,
  delivery: Pick<WebhookDeliveriesTable, 'workspace_id' | 'id' | 'webhook_id'>,
  worker: string,
  fields: Pick<
    WebhookDeliveriesTable,
    | 'status'
    | 'attempts'
    | 'next_attempt_at'
    | 'last_attempt_at'
    | 'last_status_code'
    | 'last_error'
    | 'last_duration_ms'
    | 'last_response'
    | 'delivered_at'
  >,
  endpoint: { succeeded: boolean; failingAfter: number | null; now: string },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('webhook_deliveries')
      .set({ ...fields, locked_by: null, locked_until: null })
      .where('workspace_id', '=', delivery.workspace_id)
      .where('id', '=', delivery.id)
      .where('locked_by', '=', worker)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return false;
    const webhook = trx
      .updateTable('webhooks')
      .where('workspace_id', '=', delivery.workspace_id)
      .where('id', '=', delivery.webhook_id);
    if (endpoint.succeeded) {
      await webhook.set({ consecutive_failures: 0 }).execute();
      return true;
    }
    await webhook.set({ consecutive_failures: sql<number>`consecutive_failures + 1` }).execute();
    // A delivery that used its last attempt with no success in between: stop sending until re-enabled.
    if (endpoint.failingAfter !== null) {
      await webhook
        .set({ status: 'failing', failing_since: endpoint.now, updated_at: endpoint.now })
        .where('status', '=', 'active')
        .where('consecutive_failures', '>=', endpoint.failingAfter)
        .execute();
    }
    return true;
  });
}

/** After re-enabling: the endpoint's waiting deliveries are due now instead of at their backoff time. */
export async function hurryPendingDeliveries(ws: WorkspaceDb, webhookId: string, now: string): Promise<void> {
  await ws
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: now })
    .where('webhook_id', '=', webhookId)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '>', now)
    .execute();
}

export async function countWebhooks(ws: WorkspaceDb): Promise<number> {
  const row = await ws
    .selectFrom('webhooks')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
