import type { Policy } from '../policy/policy.js';

/** A stored value that says something: filling an empty field is adding, not changing. */
const isSet = (value: unknown) =>
  value !== null && value !== undefined && value !== '' && value !== '[]' && value !== '{}';

/**
 * Whether an agent's change of one contact field, from `before`, must go through a human: every
 * change of a sensitive field does (the guide: "sensitive contact field updates always go through
 * contacts.propose_update"), except filling an empty one where the workspace allows it
 * (agents_fill_empty_sensitive_fields). do_not_contact is a flag that always holds a value.
 */
export function needsHuman(policy: Policy, field: string, before: unknown): boolean {
  if (!policy.sensitive_contact_fields.includes(field as never)) return false;
  const fillsEmpty = field !== 'do_not_contact' && !isSet(before);
  return !(fillsEmpty && policy.agents_fill_empty_sensitive_fields);
}

/** The sensitive fields of a change that must go through a human (see needsHuman). */
export function sensitiveOf(changed: Record<string, [unknown, unknown]>, policy: Policy): string[] {
  return Object.entries(changed)
    .filter(([field, [before]]) => needsHuman(policy, field, before))
    .map(([field]) => field);
}
