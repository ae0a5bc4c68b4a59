import type { Kysely, Transaction } from 'kysely';
import { writeAudit, writeAudits } from '../audit/audit.repository.js';
import { eventType } from '../events/event-type.js';
import { appendEvent, appendEvents } from '../events/events.repository.js';
import type { Services } from '../services.js';
import type { Database } from '../store/schema.js';
import { scopeTo } from '../store/scoped.js';
import { createOutbox } from '../webhooks/outbox.js';
import type { AuditEntry, Caller, Decision, OperationContext } from './define.js';

export interface ContextMeta {
  caller: Caller | null;
  requestId: string;
  operationId?: string | null;
  idempotencyKey: string | null;
  reason: string | null;
  clientIp?: string | null;
  /** The client's address, worked out only if something asks (most requests never do). */
  clientIpOf?: () => string | null;
  escalationCode?: string | null;
  approval?: { proposalId: string; decidedBy: string } | null;
  interactive?: boolean;
  /** The operation declares crossWorkspace: its context carries the unscoped handle as `global`. */
  crossWorkspace?: boolean;
}

type Db = Kysely<Database> | Transaction<Database>;

/** Each executor-made context's transaction, unscoped: see systemDb. */
const systemHandles = new WeakMap<OperationContext, Db>();

/**
 * The run's unscoped handle (the same transaction), for the bookkeeping below the handlers that
 * every operation shares — audit rows, plan counters, billing state, step-up codes, savepoints —
 * never for a handler's own queries: a handler sees `ctx.ws`, or `ctx.global` when it declares
 * crossWorkspace.
 */
export function systemDb(ctx: OperationContext): Db {
  const db = systemHandles.get(ctx);
  if (!db) throw new Error('systemDb: this context was not made by the executor (newRun)');
  return db;
}

/** An operation context plus what it queued: audit rows and after-commit work. */
export interface Run {
  ctx: OperationContext;
  audits: AuditEntry[];
  afterCommit: (() => Promise<void>)[];
}

/**
 * `ctx.global` for an operation that declared crossWorkspace; a clear failure for one that did
 * not (a bug: the declaration is missing), instead of a silent reach beyond its workspace.
 */
export function crossDb(ctx: OperationContext): Db {
  if (!ctx.global) throw new Error('this operation reaches beyond its workspace: declare crossWorkspace');
  return ctx.global;
}

export function newRun(services: Services, db: Db, meta: ContextMeta): Run {
  const audits: AuditEntry[] = [];
  const afterCommit: (() => Promise<void>)[] = [];
  const ctx: OperationContext = {
    services,
    caller: meta.caller,
    global: meta.crossWorkspace ? db : null,
    ws: scopeTo(db, services.store.dialect, meta.caller?.workspaceId ?? ''),
    requestId: meta.requestId,
    operationId: meta.operationId ?? null,
    idempotencyKey: meta.idempotencyKey,
    reason: meta.reason,
    now: services.clock.now().toISOString(),
    get clientIp() {
      return meta.clientIp ?? meta.clientIpOf?.() ?? null;
    },
    escalationCode: meta.escalationCode ?? null,
    approval: meta.approval ?? null,
    interactive: meta.interactive ?? false,
    memo: new Map(),
    audit: (entry) => audits.push(entry),
    afterCommit: (task) => afterCommit.push(task),
  };
  systemHandles.set(ctx, db);
  return { ctx, audits, afterCommit };
}

/**
 * Writes the queued audit rows, and for each change that happened (not a refusal) its event in
 * the workspace's change feed and its webhook deliveries (the outbox) — in the operation's
 * transaction, so all of them agree.
 */
export async function flushAudits(
  run: Run,
  operationName: string,
  toolName: string | null,
  policy: { decision: Decision; reason_code: string },
): Promise<void> {
  const outbox = createOutbox(run.ctx);
  for (const entry of run.audits) {
    const operation = entry.operation ?? operationName;
    await writeAudit(run.ctx, { ...entry, operation, toolName, policy });
    if (policy.decision === 'deny' || !run.ctx.caller) continue;
    const actor = run.ctx.caller;
    const id = run.ctx.services.ids.next('evt');
    const type = eventType(operation, entry);
    const seq = await appendEvent(run.ctx.ws, {
      id,
      at: run.ctx.now,
      type,
      target: entry.target,
      operation,
      actor: `${actor.principalType === 'agent' ? 'agent' : 'user'}/${actor.principalId}`,
      changes: entry.changes ? JSON.stringify(entry.changes) : null,
      request_id: run.ctx.requestId,
    });
    await outbox.add({ id, seq, type });
  }
  run.audits.length = 0;
  if (outbox.queued) run.afterCommit.push(async () => run.ctx.services.webhooks.wake());
}

/**
 * flushAudits for a batch chunk's many records: the same audit rows, field_writers rows, events
 * (numbered in order from one bump of the counter) and webhook deliveries, each written with
 * multi-row INSERTs. The queued entries must name distinct targets.
 */
export async function flushAuditBatch(
  run: Run,
  operationName: string,
  toolName: string | null,
  policy: { decision: Decision; reason_code: string },
): Promise<void> {
  const entries = run.audits.map((entry) => ({
    ...entry,
    operation: entry.operation ?? operationName,
    toolName,
    policy,
  }));
  run.audits.length = 0;
  await writeAudits(run.ctx, entries);
  const actor = run.ctx.caller;
  if (policy.decision === 'deny' || !actor) return;
  const events = entries.map((entry) => ({
    id: run.ctx.services.ids.next('evt'),
    at: run.ctx.now,
    type: eventType(entry.operation, entry),
    target: entry.target,
    operation: entry.operation,
    actor: `${actor.principalType === 'agent' ? 'agent' : 'user'}/${actor.principalId}`,
    changes: entry.changes ? JSON.stringify(entry.changes) : null,
    request_id: run.ctx.requestId,
  }));
  const seqs = await appendEvents(run.ctx.ws, events);
  const outbox = createOutbox(run.ctx);
  await outbox.addMany(events.map((event, i) => ({ id: event.id, seq: seqs[i]!, type: event.type })));
  if (outbox.queued) run.afterCommit.push(async () => run.ctx.services.webhooks.wake());
}
