import { fieldWriters } from '../audit/audit.repository.js';
import type { HeldField, OperationContext, OperationResult } from '../operations/define.js';
import { AUTO_APPROVED, POLL_PROPOSAL } from '../operations/verdicts.js';
import { loadPolicy } from '../policy/policy.js';
import { storeProposal } from '../proposals/create.js';
import { toProposalRecord } from '../proposals/proposal.js';
import type { Database, ProposalsTable } from '../store/schema.js';
import { handleOf, type RecordKind, type RecordTable } from './kind.js';
import { loadRecord } from './loaded.js';
import { columnsFor, diff, recordResult } from './records.js';
import { missing, updateRecord, versionConflict } from './write.js';

export const FIELD_HELD = {
  decision: 'require_approval',
  reason_code: 'policy.field_held_human_edit',
} as const;

/** An update after field-level holds: what applied, and what waits for a human. */
export interface HeldUpdate<T extends RecordTable> {
  /** The record after the applied part; the unchanged record when every field was held. */
  row: Database[T];
  changed: boolean;
  held: HeldField[];
  proposal: ProposalsTable | null;
  /** Fields would have been held, but auto-approve is on for `<kind>.update`. */
  autoApproved: boolean;
}

/**
 * Updates a record as updateRecord does, except that under the policy hold_human_edited_fields an
 * agent's change to a field a person wrote last is not applied: those fields go into one proposal
 * (`<kind>.update` with just them) that a human decides, and the other fields apply at once.
 * Approved proposals (ctx.approval) and people's own writes are never held.
 */
export async function updateWithHolds<T extends RecordTable>(
  ctx: OperationContext,
  kind: RecordKind<T>,
  id: string,
  changes: Record<string, unknown>,
  expected?: number,
): Promise<HeldUpdate<T>> {
  const plain = async () => ({
    ...(await updateRecord(ctx, kind, id, changes, expected)),
    held: [],
    proposal: null,
  });
  if (ctx.caller?.principalType !== 'agent' || ctx.approval)
    return { ...(await plain()), autoApproved: false };
  const policy = await loadPolicy(ctx.ws);
  if (!policy.hold_human_edited_fields) return { ...(await plain()), autoApproved: false };
  const current = await loadRecord(ctx, kind.table, id);
  if (!current) throw await missing(ctx, kind, id);

  // The fields this update would really alter, and who wrote each of them last.
  let columns = columnsFor(changes, current as { custom: string });
  if (kind.derive) columns = kind.derive(current, columns, ctx.now);
  const altered = diff(current, columns);
  const handle = handleOf(kind, id);
  const candidates = Object.keys(changes).filter((field) => field in altered);
  const writers = await fieldWriters(ctx.ws, handle, candidates);
  const heldNames = candidates.filter((field) => writers.get(field)?.actor_type === 'user');
  if (heldNames.length === 0) return { ...(await plain()), autoApproved: false };
  if (policy.auto_approve[`${kind.table}.update`]) return { ...(await plain()), autoApproved: true };

  const apply = Object.fromEntries(Object.entries(changes).filter(([field]) => !heldNames.includes(field)));
  let row = current;
  let changed = false;
  if (Object.keys(apply).length > 0) {
    ({ row, changed } = await updateRecord(ctx, kind, id, apply, expected));
  } else if (expected !== undefined && current.version !== expected) {
    throw await versionConflict(ctx, kind, current, expected);
  }
  const proposal = await storeProposal(ctx, {
    operation: `${kind.table}.update`,
    input: { [kind.idField]: id, ...Object.fromEntries(heldNames.map((field) => [field, changes[field]])) },
    target: handle,
    targetVersion: row.version,
    diff: Object.fromEntries(heldNames.map((field) => [field, altered[field]!])),
    reasonCode: 'policy.field_held_human_edit',
    summary: `change ${heldNames.join(', ')} of ${handle}, which a person wrote last`,
  });
  const held = heldNames.map((field) => {
    const writer = writers.get(field)!;
    return {
      field,
      reason_code: 'policy.field_held_human_edit' as const,
      proposal_id: proposal.id,
      current: altered[field]![0],
      proposed: altered[field]![1],
      last_written_by: `user/${writer.actor_id}`,
      last_written_at: writer.at,
    };
  });
  return { row, changed, held, proposal, autoApproved: false };
}

/**
 * The answer for an update that went through updateWithHolds: the record (or, when every field was
 * held, the proposal) with one warning per held field saying why and in which proposal it waits.
 */
export function heldResult<T extends RecordTable>(
  update: HeldUpdate<T>,
  record: { version: number },
  meta: string[],
): OperationResult {
  if (update.autoApproved) return recordResult(record, { meta, policy: AUTO_APPROVED });
  if (!update.proposal) return recordResult(record, { meta });
  const { proposal, held } = update;
  const warnings = held.map((item) => ({
    code: FIELD_HELD.reason_code,
    field: item.field,
    proposal_id: item.proposal_id,
    message: `${item.field} was held for a human in proposal/${item.proposal_id}: ${item.last_written_by} wrote it last (${item.last_written_at})`,
  }));
  const common = {
    policy: FIELD_HELD,
    held,
    warnings,
    nextActions: [POLL_PROPOSAL],
    summary: `${held.map((item) => item.field).join(', ')} held for a human's approval (proposal/${proposal.id})`,
  };
  if (!update.changed) {
    // Nothing else changed: the answer is the proposal, as for any other proposed change.
    return {
      ...common,
      status: 202,
      outcome: 'proposed',
      data: toProposalRecord(proposal),
      meta: [`# poll: GET /proposals/${proposal.id}`],
    };
  }
  return recordResult(record, {
    ...common,
    meta: [...meta, `# held: ${held.map((item) => item.field).join(', ')} (proposal/${proposal.id})`],
  });
}
