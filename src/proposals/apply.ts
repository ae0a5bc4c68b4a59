import { effectiveScopes } from '../auth/scopes.js';
import { findWorkspaceToken } from '../auth/tokens.repository.js';
import { AppError } from '../errors.js';
import { runApproved } from '../operations/approved.js';
import type { Caller, OperationContext, Scope } from '../operations/define.js';
import { invalidInput } from '../operations/validation.js';
import type { RecordTable } from '../records/kind.js';
import { findRecord } from '../records/records.repository.js';
import type { Services } from '../services.js';
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

/** A proposal's input and diff after the deciding person's edits, and the edits themselves. */
export interface EditedProposal {
  input: string;
  diff: string;
  edits: string;
}

/**
 * Applies a person's edits to the values a proposal proposes: only fields it proposes may be
 * edited, and the edited input must pass the operation's own schema (invalid_input otherwise).
 */
export function editProposal(
  services: Services,
  proposal: ProposalsTable,
  edits: Record<string, unknown>,
): EditedProposal {
  const operation = services.executor.findOperation(proposal.operation);
  const input = JSON.parse(proposal.input) as Record<string, unknown>;
  const diff = JSON.parse(proposal.diff) as Record<string, [unknown, unknown]>;
  const nested = input.changes !== null && typeof input.changes === 'object' && !Array.isArray(input.changes);
  const values = (nested ? input.changes : input) as Record<string, unknown>;
  const editable = Object.keys(diff).filter((field) => field in values);
  for (const field of Object.keys(edits)) {
    if (!editable.includes(field)) {
      throw new AppError(
        'invalid_input',
        `edits.${field}: proposal/${proposal.id} does not propose a value for ${field}`,
        editable.length
          ? `edit only the proposed values: ${editable.join(', ')}`
          : 'this proposal has no values to edit: approve or reject it as it is',
      );
    }
  }
  const changed = { ...values, ...edits };
  const parsed = operation?.input.safeParse(nested ? { ...input, changes: changed } : changed);
  if (!operation || !parsed?.success) {
    const error = operation && parsed ? invalidInput(operation, parsed.error) : null;
    throw new AppError(
      'invalid_input',
      `edits: ${error?.message ?? `${proposal.operation} no longer exists`}`,
      `the edited values must be valid for ${proposal.operation}${error?.hint ? `: ${error.hint}` : ''}`,
    );
  }
  const record = Object.fromEntries(
    Object.keys(edits).map((field) => [field, [values[field], edits[field]]]),
  );
  const newDiff = Object.fromEntries(
    Object.entries(diff).map(([field, [before, after]]) => [
      field,
      [before, field in edits ? edits[field] : after],
    ]),
  );
  return { input: JSON.stringify(parsed.data), diff: JSON.stringify(newDiff), edits: JSON.stringify(record) };
}

/**
 * Approves a pending proposal and runs its operation exactly once, as its proposer, in the
 * caller's transaction: the status moves pending → approved → applied (or stale, or failed)
 * only through conditional updates, so a second approval finds nothing to do.
 */
export async function approveProposal(
  ctx: OperationContext,
  original: ProposalsTable,
  decidedBy: string,
  note: string | null,
  edited?: EditedProposal,
): Promise<ProposalsTable> {
  const proposal = edited ? { ...original, ...edited } : original;
  const decided = {
    decided_by: decidedBy,
    decided_at: ctx.now,
    decision_note: note,
    updated_at: ctx.now,
    ...(edited ?? {}),
  };
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
    // Someone else decided it first (a concurrent approval): it ran, or will run, once — there.
    throw new AppError(
      'conflict',
      `proposal/${proposal.id} was decided meanwhile`,
      `GET /proposals/${proposal.id} shows the decision and its result`,
    );
  }

  const changed = await changedSince(ctx, proposal);
  if (changed.length) {
    return finish('stale', {
      reason_code: 'proposal.target_changed',
      changed_fields: changed,
      hint: 'read the record again and propose the change anew if it still applies',
    });
  }

  const outcome = await runApproved(ctx, {
    proposalId: proposal.id,
    operation: proposal.operation,
    input: proposal.input,
    reason: proposal.reason,
    proposer: await proposerOf(ctx, proposal),
    decidedBy,
  });
  return outcome.status === 'applied'
    ? finish('applied', { data: outcome.data })
    : finish('failed', { error: outcome.error });
}

/**
 * The proposer, as the approved operation runs: a member of the workspace with the scopes its
 * token carries today (read and write when the token is gone), so the executor checks its scope
 * again; the plan is the workspace's as the deciding person sees it.
 */
async function proposerOf(ctx: OperationContext, proposal: ProposalsTable): Promise<Caller> {
  const token = proposal.proposer_token_id
    ? await findWorkspaceToken(ctx.ws, proposal.proposer_token_id)
    : undefined;
  const scopes: Scope[] = token ? effectiveScopes(token.scopes, 'member') : ['read', 'write'];
  return {
    workspaceId: ctx.ws.workspaceId,
    principalType: proposal.proposer_type,
    principalId: proposal.proposer_id,
    tokenId: proposal.proposer_token_id ?? '',
    tokenName: 'approved proposal',
    scopes,
    role: 'member',
    plan: ctx.caller?.plan ?? 'sandbox',
  };
}
