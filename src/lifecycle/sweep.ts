import { type Kysely, sql, type Transaction } from 'kysely';
import type { UnchainedAuditRow } from '../audit/chain.js';
import { appendAuditRows } from '../audit/chain.repository.js';
import {
  purgeOAuthCodes,
  purgeOAuthRequests,
  purgeUnusedOAuthClients,
} from '../auth/oauth/oauth-purge.repository.js';
import { appendEvents } from '../events/events.repository.js';
import { kindOfTable } from '../records/kinds.js';
import { references } from '../records/refs.js';
import { RETENTION_DAYS } from '../records/write.js';
import type { Services } from '../services.js';
import type { DialectCapabilities } from '../store/dialect.js';
import type { Database } from '../store/schema.js';
import { scopeTo } from '../store/scoped.js';
import { purgeDeliveries, purgeEvents, purgeIdempotencyKeys } from './prune.repository.js';
import {
  claimExpiredRecord,
  clearReference,
  deleteFieldWriters,
  deleteOwned,
  deleteRecord,
  type ExpiredRecord,
  expiredRecords,
  PURGED_TABLES,
  type PurgedTable,
} from './sweep.repository.js';

type Db = Kysely<Database> | Transaction<Database>;

const DAY_MS = 24 * 3600 * 1000;
/** A registered OAuth client nobody used is removed this long after its registration. */
export const UNUSED_CLIENT_DAYS = 30;

/** The updated_at to set on a record whose reference is cleared: versioned kinds keep one, activities do not. */
const touched = (table: string, now: string) => (kindOfTable(table).record ? now : null);

/** The handle prefix of a table's records: `contact` for contacts. */
const kindOf = (table: string) => kindOfTable(table).kind;

/** What one pass removed; `more` when some table had more than the pass's bound. */
export interface SweepReport {
  records: Record<PurgedTable, number>;
  /** Handles of the records purged, in order. */
  purged: string[];
  /** Owned rows removed with their record (a contact's activities). */
  owned_removed: number;
  /** References to a purged record set to null (deals.contact_id, …), each audited. */
  references_cleared: number;
  events: number;
  webhook_deliveries: number;
  idempotency_keys: number;
  oauth_codes: number;
  oauth_requests: number;
  oauth_clients: number;
  more: boolean;
}

export interface SweepOptions {
  /** One workspace (the admin operation), or every workspace and the shared tables (the poller). */
  workspaceId: string | null;
  /** The caller's transaction: everything runs in it. Without it each record commits on its own. */
  trx?: Transaction<Database>;
  requestId: string;
}

/**
 * One bounded pass of the retention sweeper (docs/lifecycle.md): at most RETENTION_SWEEP_BATCH
 * rows per table. Safe with several processes: every delete repeats its condition and counts only
 * what it removed itself, and a record's audit rows are written only by the transaction that
 * deleted it.
 */
export async function sweepOnce(services: Services, options: SweepOptions): Promise<SweepReport> {
  const { config, store } = services;
  const db: Db = options.trx ?? store.db;
  const now = services.clock.now();
  const nowIso = now.toISOString();
  const limit = config.retentionSweepBatch;
  const recordCutoff = new Date(now.getTime() - RETENTION_DAYS * DAY_MS).toISOString();
  const eventCutoff = new Date(now.getTime() - config.eventsRetentionDays * DAY_MS).toISOString();
  const report: SweepReport = {
    records: { contacts: 0, companies: 0, deals: 0 },
    purged: [],
    owned_removed: 0,
    references_cleared: 0,
    events: 0,
    webhook_deliveries: 0,
    idempotency_keys: 0,
    oauth_codes: 0,
    oauth_requests: 0,
    oauth_clients: 0,
    more: false,
  };
  const inTransaction = <T>(work: (trx: Db) => Promise<T>): Promise<T> =>
    options.trx
      ? work(options.trx)
      : store.db.transaction().execute(async (trx) => work(await writing(trx, store.dialect)));
  if (options.trx) await writing(options.trx, store.dialect);

  // Deals first, then companies and contacts: a deal purged in the same pass needs no reference
  // cleared (and no audit row saying so) when its contact goes after it.
  const pending: Purged[] = [];
  for (const table of [...PURGED_TABLES].reverse()) {
    const expired = await expiredRecords(db, table, recordCutoff, limit, options.workspaceId);
    if (expired.length === limit) report.more = true;
    for (const record of expired) {
      const outcome = await inTransaction(async (trx) => {
        const purged = await purgeRecord(trx, services, table, record, recordCutoff, nowIso);
        // Alone in its transaction, a record's audit rows go at once; in the caller's transaction
        // they wait for the end of the loop (see recordChanges).
        if (purged && !options.trx) await recordChanges(trx, services, [purged], nowIso, options.requestId);
        return purged;
      });
      if (!outcome) continue;
      pending.push(outcome);
      report.records[table] += 1;
      report.purged.push(`${kindOf(table)}/${record.id}`);
      report.owned_removed += outcome.owned;
      report.references_cleared += outcome.cleared;
    }
  }
  if (options.trx) await recordChanges(options.trx, services, pending, nowIso, options.requestId);
  const tally = (key: keyof SweepReport, result: { removed: number; more: boolean }) => {
    (report[key] as number) += result.removed;
    if (result.more) report.more = true;
  };
  const ws = options.workspaceId;
  tally('webhook_deliveries', await inTransaction((trx) => purgeDeliveries(trx, eventCutoff, limit, ws)));
  tally('events', await inTransaction((trx) => purgeEvents(trx, eventCutoff, limit, ws)));
  tally('idempotency_keys', await inTransaction((trx) => purgeIdempotencyKeys(trx, nowIso, limit, ws)));
  tally('oauth_codes', await inTransaction((trx) => purgeOAuthCodes(trx, nowIso, limit, ws)));
  if (ws === null) {
    // Shared tables (not any one workspace's) only from the background sweeper.
    const clientCutoff = new Date(now.getTime() - UNUSED_CLIENT_DAYS * DAY_MS).toISOString();
    tally('oauth_requests', await inTransaction((trx) => purgeOAuthRequests(trx, nowIso, limit)));
    tally('oauth_clients', await inTransaction((trx) => purgeUnusedOAuthClients(trx, clientCutoff, limit)));
  }
  return report;
}

