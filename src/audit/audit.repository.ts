import { sql } from 'kysely';
import { keyFingerprint } from '../idempotency/fingerprint.js';
import { systemDb } from '../operations/context.js';
import type { AuditEntry, Decision, OperationContext } from '../operations/define.js';
import type { AuditLogTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';
import { slices } from '../store/slices.js';
import type { UnchainedAuditRow } from './chain.js';
import { appendAuditRows } from './chain.repository.js';

export interface AuditWrite extends AuditEntry {
  operation: string;
  toolName: string | null;
  policy: { decision: Decision; reason_code: string };
}

/** The audit_log row and field_writers rows of one entry (see writeAudit). */
function auditRows(ctx: OperationContext, entry: AuditWrite) {
  const actor = entry.actor ?? {
    type: ctx.caller?.principalType ?? 'system',
    id: ctx.caller?.principalId ?? 'system',
    workspaceId: ctx.ws.workspaceId,
  };
  const id = ctx.services.ids.next('aud');
  const row: UnchainedAuditRow = {
    workspace_id: actor.workspaceId,
    id,
    at: ctx.now,
    actor_type: actor.type,
    actor_id: actor.id,
    token_id: ctx.caller?.tokenId ?? null,
    token_name: ctx.caller?.tokenName ?? null,
    operation: entry.operation,
    tool_name: entry.toolName,
    target: entry.target,
    changes: entry.changes ? JSON.stringify(entry.changes) : null,
    reason: ctx.reason,
    request_id: ctx.requestId,
    idempotency_key: ctx.idempotencyKey === null ? null : keyFingerprint(ctx.idempotencyKey),
    policy_decision: entry.policy.decision,
    reason_code: entry.policy.reason_code,
    record_version: entry.version ?? null,
    operation_id: entry.operationId ?? ctx.operationId,
    reverts: entry.reverts ? JSON.stringify(entry.reverts) : null,
  };
  // A change to a versioned record: remember who wrote each of its fields last.
  const writers =
    entry.version != null && entry.target && entry.changes && entry.policy.decision !== 'deny'
      ? Object.keys(entry.changes).map((field) => ({
          workspace_id: actor.workspaceId,
          target: entry.target!,
          field,
          actor_type: actor.type,
          actor_id: actor.id,
          audit_id: id,
          at: ctx.now,
        }))
      : [];
  return { row, writers };
}

async function insertWriters(ctx: OperationContext, writers: ReturnType<typeof auditRows>['writers']) {
  for (const slice of slices(writers)) {
    await systemDb(ctx)
      .insertInto('field_writers')
      .values(slice)
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'target', 'field']).doUpdateSet((eb) => ({
          actor_type: eb.ref('excluded.actor_type'),
          actor_id: eb.ref('excluded.actor_id'),
          audit_id: eb.ref('excluded.audit_id'),
          at: eb.ref('excluded.at'),
        })),
      )
      .execute();
  }
}

export async function writeAudit(ctx: OperationContext, entry: AuditWrite): Promise<void> {
  const { row, writers } = auditRows(ctx, entry);
  await appendAuditRows(systemDb(ctx), ctx.services.store.dialect, [row]);
  await insertWriters(ctx, writers);
}

/**
 * writeAudit for many entries with multi-row INSERTs (a batch chunk): the same rows, in order.
 * The entries must name distinct targets (field_writers takes one row per target and field).
 */
export async function writeAudits(ctx: OperationContext, entries: AuditWrite[]): Promise<void> {
  const built = entries.map((entry) => auditRows(ctx, entry));
  await appendAuditRows(
    systemDb(ctx),
    ctx.services.store.dialect,
    built.map((b) => b.row),
  );
  await insertWriters(
    ctx,
    built.flatMap((b) => b.writers),
  );
}

/** Who last wrote each of these fields of a record (fields nobody wrote are left out). */
export async function fieldWriters(
  ws: WorkspaceDb,
  target: string,
  fields: string[],
): Promise<Map<string, { actor_type: string; actor_id: string; at: string }>> {
  if (fields.length === 0) return new Map();
  const rows = await ws
    .selectFrom('field_writers')
    .select(['field', 'actor_type', 'actor_id', 'at'])
    .where('target', '=', target)
    .where('field', 'in', fields)
    .execute();
  return new Map(rows.map((row) => [row.field, row]));
}

/** The audited changes to one record after `version`, oldest first (for version conflicts). */
export async function changesSince(
  ws: WorkspaceDb,
  target: string,
  version: number,
): Promise<
  { at: string; actor_id: string; operation: string; record_version: number | null; changes: string | null }[]
