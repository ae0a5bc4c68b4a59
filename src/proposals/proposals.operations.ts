import { z } from 'zod';
import { findAgent } from '../agents/agents.repository.js';
import { requireStepUp } from '../auth/stepup.js';
import { isAppError, notFound } from '../errors.js';
import { flushAudits, newRun, systemDb } from '../operations/context.js';
import { defineOperation, type OperationContext } from '../operations/define.js';
import { idRef, shortText } from '../records/fields.js';
import { savepoint } from '../store/savepoint.js';
import type { ProposalsTable } from '../store/schema.js';
import { changedSince, editProposal } from './apply.js';
import { assertHumanDecider, decideOne } from './decide.js';
import { FINAL_STATUSES, isExpired, toProposalRecord } from './proposal.js';
import { findProposal, listProposals, pendingProposalsOf } from './proposals.repository.js';

const proposalId = idRef('p');

/** The record for a reader: a pending proposal says whether its target moved on since. */
async function present(ctx: OperationContext, row: ProposalsTable) {
  const moved =
    row.status === 'pending' && !isExpired(row, ctx.now) && (await changedSince(ctx, row)).length > 0;
  return toProposalRecord(row, moved, ctx.now);
}
const STATUSES = ['pending', 'approved', 'applied', 'rejected', 'stale', 'failed', 'expired'] as const;

