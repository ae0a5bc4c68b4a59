import { z } from 'zod';
import { requireStepUp } from '../auth/stepup.js';
import { idRef, shortText } from '../crm/fields.js';
import { AppError, notFound } from '../errors.js';
import { defineOperation, type OperationContext } from '../operations/define.js';
import type { ProposalsTable } from '../store/schema.js';
import { findWorkspace } from '../workspaces/workspaces.repository.js';
import { approveProposal, changedSince } from './apply.js';
import { FINAL_STATUSES, toProposalRecord } from './proposal.js';
import { findProposal, listProposals, transitionProposal } from './proposals.repository.js';

const proposalId = idRef('p');

/** The record for a reader: a pending proposal says whether its target moved on since. */
async function present(ctx: OperationContext, row: ProposalsTable) {
  const moved = row.status === 'pending' && (await changedSince(ctx, row)).length > 0;
  return toProposalRecord(row, moved);
}
const STATUSES = ['pending', 'approved', 'applied', 'rejected', 'stale', 'failed'] as const;

export const getProposalStatus = defineOperation({
  name: 'proposals.get_status',
  summary: 'The status of a proposal: pending, applied, rejected, stale (its target changed) or failed.',
  description:
    'Poll this after an outcome of "proposed" until the status is final. data.result holds the applied record, ' +
    'or the reason it was not applied.',
  http: { method: 'GET', path: '/proposals/:proposal_id' },
  scope: 'read',
  mutating: false,
  input: z.strictObject({ proposal_id: proposalId }),
  async handler(ctx, input) {
    const row = await findProposal(ctx.ws, input.proposal_id);
    if (!row) throw notFound(`proposal/${input.proposal_id}`);
    const record = await present(ctx, row);
    const final = (FINAL_STATUSES as readonly string[]).includes(row.status);
    return {
      data: record,
      nextActions: final
        ? []
        : [{ tool_name: 'proposals.get_status', when: 'again in a while: a human has not decided yet' }],
    };
  },
});

export const listProposalsOperation = defineOperation({
  name: 'proposals.list',
  summary: 'List proposals, newest first; ?status=pending for what waits for a human.',
  http: { method: 'GET', path: '/proposals' },
  scope: 'read',
  mutating: false,
  input: z.strictObject({
    status: z.enum(STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: proposalId.optional(),
  }),
  async handler(ctx, input) {
    const rows = await listProposals(ctx.ws, {
      status: input.status,
      before: input.cursor,
      limit: input.limit + 1,
    });
    const more = rows.length > input.limit;
    const page = rows.slice(0, input.limit);
    const records = [];
    for (const row of page) records.push(await present(ctx, row));
    return { data: records, nextCursor: more ? page.at(-1)!.id : null };
  },
});

/** Only a person who administers the workspace (an admin or its billing owner) decides. */
async function assertHumanDecider(ctx: OperationContext): Promise<void> {
  const caller = ctx.caller!;
  if (caller.principalType !== 'user') {
    throw new AppError(
      'approval_requires_human',
      'proposals are decided by a person, never by an agent (not even with a code)',
      'ask your human to approve it in the console (/human/approvals) or through the API with their own token',
    );
  }
  const workspace = await findWorkspace(ctx.db, ctx.ws.workspaceId);
  if (caller.role !== 'admin' && workspace?.billing_owner_id !== caller.principalId) {
    throw new AppError(
      'forbidden',
      'only an admin or the billing owner of this workspace decides proposals',
      'ask an admin of this workspace to decide it',
    );
  }
}

export const decideProposal = defineOperation({
  name: 'proposals.decide',
  summary:
    'Approve or reject a pending proposal (a person: admin or billing owner; needs an emailed step-up code).',
  description:
    'Over the API the first call answers escalation_required and emails a code; repeat the same request with ' +
    '?code=<code>. On approval the proposed operation runs once, against the record as it is now: if a proposed ' +
    'field changed since the proposal, it becomes stale instead of overwriting.',
  http: { method: 'POST', path: '/proposals/:proposal_id/decide' },
  scope: 'write',
  mutating: true,
  reasonCodes: ['proposal.approved', 'proposal.rejected', 'proposal.target_changed'],
  input: z.strictObject({
    proposal_id: proposalId,
    decision: z.enum(['approve', 'reject']),
    note: shortText(2000).optional(),
    code: z.string().max(20).optional(),
  }),
  async handler(ctx, input) {
    await assertHumanDecider(ctx);
    const row = await findProposal(ctx.ws, input.proposal_id);
    if (!row) throw notFound(`proposal/${input.proposal_id}`);
    if (row.status !== 'pending') {
      throw new AppError(
        'conflict',
        `proposal/${row.id} was already decided: it is ${row.status}`,
        `GET /proposals/${row.id} shows the decision and its result`,
      );
    }
    if (!ctx.interactive) {
      const stepUp = await requireStepUp(ctx, {
        operation: 'proposals.decide',
        input,
        description: `${input.decision} proposal/${row.id}: ${row.summary}`,
      });
      if (stepUp) return stepUp;
    }
    const decidedBy = ctx.caller!.principalId;
    if (input.decision === 'reject') {
      const moved = await transitionProposal(ctx.ws, row.id, 'pending', 'rejected', {
        decided_by: decidedBy,
        decided_at: ctx.now,
        decision_note: input.note ?? null,
        updated_at: ctx.now,
      });
      if (!moved)
        throw new AppError(
          'conflict',
          `proposal/${row.id} was decided meanwhile`,
          `GET /proposals/${row.id}`,
        );
      ctx.audit({
        target: `proposal/${row.id}`,
        event: 'proposal.rejected',
        changes: { status: ['pending', 'rejected'] },
      });
      const after = await findProposal(ctx.ws, row.id);
      return {
        data: toProposalRecord(after!),
        policy: { decision: 'allow', reason_code: 'proposal.rejected' },
      };
    }
    const after = await approveProposal(ctx, row, decidedBy, input.note ?? null);
    return {
      data: toProposalRecord(after),
      policy: {
        decision: 'allow',
        reason_code: after.status === 'stale' ? 'proposal.target_changed' : 'proposal.approved',
      },
    };
  },
});

export const proposalOperations = [getProposalStatus, listProposalsOperation, decideProposal];