> {
  return ws
    .selectFrom('audit_log')
    .select(['at', 'actor_id', 'operation', 'record_version', 'changes'])
    .where('target', '=', target)
    .where('record_version', '>', version)
    .orderBy('record_version')
    .orderBy('id')
    .limit(100)
    .execute();
}

export interface AuditFilters {
  actorId?: string;
  /** An exact operation name, or a prefix ending in `.` (from `contacts.*`). */
  operation?: string;
  target?: string;
  since?: string;
  /** The id the previous page ended on (pages run newest first). */
  before?: string;
}

export async function listAudit(
  ws: WorkspaceDb,
  filters: AuditFilters,
  limit: number,
): Promise<AuditLogTable[]> {
  let query = ws.selectFrom('audit_log').selectAll();
  if (filters.actorId) query = query.where('actor_id', '=', filters.actorId);
  if (filters.operation?.endsWith('.')) {
    const prefix = `${filters.operation.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`operation like ${prefix} escape '\\'`);
  } else if (filters.operation) query = query.where('operation', '=', filters.operation);
  if (filters.target) query = query.where('target', '=', filters.target);
  if (filters.since) query = query.where('at', '>=', filters.since);
  if (filters.before) query = query.where('id', '<', filters.before);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

/** Where a page of history ended: the last entry's time, record version and id. */
export interface HistoryPosition {
  at: string;
  version: number;
  id: string;
}

/**
 * A record's applied changes, newest first (refusals and proposals stay in the audit log). Changes
 * within one millisecond are ordered by the record version they produced, not by id (whose tail is
 * random), so a create never shows after the update that followed it.
 */
export async function recordHistory(
  ws: WorkspaceDb,
  target: string,
  after: HistoryPosition | undefined,
  limit: number,
): Promise<AuditLogTable[]> {
  const version = sql<number>`coalesce(record_version, 0)`;
  let query = ws
    .selectFrom('audit_log')
    .selectAll()
    .where('target', '=', target)
    .where('policy_decision', '=', 'allow');
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('at', '<', after.at),
        eb.and([
          eb('at', '=', after.at),
          eb.or([
            eb(version, '<', after.version),
            eb.and([eb(version, '=', after.version), eb('id', '<', after.id)]),
          ]),
        ]),
      ]),
    );
  }
  return query.orderBy('at', 'desc').orderBy(version, 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** What a revert can name: one audit row, one request, one background operation, or a token's window. */
export type RevertSelector =
  | { auditId: string }
  | { requestId: string }
  | { operationId: string }
  | { tokenId: string; from: string; to: string };

/** The audit rows a selector names, oldest first, at most `limit`. */
export async function auditRowsFor(
  ws: WorkspaceDb,
  selector: RevertSelector,
  limit: number,
): Promise<AuditLogTable[]> {
  let query = ws.selectFrom('audit_log').selectAll();
  if ('auditId' in selector) query = query.where('id', '=', selector.auditId);
  else if ('requestId' in selector) query = query.where('request_id', '=', selector.requestId);
  else if ('operationId' in selector) query = query.where('operation_id', '=', selector.operationId);
  else {
    query = query
      .where('token_id', '=', selector.tokenId)
      .where('at', '>=', selector.from)
      .where('at', '<=', selector.to);
  }
  return query.orderBy('id').limit(limit).execute();
}

/** The applied changes to one record made after `version` (versioned records), oldest first. */
export async function laterChanges(
  ws: WorkspaceDb,
  target: string,
  version: number,
): Promise<Pick<AuditLogTable, 'id' | 'record_version' | 'changes'>[]> {
  return ws
    .selectFrom('audit_log')
    .select(['id', 'record_version', 'changes'])
    .where('target', '=', target)
    .where('record_version', '>', version)
    .where('policy_decision', '=', 'allow')
    .orderBy('record_version')
    .execute();
}

/** The applied changes to one unversioned row (an activity) after the audit row `afterId`. */
export async function laterChangesById(
  ws: WorkspaceDb,
  target: string,
  afterId: string,
): Promise<Pick<AuditLogTable, 'id' | 'record_version' | 'changes'>[]> {
  return ws
    .selectFrom('audit_log')
    .select(['id', 'record_version', 'changes'])
    .where('target', '=', target)
    .where('id', '>', afterId)
    .where('policy_decision', '=', 'allow')
    .orderBy('id')
    .execute();
}