/**
 * SQLite: another process (a second server, the CLI) may write the file too, and a transaction that
 * read before its first write cannot take the write lock once another wrote (SQLITE_BUSY at once,
 * without waiting). A write that changes nothing, first, takes the lock, waiting busy_timeout like
 * any write (the same step as appendAuditRows in src/audit/chain.repository.ts).
 */
async function writing(trx: Db, dialect: DialectCapabilities): Promise<Db> {
  if (dialect.name === 'sqlite') await sql`delete from audit_chain_anchors where 1 = 0`.execute(trx);
  return trx;
}

interface Change {
  target: string;
  changes: Record<string, [unknown, unknown]>;
  version: number | null;
  type: string;
}

/** One record purged: what changed, for its audit rows and events. */
interface Purged {
  workspaceId: string;
  handle: string;
  deletedAt: string;
  owned: number;
  cleared: number;
  changes: Change[];
}

/**
 * Purges one record in the caller's transaction, if it is still past retention: the references to
 * it (set to null) and its owned rows, then the row and who wrote its fields. Null when another
 * process got there first (or it was restored meanwhile).
 */
async function purgeRecord(
  trx: Db,
  services: Services,
  table: PurgedTable,
  record: ExpiredRecord,
  cutoff: string,
  now: string,
): Promise<Purged | null> {
  const { workspace_id: workspaceId, id } = record;
  const rowLock = services.store.dialect.name === 'postgres';
  if (!(await claimExpiredRecord(trx, table, workspaceId, id, cutoff, rowLock))) return null;
  const handle = `${kindOf(table)}/${id}`;
  const changes: Change[] = [
    { target: handle, changes: { purged_at: [null, now] }, version: null, type: `${kindOf(table)}.purged` },
  ];
  let owned = 0;
  let cleared = 0;
  for (const ref of references().filter((r) => r.to === table)) {
    if (ref.owned) {
      for (const ownedId of await deleteOwned(trx, ref.from, ref.column, workspaceId, id)) {
        owned += 1;
        const ownedHandle = `${kindOf(ref.from)}/${ownedId}`;
        await deleteFieldWriters(trx, workspaceId, ownedHandle);
        changes.push({
          target: ownedHandle,
          changes: { purged_at: [null, now] },
          version: null,
          type: `${kindOf(ref.from)}.purged`,
        });
      }
      continue;
    }
    for (const row of await clearReference(
      trx,
      ref.from,
      ref.column,
      workspaceId,
      id,
      touched(ref.from, now),
    )) {
      cleared += 1;
      changes.push({
        target: `${kindOf(ref.from)}/${row.id}`,
        changes: { [ref.column]: [id, null] },
        version: row.version,
        type: `${kindOf(ref.from)}.updated`,
      });
    }
  }
  await deleteRecord(trx, table, workspaceId, id);
  await deleteFieldWriters(trx, workspaceId, handle);
  return { workspaceId, handle, deletedAt: record.deleted_at, owned, cleared, changes };
}

/**
 * An audit row (system actor) and a change-feed event for each record removed or changed. Written
 * after every row the transaction changes: like every other writer, a transaction takes the
 * workspace's audit-chain lock last (rows, then chain, then the event counter), so a purge and
 * an ordinary write cannot wait on each other in a circle.
 */
async function recordChanges(trx: Db, services: Services, purged: Purged[], now: string, requestId: string) {
  const rows: UnchainedAuditRow[] = purged.flatMap((record) =>
    record.changes.map((change) => ({
      workspace_id: record.workspaceId,
      id: services.ids.next('aud'),
      at: now,
      actor_type: 'system' as const,
      actor_id: 'retention',
      token_id: null,
      token_name: null,
      operation: 'lifecycle.purge',
      tool_name: null,
      target: change.target,
      changes: JSON.stringify(change.changes),
      reason: `${record.handle} was deleted at ${record.deletedAt}, past the ${RETENTION_DAYS}-day retention`,
      request_id: requestId,
      idempotency_key: null,
      policy_decision: 'allow',
      reason_code: 'policy.allowed',
      record_version: change.version,
      operation_id: null,
      reverts: null,
    })),
  );
  await appendAuditRows(trx, services.store.dialect, rows);
  const byWorkspace = new Map<string, Change[]>();
  for (const record of purged) {
    byWorkspace.set(record.workspaceId, [...(byWorkspace.get(record.workspaceId) ?? []), ...record.changes]);
  }
  for (const [workspaceId, changes] of [...byWorkspace].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await appendEvents(
      scopeTo(trx, services.store.dialect, workspaceId),
      changes.map((change) => ({
        id: services.ids.next('evt'),
        at: now,
        type: change.type,
        target: change.target,
        operation: 'lifecycle.purge',
        actor: 'system/retention',
        changes: JSON.stringify(change.changes),
        request_id: requestId,
      })),
    );
  }
}
