import { getBilling, setBudget } from '../billing/billing.operations.js';
import { getPolicy, updatePolicy } from '../policy/policy.operations.js';
import {
  decideProposal,
  decideProposals,
  listProposalsOperation,
} from '../proposals/proposals.operations.js';

/**
 * The governance operations the console calls, by reference: a renamed or removed operation is a
 * compile error here, not a page that silently says "not available". The shapes the pages read
 * are written down in docs/human-console.md ("Governance contract").
 */
export const GOVERNANCE = {
  /** {} → data: every proposal of the workspace, newest first (pending and decided). */
  listProposals: listProposalsOperation,
  /** {proposal_id, decision: 'approve'|'reject', note?} → data: the proposal; may ask for step-up. */
  decideProposal,
  /** {ids, decision, note?} → data: {decision, counts, results: [{id, status, reason_code?, error?}]}. */
  decideProposals,
  /** {} → data: {monthly_budget_cents, budget_currency, cost_cents, …} (billing.get). */
  getBudget: getBilling,
  /** {monthly_budget_cents, currency} → data: the budget. */
  setBudget,
  /** GET /policy: the workspace policy. */
  readPolicy: getPolicy,
  /** PATCH /policy: the top-level keys to change. */
  updatePolicy,
} as const;

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface ProposalView {
  id: string;
  handle: string;
  status: string;
  pending: boolean;
  /** The operation proposed, e.g. contacts.update or billing.request_upgrade. */
  kind: string | null;
  target: string | null;
  /** A handle such as agent/agt_…, or null. */
  proposer: string | null;
  reasonCode: string | null;
  explanation: string | null;
  /** The agent's own words. */
  reason: string | null;
  changes: FieldChange[];
  /** The target record changed after the proposal was made: its "before" values are stale. */
  targetChanged: boolean;
  createdAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
}

type Loose = Record<string, unknown>;

const text = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null;

const asObject = (value: unknown): Loose | null =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : null;

/** `agent/agt_…`, `agt_…` or {type, id} → a handle. */
function handleOf(value: unknown): string | null {
  const object = asObject(value);
  if (object) {
    const handle = text(object.handle);
    if (handle) return handle;
    const id = text(object.id);
    const type = text(object.type);
    return id ? (type ? `${type}/${id}` : handleOf(id)) : null;
  }
  const raw = text(value);
  if (!raw) return null;
  if (raw.includes('/')) return raw;
  if (raw.startsWith('agt_')) return `agent/${raw}`;
  if (raw.startsWith('usr_')) return `user/${raw}`;
  return raw;
}

function changesOf(value: unknown): FieldChange[] {
  if (Array.isArray(value)) {
    return value.flatMap((entry) => {
      const object = asObject(entry);
      const field = object && text(object.field);
      return field ? [{ field, before: object.before ?? null, after: object.after ?? null }] : [];
    });
  }
  const object = asObject(value);
  if (!object) return [];
  return Object.entries(object).map(([field, change]) => {
    if (Array.isArray(change) && change.length === 2) return { field, before: change[0], after: change[1] };
    const pair = asObject(change);
    if (pair && ('before' in pair || 'after' in pair)) {
      return { field, before: pair.before ?? null, after: pair.after ?? null };
    }
    return { field, before: undefined, after: change };
  });
}

const PENDING = new Set(['pending', 'open', 'awaiting_approval', 'proposed']);

/** Reads a proposal record as the console needs it; tolerant of the shapes the contract allows. */
export function toProposalView(raw: unknown): ProposalView | null {
  const p = asObject(raw);
  if (!p) return null;
  const id = text(p.id) ?? text(p.proposal_id);
  if (!id) return null;
  const status = text(p.status) ?? text(p.state) ?? 'pending';
  const explanation = asObject(p.explanation);
  const policy = asObject(p.policy);
  const currentVersion = p.current_version ?? p.target_current_version;
  const baseVersion = p.target_version ?? p.base_version;
  return {
    id,
    handle: text(p.handle) ?? `proposal/${id}`,
    status,
    pending: PENDING.has(status),
    kind: text(p.operation) ?? text(p.kind) ?? text(p.operation_name) ?? text(p.tool_name),
    target: handleOf(p.target) ?? text(p.target_handle),
    proposer: handleOf(p.proposed_by ?? p.proposer ?? p.actor ?? p.created_by),
    reasonCode: text(p.reason_code) ?? text(policy?.reason_code),
    explanation: text(p.explanation) ?? text(explanation?.summary) ?? text(p.summary),
    reason: text(p.reason),
    changes: changesOf(p.changes ?? p.diff),
    targetChanged:
      p.target_changed === true ||
      p.stale === true ||
      p.target_changed_since === true ||
      (typeof currentVersion === 'number' &&
        typeof baseVersion === 'number' &&
        currentVersion !== baseVersion),
    createdAt: text(p.created_at) ?? text(p.proposed_at),
    decidedBy: handleOf(p.decided_by),
    decidedAt: text(p.decided_at),
    note: text(p.decision_note) ?? text(p.note),
  };
}

export interface BudgetView {
  monthlyBudgetCents: number | null;
  currency: string | null;
  spentCents: number | null;
}

export function toBudgetView(raw: unknown): BudgetView | null {
  const b = asObject(raw);
  if (!b) return null;
  const budget = asObject(b.budget) ?? b;
  const cents = budget.monthly_budget_cents;
  const spent = budget.cost_cents ?? budget.spent_cents ?? budget.month_to_date_cents;
  if (typeof cents !== 'number' && cents !== null) return null;
  return {
    monthlyBudgetCents: typeof cents === 'number' ? cents : null,
    currency: text(budget.budget_currency) ?? text(budget.currency),
    spentCents: typeof spent === 'number' ? spent : null,
  };
}