export const getProposalStatus = defineOperation({
  name: 'proposals.get_status',
  summary:
    'The status of a proposal: pending, applied, rejected, stale (its target changed), failed or expired.',
  description:
    'Poll this after an outcome of "proposed" until the status is final. data.result holds the applied record, ' +
    "or the reason it was not applied; a rejection carries the person's reason in decision_note; data.edits shows " +
    'values the person changed before approving; expires_at says when an undecided proposal expires.',
  http: { method: 'GET', path: '/proposals/:proposal_id' },
  scope: 'read',
  mutating: false,
  input: z.strictObject({ proposal_id: proposalId }),
  async handler(ctx, input) {
    const row = await findProposal(ctx.ws, input.proposal_id);
    if (!row) throw notFound(`proposal/${input.proposal_id}`);
    const record = await present(ctx, row);
    const final = (FINAL_STATUSES as readonly string[]).includes(record.status);
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
  summary:
    "List proposals, newest first; ?status=pending for what waits for a human, ?agent_id= for one agent's.",
  http: { method: 'GET', path: '/proposals' },
  scope: 'read',
  mutating: false,
  input: z.strictObject({
    status: z.enum(STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    agent_id: idRef('agt').optional(),
    cursor: proposalId.optional(),
  }),
  async handler(ctx, input) {
    const rows = await listProposals(ctx.ws, {
      now: ctx.now,
      proposerId: input.agent_id,
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

const decisionInput = {
  decision: z.enum(['approve', 'reject']),
  note: shortText(2000)
    .optional()
    .describe('Why (shown to the agent on proposals.get_status and in the proposal.rejected event).'),
  code: z.string().max(20).optional(),
};

const editsInput = z
  .record(z.string().max(100), z.unknown())
  .refine((edits) => Object.keys(edits).length <= 50, 'at most 50 fields')
  .optional()
  .describe('approve only: field → value replacing the proposed value before it is applied.');

export const decideProposal = defineOperation({
  name: 'proposals.decide',
  summary:
    'Approve (optionally with edits) or reject with a reason a pending proposal (a person: admin or billing owner; needs an emailed step-up code).',
  description:
    'Over the API the first call answers escalation_required and emails a code; repeat the same request with ' +
    '?code=<code>. On approval the proposed operation runs once, against the record as it is now: if a proposed ' +
    'field changed since the proposal, it becomes stale instead of overwriting. edits {field: value} replace proposed ' +
    'values before applying (validated as the operation validates them; the proposal and the audit keep them). ' +
    'note is the reason the agent reads. An expired proposal answers proposal_expired and is never applied.',
  http: { method: 'POST', path: '/proposals/:proposal_id/decide' },
  scope: 'write',
  crossWorkspace: true,
  mutating: true,
  callers: 'people',
  reasonCodes: [
    'proposal.approved',
    'proposal.rejected',
    'proposal.target_changed',
    'proposal.expired',
    'proposal_expired',
  ],
  input: z.strictObject({ proposal_id: proposalId, ...decisionInput, edits: editsInput }),
  async handler(ctx, input) {
    await assertHumanDecider(ctx);
    const row = await findProposal(ctx.ws, input.proposal_id);
    if (!row) throw notFound(`proposal/${input.proposal_id}`);
    if (row.status === 'pending' && !isExpired(row, ctx.now) && !ctx.interactive) {
      if (input.edits && input.decision === 'approve') editProposal(ctx.services, row, input.edits); // refuse bad edits before a code
      const stepUp = await requireStepUp(ctx, {
        operation: 'proposals.decide',
        input,
        description: `${input.decision} proposal/${row.id}: ${row.summary}`,
      });
      if (stepUp) return stepUp;
    }
    const decided = await decideOne(ctx, row, input.decision, input.note ?? null, input.edits);
    return {
      data: toProposalRecord(decided.row, false, ctx.now),
      policy: { decision: 'allow', reason_code: decided.reason_code },
      ...(decided.expired ? { error: decided.expired } : {}),
    };
  },
});

const MAX_BUNDLE = 100;

export const decideProposals = defineOperation({
  name: 'proposals.decide_many',
  summary:
    'Approve or reject several proposals at once: by ids, or every pending proposal of one agent (optionally of one operation).',
  description:
    `Up to ${MAX_BUNDLE} proposals. Each is decided exactly once in its own savepoint, as proposals.decide would ` +
    'decide it (stale, failed or expired ones are reported, not applied); data.results lists each outcome. ' +
    'Unknown ids answer not_found before anything is decided. Same step-up as proposals.decide.',
  http: { method: 'POST', path: '/proposals/decide' },
  scope: 'write',
  crossWorkspace: true,
  mutating: true,
  callers: 'people',
  reasonCodes: ['proposal.approved', 'proposal.rejected', 'proposal.expired'],
  input: z
    .strictObject({
      ids: z.array(proposalId).min(1).max(MAX_BUNDLE).optional(),
      agent_id: idRef('agt').optional().describe('every pending proposal of this agent (oldest first)'),
      operation: z.string().max(100).optional().describe('with agent_id: only proposals of this operation'),
      ...decisionInput,
    })
    .refine((input) => (input.ids === undefined) !== (input.agent_id === undefined), {
      message: 'send either ids or agent_id',
      path: ['ids'],
    }),
  async handler(ctx, input) {
    await assertHumanDecider(ctx);
    let rows: ProposalsTable[];
    if (input.ids) {
      const ids = [...new Set(input.ids)];
      rows = [];
      for (const id of ids) {
        const row = await findProposal(ctx.ws, id);
        if (!row) throw notFound(`proposal/${id}`);
        rows.push(row);
      }
    } else {
      if (!(await findAgent(ctx.ws, input.agent_id!))) throw notFound(`agent/${input.agent_id}`);
      rows = await pendingProposalsOf(ctx.ws, input.agent_id!, input.operation, MAX_BUNDLE);
    }
    if (!ctx.interactive && rows.some((row) => row.status === 'pending')) {
      const stepUp = await requireStepUp(ctx, {
        operation: 'proposals.decide_many',
        input,
        description: `${input.decision} ${rows.length} proposal(s): ${rows.map((row) => `proposal/${row.id}`).join(', ')}`,
      });
      if (stepUp) return stepUp;
    }
    const caller = ctx.caller!;
    const results = [];
    for (const [index, listed] of rows.entries()) {
      const name = `bundle_${index}`;
      await savepoint.begin(systemDb(ctx), name);
      // Its own run: the item's audit rows and events commit (or roll back) with the item.
      const run = newRun(ctx.services, systemDb(ctx), {
        crossWorkspace: true,
        caller,
        requestId: ctx.requestId,
        idempotencyKey: ctx.idempotencyKey,
        reason: ctx.reason,
        interactive: ctx.interactive,
      });
      try {
        const row = (await findProposal(ctx.ws, listed.id))!;
        const decided = await decideOne(run.ctx, row, input.decision, input.note ?? null, undefined);
        await flushAudits(run, 'proposals.decide', null, {
          decision: 'allow',
          reason_code: decided.reason_code,
        });
        for (const task of run.afterCommit) ctx.afterCommit(task);
        await savepoint.release(systemDb(ctx), name);
        const record = toProposalRecord(decided.row, false, ctx.now);
        results.push({
          id: row.id,
          status: record.status,
          reason_code: decided.reason_code,
          ...(record.status === 'failed' || record.status === 'stale' ? { result: record.result } : {}),
        });
      } catch (error) {
        await savepoint.rollback(systemDb(ctx), name);
        await savepoint.release(systemDb(ctx), name);
        if (!isAppError(error)) throw error;
        results.push({
          id: listed.id,
          status: listed.status,
          error: { code: error.code, message: error.message, hint: error.hint },
        });
      }
    }
    const counts: Record<string, number> = {};
    for (const result of results) {
      const key = 'error' in result ? 'error' : result.status;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return {
      data: { decision: input.decision, counts, results },
      summary: `${input.decision}: ${
        Object.entries(counts)
          .map(([status, count]) => `${count} ${status}`)
          .join(', ') || 'nothing to decide'
      }`,
      text: results.map(
        (result) =>
          `proposal/${result.id} status=${result.status}` +
          ('error' in result && result.error
            ? ` error=${result.error.code}`
            : ` reason_code=${result.reason_code}`),
      ),
      policy: {
        decision: 'allow',
        reason_code: input.decision === 'approve' ? 'proposal.approved' : 'proposal.rejected',
      },
    };
  },
});

export const proposalOperations = [
  getProposalStatus,
  listProposalsOperation,
  decideProposal,
  decideProposals,
];
