import type { OperationContext } from '../operations/define.js';
import { loadPolicy, proposalExpiry } from '../policy/policy.js';
import type { ReasonCode } from '../policy/reason-codes.js';
import type { ProposalsTable } from '../store/schema.js';
import { findProposal, insertProposal } from './proposals.repository.js';

export interface NewProposal {
  /** The operation that runs on approval, and its exact input. */
  operation: string;
  input: unknown;
  target: string | null;
  targetVersion: number | null;
  diff: Record<string, [unknown, unknown]>;
  reasonCode: ReasonCode;
  summary: string;
}

/**
 * Stores a pending proposal by the caller, expiring after the workspace's
 * proposal_expiry_hours, and queues its `proposal.created` audit row and event.
 */
export async function storeProposal(ctx: OperationContext, proposal: NewProposal): Promise<ProposalsTable> {
  const caller = ctx.caller!;
  const id = ctx.services.ids.next('p');
  const policy = await loadPolicy(ctx.ws);
  await insertProposal(ctx.ws, {
    id,
    operation: proposal.operation,
    input: JSON.stringify(proposal.input),
    target: proposal.target,
    target_version: proposal.targetVersion,
    diff: JSON.stringify(proposal.diff),
    status: 'pending',
    reason_code: proposal.reasonCode,
    summary: proposal.summary,
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
    expires_at: proposalExpiry(policy, ctx.now),
    edits: null,
  });
  ctx.audit({ target: `proposal/${id}`, event: 'proposal.created', changes: proposal.diff });
  return (await findProposal(ctx.ws, id))!;
}
