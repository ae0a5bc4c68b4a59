import { activityOperations } from '../activities/activities.operations.js';
import { bootstrapAgent } from '../agents/bootstrap.operations.js';
import { listAuditOperation } from '../audit/audit.operations.js';
import { revertOperation } from '../audit/revert.operations.js';
import { authOperations } from '../auth/auth.operations.js';
import { consoleOperations as consoleSessionOperations } from '../auth/console.operations.js';
import { tokenOperations } from '../auth/tokens.operations.js';
import { billingOperations } from '../billing/billing.operations.js';
import { companyOperations } from '../companies/companies.operations.js';
import { contactOperations } from '../contacts/contacts.operations.js';
import { contactMergeOperations } from '../contacts/merge.operations.js';
import { dealOperations } from '../deals/deals.operations.js';
import { listEventsOperation } from '../events/events.operations.js';
import { bulkOperations } from '../jobs/bulk.operations.js';
import { importOperations } from '../jobs/import.operations.js';
import { jobOperations } from '../jobs/jobs.operations.js';
import { BUILTIN_KINDS, historyOperations } from '../kinds.js';
import { lifecycleOperations } from '../lifecycle/lifecycle.operations.js';
import { fieldOperations } from '../objects/object-fields.operations.js';
import { objectsCatalog } from '../objects/objects.catalog.js';
import { objectOperations } from '../objects/objects.operations.js';
import { humanOperations } from '../people/humans.operations.js';
import { whoami } from '../people/whoami.operations.js';
import { explainCapabilities } from '../policy/capabilities.operations.js';
import { getPolicy, setAutoApprove, updatePolicy } from '../policy/policy.operations.js';
import { proposalOperations } from '../proposals/proposals.operations.js';
import { listReminders } from '../reminders/reminders.operations.js';
import { taskOperations } from '../tasks/tasks.operations.js';
import { webhookOperations } from '../webhooks/webhooks.operations.js';
import { memberOperations } from '../workspaces/members.operations.js';
import { workspaceOperations } from '../workspaces/workspaces.operations.js';
import type { AnyOperation } from './define.js';

/** Every operation of the product. Each surface (REST, tools, MCP, catalog, /help) is built from this list. */
export const operations: readonly AnyOperation[] = [
  bootstrapAgent,
  ...authOperations,
  whoami,
  ...tokenOperations,
  ...workspaceOperations,
  ...memberOperations,
  ...humanOperations,
  // Before contactOperations: Hono tries routes in registration order, so the literal
  // GET /contacts/duplicates must come before GET /contacts/:contact_id.
  ...contactMergeOperations,
  ...contactOperations,
  ...companyOperations,
  ...dealOperations,
  ...activityOperations,
  ...taskOperations,
  ...historyOperations,
  listReminders,
  listAuditOperation,
  revertOperation,
  ...proposalOperations,
  getPolicy,
  updatePolicy,
  setAutoApprove,
  explainCapabilities,
  listEventsOperation,
  ...webhookOperations,
  ...jobOperations,
  ...bulkOperations,
  ...importOperations,
  ...billingOperations,
  ...lifecycleOperations,
  ...objectOperations(objectsCatalog({ kinds: () => BUILTIN_KINDS, operations: () => operations })),
  ...fieldOperations,
];

/**
 * The human console's own operations (its sign-in, invite acceptance and workspace switch): run
 * through the same executor, audited like every operation, but exposed by no API route, tool or
 * MCP tool — each gives a browser session, which only the console can hold.
 */
export const consoleOperations: readonly AnyOperation[] = consoleSessionOperations;

export function findOperation(name: string): AnyOperation | undefined {
  return operations.find((operation) => operation.name === name);
}
