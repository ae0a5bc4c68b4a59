import { isAppError } from '../errors.js';
import { savepoint } from '../store/savepoint.js';
import { flushAudits, newRun, systemDb } from './context.js';
import type { Caller, OperationContext } from './define.js';
import { applyDecision, checkCaller, decide, validate } from './steps.js';

/** A stored proposal as the executor runs it: its operation, its exact input, and who proposed it. */
export interface ApprovedCall {
  proposalId: string;
  operation: string;
  /** The stored input (JSON text), parsed again against the operation's schema of today. */
  input: string;
  reason: string | null;
  proposer: Caller;
  decidedBy: string;
}

export type ApprovedOutcome =
  | { status: 'applied'; data: unknown }
  | { status: 'failed'; error: { code: string; message: string; hint?: string } };

/**
 * The executor's entry point for an approved proposal, inside the deciding person's transaction
 * (`ctx`): the operation found by name, its stored input validated again against today's schema,
 * the proposer's scope checked, and the deciders that hold for approved changes (budget, plan
 * caps) asked again — but not the operation's workspace policy, which made the proposal: the
 * approval stands for it (ctx.approval). Any refusal is the outcome `failed`, with nothing of the
 * change kept: it runs in a savepoint, rolled back when the operation refuses half-way.
 */
export async function runApproved(ctx: OperationContext, call: ApprovedCall): Promise<ApprovedOutcome> {
  const operation = ctx.services.executor.findOperation(call.operation);
  if (!operation) {
    return {
      status: 'failed',
      error: { code: 'unsupported', message: `${call.operation} no longer exists` },
    };
  }
  const run = newRun(ctx.services, systemDb(ctx), {
    crossWorkspace: operation.crossWorkspace,
    caller: call.proposer,
    requestId: ctx.requestId,
    idempotencyKey: null,
    reason: call.reason,
    approval: { proposalId: call.proposalId, decidedBy: call.decidedBy },
  });
  const db = systemDb(ctx);
  await savepoint.begin(db, 'approved_change');
  try {
    checkCaller(operation, call.proposer);
    const { data } = validate(operation, JSON.parse(call.input), { takeReason: false });
    const decision = await decide(run, operation, data, { approved: true });
    if (decision.verdict) {
      await savepoint.release(db, 'approved_change');
      const { reason_code: code, summary: message } = decision.verdict;
      return { status: 'failed', error: { code, message } };
    }
    const result = await applyDecision(run, operation, data, decision, null);
    if (result.error) throw result.error;
    await flushAudits(run, operation.name, null, { decision: 'allow', reason_code: 'proposal.approved' });
    for (const task of run.afterCommit) ctx.afterCommit(task);
    await savepoint.release(db, 'approved_change');
    return { status: 'applied', data: result.data };
  } catch (error) {
    if (!isAppError(error)) throw error;
    // A refusal may come after some of the change was written: none of it is kept.
    await savepoint.rollback(db, 'approved_change');
    await savepoint.release(db, 'approved_change');
    return { status: 'failed', error: { code: error.code, message: error.message, hint: error.hint } };
  }
}
