import { AppError } from '../errors.js';
import { crossDb } from '../operations/context.js';
import type { OperationContext } from '../operations/define.js';
import type { ReasonCode } from '../policy/reason-codes.js';
import type { ProposalsTable } from '../store/schema.js';
import { findWorkspace } from '../workspaces/workspaces.repository.js';
import { approveProposal, editProposal } from './apply.js';
import { isExpired } from './proposal.js';
import { findProposal, transitionProposal } from './proposals.repository.js';

/** Only a person who administers the workspace (an admin or its billing owner) decides. */
export async function assertHumanDecider(ctx: OperationContext): Promise<void> {
  const caller = ctx.caller!;
  if (caller.principalType !== 'user') {
    throw new AppError(
      'approval_requires_human',
      'proposals are decided by a person, never by an agent (not even with a code)',
      'ask your human to approve it in the console (/human/approvals) or through the API with their own token',
    );
  }
  const workspace = await findWorkspace(crossDb(ctx), ctx.ws.workspaceId);
  if (caller.role !== 'admin' && workspace?.billing_owner_id !== caller.principalId) {
    throw new AppError(
      'forbidden',
      'only an admin or the billing owner of this workspace decides proposals',
      'ask an admin of this workspace to decide it',
    );
  }
}

export interface Decided {
  row: ProposalsTable;
  reason_code: ReasonCode;
  /** Set when the proposal expired before this decision: it was not applied. */
  expired?: AppError;
}

export const expiredError = (row: ProposalsTable) =>
  new AppError(
    'proposal_expired',
    `proposal/${row.id} expired at ${row.expires_at} before anyone decided it; it will not be applied`,
    'ask the agent to propose the change again if it still applies (the policy setting proposal_expiry_hours sets how long proposals wait)',
    { details: { reason_code: 'proposal.expired', expired_at: row.expires_at } },
  );

/**
 * One decision on one proposal, by a person already checked: an expired proposal is stored as
 * expired and not applied; a rejection keeps the reason; an approval (with the person's edits,
 * validated against the operation's schema) runs the operation exactly once.
 */
export async function decideOne(
  ctx: OperationContext,
  row: ProposalsTable,
  decision: 'approve' | 'reject',
  note: string | null,
  edits: Record<string, unknown> | undefined,
): Promise<Decided> {
  const decidedBy = ctx.caller!.principalId;
  const handle = `proposal/${row.id}`;
  if (row.status === 'expired') throw expiredError(row);
  if (row.status !== 'pending') {
    throw new AppError(
      'conflict',
      `${handle} was already decided: it is ${row.status}`,
      `GET /proposals/${row.id} shows the decision and its result`,
    );
  }
  if (isExpired(row, ctx.now)) {
    const result = { reason_code: 'proposal.expired', expired_at: row.expires_at };
    if (
      await transitionProposal(ctx.ws, row.id, 'pending', 'expired', {
        result: JSON.stringify(result),
        updated_at: ctx.now,
      })
    ) {
      ctx.audit({ target: handle, event: 'proposal.expired', changes: { status: ['pending', 'expired'] } });
    }
    const after = (await findProposal(ctx.ws, row.id))!;
    return { row: after, reason_code: 'proposal.expired', expired: expiredError(row) };
  }
  if (decision === 'reject') {
    if (edits) {
      throw new AppError(
        'invalid_input',
        'edits: only an approval takes edits',
        'send edits with "decision":"approve"',
      );
    }
    const moved = await transitionProposal(ctx.ws, row.id, 'pending', 'rejected', {
      decided_by: decidedBy,
      decided_at: ctx.now,
      decision_note: note,
      result: JSON.stringify({ reason_code: 'proposal.rejected', reason: note }),
      updated_at: ctx.now,
    });
    if (!moved) throw new AppError('conflict', `${handle} was decided meanwhile`, `GET /proposals/${row.id}`);
    // The reason travels with the change-feed event, so a polling agent reads it there too.
    ctx.audit({
      target: handle,
      event: 'proposal.rejected',
      changes: { status: ['pending', 'rejected'], decision_note: [null, note] },
    });
    return { row: (await findProposal(ctx.ws, row.id))!, reason_code: 'proposal.rejected' };
  }
  const edited = edits && Object.keys(edits).length > 0 ? editProposal(ctx.services, row, edits) : undefined;
  if (edited) {
    ctx.audit({ target: handle, event: 'proposal.edited', changes: JSON.parse(edited.edits) });
  }
  const after = await approveProposal(ctx, row, decidedBy, note, edited);
  return {
    row: after,
    reason_code: after.status === 'stale' ? 'proposal.target_changed' : 'proposal.approved',
  };
}
