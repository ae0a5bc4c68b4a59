import type { RecordTable } from '../crm/kind.js';
import { findRecord } from '../crm/records.repository.js';
import { isAppError } from '../errors.js';
import { flushAudits, newRun } from '../operations/context.js';
import type { Caller, OperationContext } from '../operations/define.js';
import { findOperation } from '../operations/registry.js';
import type { ProposalsTable } from '../store/schema.js';
import { findProposal, transitionProposal } from './proposals.repository.js';

const TABLES: Record<string, RecordTable> = {
  contact: 'contacts',
  company: 'companies',
  deal: 'deals',
  task: 'tasks',
};

/**
 * The fields of the proposal whose value on the record differs from when it was proposed; a
 * missing target counts as changed. Fields nobody touched do not make a proposal stale.
 */
export async function changedSince(ctx: OperationContext, proposal: ProposalsTable): Promise<string[]> {
  if (!proposal.target || proposal.target_version === null) return [];
  const [kind, id] = proposal.target.split('/');
  const table = TABLES[kind ?? ''];
  if (!table || !id) return [];
  const current = await findRecord(ctx.ws, table, id);
  if (!current) return ['(the record was deleted)'];
  if (current.version === proposal.target_version) return [];
  const diff = JSON.parse(proposal.diff) as Record<string, [unknown, unknown]>;
  const row = current as unknown as Record<string, unknown>;
  return Object.entries(diff)
    .filter(([field, [before]]) => field in row && (row[field] ?? null) !== (before ?? null))
    .map(([field]) => field);
}

/**
 * Approves a pending proposal and runs its operation exactly once, as its proposer, in the
 * caller's transaction: the status moves pending → approved → applied (or stale, or failed)
 * only through conditional updates, so a second approval finds nothing to do.
 */
export async function approveProposal(
  ctx: OperationContext,
  proposal: ProposalsTable,
  decidedBy: string,
  note: string | null,
): Promise<ProposalsTable> {
  const decided = { decided_by: decidedBy, decided_at: ctx.now, decision_note: note, updated_at: ctx.now };
  const finish = async (status: 'applied' | 'stale' | 'failed', result: unknown) => {
    await transitionProposal(ctx.ws, proposal.id, 'approved', status, {
      result: JSON.stringify(result),
      updated_at: ctx.now,
    });
    ctx.audit({
      target: `proposal/${proposal.id}`,
      event: `proposal.${status}`,
      changes: { status: ['pending', status] },
    });
    return (await findProposal(ctx.ws, proposal.id))!;
  };
  if (!(await transitionProposal(ctx.ws, proposal.id, 'pending', 'approved', decided))) {
    return (await findProposal(ctx.ws, proposal.id))!;
  }

  const changed = await changedSince(ctx, proposal);
  if (changed.length) {
    return finish('stale', {
      reason_code: 'proposal.target_changed',
      changed_fields: changed,
      hint: 'read the record again and propose the change anew if it still applies',
    });
  }

  const operation = findOperation(proposal.operation);
  if (!operation) {
    return finish('failed', {
      error: { code: 'unsupported', message: `${proposal.operation} no longer exists` },
    });
  }
  const proposer: Caller = {
    workspaceId: ctx.ws.workspaceId,
    principalType: proposal.proposer_type,
    principalId: proposal.proposer_id,
    tokenId: proposal.proposer_token_id ?? '',
    tokenName: 'approved proposal',
    scopes: ['read', 'write'],
    role: 'member',
    plan: ctx.caller?.plan ?? 'sandbox',
  };
  const run = newRun(ctx.services, ctx.db, {
    caller: proposer,
    requestId: ctx.requestId,
    idempotencyKey: null,
    reason: proposal.reason,
    approval: { proposalId: proposal.id, decidedBy },
  });
  try {
    const result = await operation.handler(run.ctx, JSON.parse(proposal.input));
    if (result.error) throw result.error;
    await flushAudits(run, operation.name, null, { decision: 'allow', reason_code: 'proposal.approved' });
    for (const task of run.afterCommit) ctx.afterCommit(task);
    return finish('applied', { data: result.data });
  } catch (error) {
    // Refusals are raised before anything is written, so the transaction is still clean.
    if (!isAppError(error)) throw error;
    return finish('failed', { error: { code: error.code, message: error.message, hint: error.hint } });
  }
}
