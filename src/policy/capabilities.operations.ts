import { z } from 'zod';
import { ROLE_SCOPES } from '../auth/scopes.js';
import { AppError } from '../errors.js';
import { crossDb } from '../operations/context.js';
import { type AnyOperation, type Caller, defineOperation } from '../operations/define.js';
import { planUsage } from '../plans/usage.js';
import { loadPolicy, type Policy } from './policy.js';

type Can = 'yes' | 'with_approval' | 'sometimes_approval' | 'no';

/** Operations whose changes field-level holds apply to (policy hold_human_edited_fields). */
const HOLDING = [
  'contacts.update',
  'contacts.create',
  'contacts.propose_update',
  'contacts.bulk_update',
  'companies.update',
  'companies.create',
  'companies.bulk_update',
  'deals.update',
  'deals.bulk_update',
  'tasks.update',
];

/** What the policy makes of one operation for this caller, in words an agent can act on. */
function judge(
  operation: AnyOperation,
  caller: Caller,
  policy: Policy,
): { can: Can; reason_code: string; why: string } {
  if (!caller.scopes.includes(operation.scope)) {
    const byRole = !ROLE_SCOPES[caller.role].includes(operation.scope);
    return {
      can: 'no',
      reason_code: byRole ? 'forbidden' : 'scope_insufficient',
      why: byRole
        ? `needs the ${operation.scope} scope, which your role does not have`
        : `your token lacks ${operation.scope}`,
    };
  }
  const agent = caller.principalType === 'agent';
  if ((operation.name === 'proposals.decide' || operation.name === 'proposals.decide_many') && agent) {
    return { can: 'no', reason_code: 'approval_requires_human', why: 'only a person decides proposals' };
  }
  if (agent && operation.callers === 'people') {
    return {
      can: 'no',
      reason_code: 'forbidden',
      why: 'people only: agents are refused whatever their scopes',
    };
  }
  if (agent && operation.name.endsWith('.delete') && policy.agent_deletes !== 'allow') {
    return policy.agent_deletes === 'deny'
      ? { can: 'no', reason_code: 'delete.agent_denied', why: 'the policy does not let agents delete' }
      : {
          can: 'with_approval',
          reason_code: 'delete.requires_approval',
          why: 'a human approves each confirmed delete',
        };
  }
  if (agent && policy.auto_approve[operation.name]) {
    return {
      can: 'yes',
      reason_code: 'policy.auto_approved',
      why: `auto-approve is on (${policy.auto_approve[operation.name]!.enabled_by}): what would wait for a human applies at once`,
    };
  }
  if (agent && operation.mutating && policy.approve_agent_operations.includes(operation.name)) {
    return {
      can: 'with_approval',
      reason_code: 'policy.operation_requires_approval',
      why: 'this workspace has a human approve every agent call of it (policy approve_agent_operations); its own rules still decide first',
    };
  }
  if (agent && operation.name === 'deals.update' && policy.approve_deal_close) {
    return {
      can: 'sometimes_approval',
      reason_code: 'deal.close_requires_approval',
      why: 'moving a deal to won or lost waits for a human; other changes apply at once',
    };
  }
  if (agent && policy.hold_human_edited_fields && HOLDING.includes(operation.name)) {
    return {
      can: 'sometimes_approval',
      reason_code: 'policy.field_held_human_edit',
      why:
        'fields a person wrote last are held for a human (per-field warnings name them); the rest applies at once' +
        (operation.name === 'contacts.update' || operation.name === 'contacts.create'
          ? `; ${sensitiveRule(policy)}`
          : ''),
    };
  }
  if (agent && (operation.name === 'contacts.update' || operation.name === 'contacts.create')) {
    return {
      can: 'yes',
      reason_code: 'contact.sensitive_field',
      why: sensitiveRule(policy),
    };
  }
  if (agent && operation.name === 'contacts.propose_update') {
    return {
      can: 'sometimes_approval',
      reason_code: 'contact.sensitive_field',
      why: `changes to ${policy.sensitive_contact_fields.join(', ')} wait for a human${policy.agents_fill_empty_sensitive_fields ? ' (filling an empty one applies at once)' : ''}; others apply at once`,
    };
  }
  if (
    agent &&
    ['tasks.create', 'tasks.update'].includes(operation.name) &&
    policy.approve_agent_tasks_for_people
  ) {
    return {
      can: 'sometimes_approval',
      reason_code: 'task.person_assignee_requires_approval',
      why: 'a task assigned to a person (usr_…) waits for a human; tasks for agents or for nobody apply at once',
    };
  }
  if (operation.approval === 'always')
    return { can: 'with_approval', reason_code: 'policy.allowed', why: 'a human approves it' };
  if (operation.approval === 'sometimes') {
    return {
      can: 'sometimes_approval',
      reason_code: 'policy.allowed',
      why: 'large batches or sensitive changes wait for a human',
    };
  }
  return { can: 'yes', reason_code: 'policy.allowed', why: 'allowed' };
}

