import { toProposalRecord } from '../proposals/proposal.js';
import { findProposal, insertProposal } from '../proposals/proposals.repository.js';
import { flushAudits, type Run } from './context.js';
import type { AnyOperation, AuditEntry, OperationResult, Verdict } from './define.js';

export const POLL_PROPOSAL = {
  tool_name: 'proposals.get_status',
  when: 'poll with the proposal_id until its status is applied, rejected, stale or failed',
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
  const caller = ctx.caller!;
  const id = ctx.services.ids.next('p');
  await insertProposal(ctx.ws, {
    id,
    operation: operation.name,
    input: JSON.stringify(input),
    target: verdict.target ?? null,
    target_version: verdict.targetVersion ?? null,
    diff: JSON.stringify(verdict.diff ?? {}),
    status: 'pending',
    reason_code: verdict.reason_code,
    summary: verdict.summary,
    reason: ctx.reason,
    proposer_type: caller.principalType,
    proposer_id: caller.principalId,
    proposer_token_id: caller.tokenId,
    decided_by: null,
    decided_at: null,
    decision_note: null,
    result: null,
    created_at: ctx.now,
    updated_at: ctx.now,
  });
  const entry: AuditEntry = {
    target: `proposal/${id}`,
    event: 'proposal.created',
    changes: verdict.diff ?? null,
  };
  run.audits.push(entry);
  await flushAudits(run, operation.name, toolName, policy);
  const row = await findProposal(ctx.ws, id);
  return {
    status: 202,
    outcome: 'proposed',
    data: toProposalRecord(row!),
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
