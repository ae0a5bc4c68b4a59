import type { Kysely, Transaction } from 'kysely';
import { isAppError } from '../errors.js';
import type { Services } from '../services.js';
import type { Database } from '../store/schema.js';
import { type ContextMeta, flushAudits, newRun, type Run } from './context.js';
import type { AnyOperation, Caller, OperationResult } from './define.js';
import { ALLOWED, applyDecision, checkCaller, decide, validate } from './steps.js';

/**
 * The executor's entry points for the items of a batch, inside the job's chunk transaction: each
 * item runs the steps a single call runs (scope → validate → metering → decide → apply), so the
 * budget, the plan caps and the workspace policy hold for an item as for a call. No idempotency
 * step: the job itself was accepted under the batch call's key, and its progress is saved with
 * each chunk, so no item runs twice.
 */

export interface BatchMeta {
  caller: Caller;
  requestId: string;
  /** The background operation (op_…); every audit row of its items carries it. */
  operationId: string;
  /** The batch operation's name (contacts.batch_upsert), under which items are audited. */
  batchOperation: string;
  reason: string | null;
  /** The items were confirmed as a whole (a bulk delete): each stands behind it, as an approval does. */
  confirmed: boolean;
}

/** What refused one item; the counts of the job stay complete, the errors are listed. */
export interface ItemRefusal {
  code: string;
  message: string;
  hint?: string;
}

type Db = Kysely<Database> | Transaction<Database>;

function contextMeta(meta: BatchMeta, operation: AnyOperation): ContextMeta {
  return {
    crossWorkspace: operation.crossWorkspace,
    caller: meta.caller,
    requestId: meta.requestId,
    operationId: meta.operationId,
    idempotencyKey: null,
    reason: meta.reason,
    approval: meta.confirmed ? { proposalId: meta.operationId, decidedBy: meta.caller.principalId } : null,
  };
}

/**
 * One item through the executor's steps, exactly as a single call would run it. A verdict
 * (a denial by the budget or the policy, or a required approval) refuses the item with its
 * reason code; a failed step throws its AppError, which the job records as the item's error.
 */
export async function runBatchItem(
  services: Services,
  db: Db,
  operation: AnyOperation,
  item: unknown,
  meta: BatchMeta,
): Promise<{ refused: ItemRefusal } | { result: OperationResult }> {
  checkCaller(operation, meta.caller);
  const { data } = validate(operation, item, { takeReason: false, headerReason: meta.reason });
  services.meter.count(meta.caller.workspaceId);
  const run = newRun(services, db, contextMeta(meta, operation));
  // The policy speaks on every item, a confirmed one too (its rules read ctx.approval themselves).
  const decision = await decide(run, operation, data, {});
  if (decision.verdict) {
    return { refused: { code: decision.verdict.reason_code, message: decision.verdict.summary } };
  }
  const result = await applyDecision(run, operation, data, decision, null);
  if (result.error) throw result.error;
  await flushAudits(run, meta.batchOperation, null, result.policy ?? ALLOWED);
  return { result };
}

/**
 * The set-based commit step: a group of consecutive plain creates (already validated, and of an
 * operation whose policy has no say on a new record) decided at once — metered as N calls, the
 * deciders asked for N items — and written by `commit` in multi-row statements. Returns false,
 * having written and metered nothing, when the caller may not run it, a decider cannot allow all
 * N, or `commit` finds no room under the plan cap: the items then run one by one through
 * runBatchItem, and those past a limit are refused exactly as single calls would be.
 */
export async function runBatchGroup(
  services: Services,
  db: Db,
  operation: AnyOperation,
  count: number,
  meta: BatchMeta,
  commit: (run: Run) => Promise<boolean>,
): Promise<boolean> {
  try {
    checkCaller(operation, meta.caller);
  } catch (error) {
    if (isAppError(error)) return false;
    throw error;
  }
  const workspaceId = meta.caller.workspaceId;
  services.meter.count(workspaceId, count);
  const run = newRun(services, db, contextMeta(meta, operation));
  let committed = false;
  try {
    const decision = await decide(run, operation, null, { operationPolicy: false, count });
    committed = !decision.verdict && (await commit(run));
  } finally {
    // A group that falls back (or whose chunk fails) is metered again item by item.
    if (!committed) services.meter.count(workspaceId, -count);
  }
  return committed;
}