/** What an agent's direct contact write may not do, under this policy. */
function sensitiveRule(policy: Policy): string {
  const fields = policy.sensitive_contact_fields.join(', ');
  return policy.agents_fill_empty_sensitive_fields
    ? `changing ${fields} of an existing contact is denied here (filling an empty one, except do_not_contact, is allowed): use contacts.propose_update`
    : `changing ${fields} of an existing contact, even filling an empty one, is denied here: use contacts.propose_update`;
}

export const explainCapabilities = defineOperation({
  name: 'policy.explain_capabilities',
  summary: 'What you may do right now, what needs a human’s approval, and why — per tool, with reason codes.',
  http: { method: 'GET', path: '/policy/capabilities' },
  scope: 'read',
  crossWorkspace: true,
  mutating: false,
  input: z.strictObject({
    tools: z
      .string()
      .max(1000)
      .optional()
      .describe(
        'Only these tools, comma-separated: names or prefixes ending in * (e.g. "contacts.*,deals.update"). ' +
          'All tools when absent; the answer is then about 20 KB.',
      ),
  }),
  async handler(ctx, input) {
    const caller = ctx.caller!;
    const policy = await loadPolicy(ctx.ws);
    const callable = ctx.services.executor.operations.filter((operation) => operation.auth !== 'none');
    const tools = onlyTools(callable, input.tools).map((operation) => ({
      handle: `tool/${operation.name}`,
      name: operation.name,
      ...judge(operation, caller, policy),
    }));
    const usage = await planUsage(
      crossDb(ctx),
      ctx.services,
      { id: ctx.ws.workspaceId, plan: caller.plan },
      caller.principalId,
      ctx.now,
    );
    return {
      data: {
        handle: `${caller.principalType === 'agent' ? 'agent' : 'user'}/${caller.principalId}`,
        role: caller.role,
        scopes: caller.scopes,
        plan: caller.plan,
        usage,
        policy,
        tools,
      },
      text: [
        `${caller.principalType}/${caller.principalId} role=${caller.role} scopes=${caller.scopes.join(',')} plan=${caller.plan}`,
        ...tools.map(
          (tool) =>
            `${tool.handle} can=${tool.can} reason_code=${tool.reason_code} why=${JSON.stringify(tool.why)}`,
        ),
      ],
    };
  },
});

/** The operations a `tools` filter names (all without one); a pattern that matches none is refused. */
function onlyTools<O extends { name: string }>(operations: O[], filter: string | undefined): O[] {
  if (filter === undefined) return operations;
  const patterns = filter
    .split(',')
    .map((pattern) => pattern.trim())
    .filter(Boolean);
  const matches = (pattern: string, name: string) =>
    pattern.endsWith('*')
      ? name.startsWith(pattern.slice(0, -1))
      : name === pattern || name.replace(/\./g, '_') === pattern;
  const unmatched = patterns.find(
    (pattern) => !operations.some((operation) => matches(pattern, operation.name)),
  );
  if (unmatched !== undefined || patterns.length === 0) {
    throw new AppError(
      'invalid_input',
      unmatched === undefined ? 'tools: name at least one tool' : `tools: "${unmatched}" matches no tool`,
      'name tools as GET /agentcrm-tools.json lists them (contacts.update), or a prefix such as contacts.*',
    );
  }
  return operations.filter((operation) => patterns.some((pattern) => matches(pattern, operation.name)));
}
