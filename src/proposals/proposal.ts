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
  /** The deciding person's changes to the proposed values: field → [proposed, edited]. */
  edits: Record<string, [unknown, unknown]> | null;
  /** A pending proposal not decided by then expires (status expired) and can no longer be approved. */
  expires_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Whether a proposal still pending in storage has passed its expiry at `now`. */
export const isExpired = (row: Pick<ProposalsTable, 'status' | 'expires_at'>, now: string) =>
  row.status === 'pending' && row.expires_at !== null && row.expires_at <= now;

const principalHandle = (type: string, id: string) => `${type === 'agent' ? 'agent' : 'user'}/${id}`;

/**
 * The proposal as readers see it. Expiry is computed on read: a pending proposal past its
 * expires_at shows `expired` (and is stored as expired when someone tries to decide it).
 */
export function toProposalRecord(row: ProposalsTable, targetChanged = false, now?: string): ProposalRecord {
  const expired = now !== undefined && isExpired(row, now);
  return {
    handle: `proposal/${row.id}`,
    id: row.id,
    status: expired ? 'expired' : row.status,
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
    result: expired
      ? { reason_code: 'proposal.expired', expired_at: row.expires_at }
      : row.result
        ? JSON.parse(row.result)
        : null,
    target_changed: targetChanged && !expired,
    edits: row.edits ? JSON.parse(row.edits) : null,
    expires_at: row.expires_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Statuses in which a proposal will not change any more. */
export const FINAL_STATUSES = ['applied', 'rejected', 'stale', 'failed', 'expired'] as const;
