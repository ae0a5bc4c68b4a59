import type { ProposalsTable } from '../store/schema.js';

export interface ProposalRecord {
  handle: string;
  id: string;
  status: ProposalsTable['status'];
  operation: string;
  target: string | null;
  reason_code: string;
  summary: string;
  reason: string | null;
  /** Field → [value when proposed, proposed value]. */
  diff: Record<string, [unknown, unknown]>;
  proposed_by: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  result: unknown;
  /** Pending proposals only: a proposed field changed since it was proposed (approving makes it stale). */
  target_changed: boolean;
  created_at: string;
  updated_at: string;
}

const principalHandle = (type: string, id: string) => `${type === 'agent' ? 'agent' : 'user'}/${id}`;

export function toProposalRecord(row: ProposalsTable, targetChanged = false): ProposalRecord {
  return {
    handle: `proposal/${row.id}`,
    id: row.id,
    status: row.status,
    operation: row.operation,
    target: row.target,
    reason_code: row.reason_code,
    summary: row.summary,
    reason: row.reason,
    diff: JSON.parse(row.diff),
    proposed_by: principalHandle(row.proposer_type, row.proposer_id),
    decided_by: row.decided_by ? `user/${row.decided_by}` : null,
    decided_at: row.decided_at,
    decision_note: row.decision_note,
    result: row.result ? JSON.parse(row.result) : null,
    target_changed: targetChanged,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Statuses in which a proposal will not change any more. */
export const FINAL_STATUSES = ['applied', 'rejected', 'stale', 'failed'] as const;
