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
    .describe('Agents change these only through contacts.propose_update, which a human approves.'),
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
});

export type Policy = z.output<typeof policySettings>;

const defaults: Policy = {
  sensitive_contact_fields: ['email', 'phone', 'do_not_contact', 'owner'],
  agent_deletes: 'require_approval',
  bulk_approval_above: 200,
  bulk_deny_above: 1000,
  bulk_window_seconds: 3600,
  bulk_window_max_records: 5000,
};
export const DEFAULT_POLICY: Readonly<Policy> = Object.freeze(defaults);

/** The workspace's policy: the defaults with its stored overrides applied. */
export async function loadPolicy(ws: WorkspaceDb): Promise<Policy> {
  const overrides = await findPolicyOverrides(ws);
  return { ...DEFAULT_POLICY, ...(overrides ?? {}) } as Policy;
}
