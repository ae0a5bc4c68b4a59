import { ERROR_CODES } from '../errors.js';

/**
 * Every policy reason code the service can return, with its meaning. Stable identifiers: agents
 * branch on them, so a code is never renamed, only added. Published in /agentcrm-policy.json.
 */
export const REASON_CODES = {
  'policy.allowed': 'The action was allowed and applied.',
  'contact.sensitive_field':
    'The change touches a sensitive contact field (see the policy): an agent proposes it with contacts.propose_update and a human approves it.',
  'delete.requires_approval':
    "An agent's delete waits for a human's approval (policy agent_deletes = require_approval).",
  'delete.agent_denied': 'This workspace does not let agents delete records (policy agent_deletes = deny).',
  'bulk.requires_approval':
    'The batch is larger than bulk_approval_above, or the rolling batch volume passed bulk_window_max_records: a human approves it.',
  'bulk.too_large': 'The batch is larger than bulk_deny_above; split it into smaller batches.',
  'proposal.approved':
    'A human approved the proposal and its operation ran (with their edits, if any: the proposal shows them).',
  'proposal.expired':
    'The proposal expired (policy proposal_expiry_hours) before a person decided it; it will not be applied. Propose it again if it still applies.',
  'policy.field_held_human_edit':
    'A field your update would change was last written by a person (policy hold_human_edited_fields): that field waits in a proposal for a human; the rest of the update applied.',
  'policy.auto_approved':
    'The change needed approval, but an admin switched auto-approve on for this operation (policy.set_auto_approve): it was applied at once.',
  'deal.close_requires_approval':
    "Moving a deal to won or lost waits for a human's approval (policy approve_deal_close); other stage moves apply at once.",
  'task.person_assignee_requires_approval':
    "An agent's task assigned (or reassigned) to a person of the workspace waits for a human's approval (policy approve_agent_tasks_for_people); tasks for agents or for nobody apply at once.",
  'policy.operation_requires_approval':
    'This workspace has every agent call of this operation approved by a human (policy approve_agent_operations): it waits in a proposal.',
  'proposal.rejected': 'A human rejected the proposal; nothing changed. decision_note says why.',
  'proposal.target_changed':
    'The record changed in a proposed field after the proposal was made, so the approval did not overwrite it (status stale).',
  'schema.change_requires_approval':
    "A change of the workspace's schema (an object type or field created, changed, archived or restored) by an agent or a member waits for an admin's approval (policy schema_changes); an admin's own change applies at once.",
  'schema.agent_denied':
    'This workspace does not let agents change its schema (policy schema_changes = deny); a person makes the change.',
  'billing.upgrade_requires_approval': 'Moving to production waits for the billing owner’s approval.',
  'billing.budget_exceeded':
    "This month's metered usage reached the budget the billing owner set; writes are denied until they raise it or the month ends.",
  'billing.human_owner_required_for_production':
    'Only the sandbox plan can be requested by an agent; production needs a human billing owner invited with humans.invite_billing_owner.',
} as const satisfies Record<string, string>;

export type ReasonCode = keyof typeof REASON_CODES;

/** Error codes double as reason codes on failed requests (policy.reason_code = error.code). */
export function allReasonCodes(): {
  code: string;
  kind: 'policy' | 'error';
  meaning: string;
  http_status?: number;
}[] {
  return [
    ...Object.entries(REASON_CODES).map(([code, meaning]) => ({ code, kind: 'policy' as const, meaning })),
    ...Object.entries(ERROR_CODES).map(([code, { status, meaning }]) => ({
      code,
      kind: 'error' as const,
      meaning,
      http_status: status,
    })),
  ];
}
