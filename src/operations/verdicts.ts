import { autoApprovalOf } from '../policy/policy.js';
import { storeProposal } from '../proposals/create.js';
import { toProposalRecord } from '../proposals/proposal.js';
import { flushAudits, type Run } from './context.js';
import type { AnyOperation, AuditEntry, OperationContext, OperationResult, Verdict } from './define.js';

export const POLL_PROPOSAL = {
  tool_name: 'proposals.get_status',
  when: 'poll with the proposal_id until its status is applied, rejected, stale, failed or expired',
};

/**
 * Carries out a policy verdict instead of the operation: a denial is audited and answered; a
 * required approval becomes a stored proposal (the operation and its exact input) for a human.
 */
export async function applyVerdict(
  run: Run,
  operation: AnyOperation,
  input: unknown,
  verdict: Verdict,
  toolName: string | null,
): Promise<OperationResult> {
  const { ctx } = run;
  const policy = { decision: verdict.decision, reason_code: verdict.reason_code };
  if (verdict.decision === 'deny') {
    run.audits.push({ target: verdict.target ?? null, changes: verdict.diff ?? null });
    await flushAudits(run, operation.name, toolName, policy);
    return {
      status: 403,
      outcome: 'denied',
      data: null,
      policy,
      summary: verdict.summary,
      nextActions: verdict.nextActions ?? [],
    };
  }
  const row = await storeProposal(ctx, {
    operation: operation.name,
    input,
    target: verdict.target ?? null,
    targetVersion: verdict.targetVersion ?? null,
    diff: verdict.diff ?? {},
    reasonCode: verdict.reason_code,
    summary: verdict.summary,
  });
  const id = row.id;
  await flushAudits(run, operation.name, toolName, policy);
  return {
    status: 202,
    outcome: 'proposed',
    data: toProposalRecord(row),
    policy,
    summary: `${verdict.summary}: waiting for a human's approval`,
    meta: [`# poll: GET /proposals/${id}`],
    nextActions: [POLL_PROPOSAL],
  };
}

/** What a dry run answers: the decision, the exact changes, and nothing written. */
export function dryRunResult(
  verdict: Verdict | null,
  audits: AuditEntry[],
  result: OperationResult | null,
): OperationResult {
  const policy = verdict ? { decision: verdict.decision, reason_code: verdict.reason_code } : result?.policy;
  const changes = verdict
    ? [{ target: verdict.target ?? null, changes: verdict.diff ?? {} }]
    : audits.map((entry) => ({ target: entry.target, changes: entry.changes ?? {} }));
  return {
    status: 200,
    outcome: verdict ? (verdict.decision === 'deny' ? 'denied' : 'proposed') : 'applied',
    ...(policy ? { policy } : {}),
    summary: verdict?.summary ?? 'dry run',
    data: {
      dry_run: true,
      decision: policy?.decision ?? 'allow',
      reason_code: policy?.reason_code ?? 'policy.allowed',
      changes,
      result: result?.data ?? null,
    },
    warnings: [{ code: 'dry_run', message: 'nothing was changed; repeat without dry_run to carry it out' }],
    nextActions: verdict?.nextActions ?? [],
    meta: ['# dry_run: nothing was changed'],
  };
}

export const AUTO_APPROVED = { decision: 'allow', reason_code: 'policy.auto_approved' } as const;

/**
 * A verdict that would store a proposal, when an admin switched auto-approve on for the
 * operation (policy.set_auto_approve): the operation runs at once instead, answered and audited
 * with policy.auto_approved. Denials stay denials; billing operations are never auto-approved.
 */
export async function autoApproved(
  ctx: OperationContext,
  operationName: string,
  verdict: Verdict | null,
): Promise<boolean> {
  if (verdict?.decision !== 'require_approval' || operationName.startsWith('billing.')) return false;
  return (await autoApprovalOf(ctx.ws, operationName)) !== null;
}
