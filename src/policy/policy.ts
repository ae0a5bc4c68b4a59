import { z } from 'zod';
import type { WorkspaceDb } from '../store/scoped.js';
import { findPolicyOverrides } from './policy.repository.js';

/** Contact fields the policy may call sensitive. */
export const CONTACT_FIELDS = [
  'name',
  'email',
  'phone',
  'title',
  'stage',
  'company_id',
  'tags',
  'custom',
  'follow_up_at',
  'follow_up_note',
  'do_not_contact',
  'owner',
] as const;

const decisionSetting = z.enum(['allow', 'require_approval', 'deny']);

/** The workspace policy: every setting, with the meaning shown in /agentcrm-policy.json. */
export const policySettings = z.strictObject({
  sensitive_contact_fields: z
    .array(z.enum(CONTACT_FIELDS))
    .max(CONTACT_FIELDS.length)
    .describe(
      'Agents change these on an existing contact only through contacts.propose_update, which a human approves (contact.sensitive_field); a new contact may carry them.',
    ),
  agents_fill_empty_sensitive_fields: z
    .boolean()
    .describe(
      'When true, an agent may fill a sensitive field that is empty (no value yet) directly; overwriting or clearing one still needs a proposal. do_not_contact is a flag, never empty: changing it always needs a proposal.',
    ),
  agent_deletes: decisionSetting.describe('What happens when an agent deletes a contact, company or deal.'),
  bulk_approval_above: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .describe('An agent batch with more items than this needs approval.'),
  bulk_deny_above: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .describe('An agent batch with more items than this is denied.'),
  bulk_window_seconds: z
    .number()
    .int()
    .min(60)
    .max(86_400)
    .describe('The window for the rolling batch volume.'),
  bulk_window_max_records: z
    .number()
    .int()
    .min(1)
    .max(10_000_000)
    .describe('Records an agent may batch-write within the window before further batches need approval.'),
  hold_human_edited_fields: z
    .boolean()
    .describe(
      "An agent's change to a contact, company, deal or task field a person wrote last is held as a proposal (policy.field_held_human_edit); the rest of the update applies at once. Completing a task (tasks.complete) is never held.",
    ),
  approve_deal_close: z
    .boolean()
    .describe(
      "An agent's deal update that moves the deal to won or lost (status, or stage won/lost) needs a human's approval (deal.close_requires_approval); other stage moves apply at once.",
    ),
  approve_agent_tasks_for_people: z
    .boolean()
    .describe(
      "An agent's task assigned to a person (a member of this workspace, usr_…) — created so, or reassigned to one — needs a human's approval (task.person_assignee_requires_approval); tasks for agents or for nobody apply at once.",
    ),
  approve_agent_operations: z
    .array(z.string().regex(/^[a-z_]+\.[a-z_]+$/, 'an operation name such as deals.create'))
    .max(100)
    .describe(
      "Operations (by name, e.g. deals.create) whose every call by an agent waits for a human's approval (policy.operation_requires_approval); the operation's own rules (sensitive fields, deletes…) still decide first.",
    ),
  schema_changes: decisionSetting.describe(
    "What happens when an agent changes the workspace's schema (creates, changes, archives or restores an object type or field); a member person's change always waits for an admin, an admin's applies.",
  ),
  proposal_expiry_hours: z
    .number()
    .int()
    .min(1)
    .max(8760)
    .describe(
      'A pending proposal expires after this many hours and can no longer be approved (proposal.expired).',
    ),
});

/** Who switched auto-approve on for an operation's proposals, and when. */
export interface AutoApproval {
  enabled_by: string;
  enabled_at: string;
}

export type Policy = z.output<typeof policySettings> & {
  /**
   * Operation name → who turned auto-approve on: that operation's proposals are applied at once
   * (policy.auto_approved). Changed only through policy.set_auto_approve.
   */
  auto_approve: Record<string, AutoApproval>;
};

const defaults: Policy = {
  sensitive_contact_fields: ['email', 'phone', 'do_not_contact', 'owner'],
  agents_fill_empty_sensitive_fields: false,
  agent_deletes: 'require_approval',
  bulk_approval_above: 200,
  bulk_deny_above: 1000,
  bulk_window_seconds: 3600,
  bulk_window_max_records: 5000,
  hold_human_edited_fields: false,
  approve_deal_close: false,
  approve_agent_tasks_for_people: true,
  approve_agent_operations: [],
  schema_changes: 'require_approval',
  proposal_expiry_hours: 168,
  auto_approve: {},
};
export const DEFAULT_POLICY: Readonly<Policy> = Object.freeze(defaults);

/** The workspace's policy: the defaults with its stored overrides applied. */
export async function loadPolicy(ws: WorkspaceDb): Promise<Policy> {
  const overrides = await findPolicyOverrides(ws);
  return { ...DEFAULT_POLICY, ...(overrides ?? {}) } as Policy;
}

/** Whether this workspace applies an operation's proposals at once, and who said so. */
export async function autoApprovalOf(ws: WorkspaceDb, operation: string): Promise<AutoApproval | null> {
  const policy = await loadPolicy(ws);
  return policy.auto_approve[operation] ?? null;
}

/** When a proposal made now expires, under the workspace's policy. */
export function proposalExpiry(policy: Policy, now: string): string {
  return new Date(Date.parse(now) + policy.proposal_expiry_hours * 3600_000).toISOString();
}
