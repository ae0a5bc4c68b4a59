import { activityDefinition } from './activities/activity.js';
import { companyDefinition } from './companies/company.js';
import { contactDefinition } from './contacts/contact.js';
import { dealDefinition } from './deals/deal.js';
import { typedCustomRules } from './objects/typed-custom.js';
import type { AnyOperation } from './operations/define.js';
import { registerCustomFieldRules } from './records/custom-fields.js';
import { historyOperation } from './records/history.operations.js';
import { type KindDefinition, registerKind } from './records/kinds.js';
import { taskDefinition } from './tasks/task.js';

/**
 * The built-in kinds of record, in the order their references, expansions and counts are listed.
 * The records core (src/records/) imports none of them: createApp registers these, and a kind built
 * from data at run time registers the same way.
 */
export const BUILTIN_KINDS: readonly KindDefinition[] = [
  contactDefinition,
  companyDefinition,
  dealDefinition,
  taskDefinition,
  activityDefinition,
];

/** Registers the built-in kinds, and the typed custom fields' rules, with the records core; idempotent. */
export function registerKinds(): void {
  for (const definition of BUILTIN_KINDS) registerKind(definition);
  registerCustomFieldRules(typedCustomRules);
}

/** `<kind>s.history` for every versioned built-in kind. */
export const historyOperations: AnyOperation[] = BUILTIN_KINDS.flatMap((definition) =>
  definition.record ? [historyOperation(definition.record)] : [],
);
