import { z } from 'zod';
import { AppError } from '../errors.js';
import { defineOperation } from '../operations/define.js';
import { DEFAULT_POLICY, loadPolicy, type Policy, policySettings } from './policy.js';
import { findPolicyOverrides, savePolicyOverrides } from './policy.repository.js';

const policyRecord = (policy: object) => ({ handle: 'policy/workspace', ...policy });

export const getPolicy = defineOperation({
  name: 'policy.get',
  summary:
    "The workspace policy: sensitive contact fields, agents' deletes, bulk thresholds, field holds, deal-close approval, proposal expiry, and auto-approve switches (who turned each on, when).",
  http: { method: 'GET', path: '/policy' },
  scope: 'read',
  mutating: false,
  input: z.strictObject({}),
  async handler(ctx) {
    return { data: policyRecord(await loadPolicy(ctx.ws)) };
  },
});

export const updatePolicy = defineOperation({
  name: 'policy.update',
  summary:
    'Change the workspace policy (admins and the billing owner); omitted settings are kept, null restores a default.',
  http: { method: 'PATCH', path: '/policy' },
  scope: 'admin',
  mutating: true,
  input: z.strictObject(
    Object.fromEntries(
      Object.entries(policySettings.shape).map(([key, schema]) => [
        key,
        (schema as z.ZodType).nullable().optional(),
      ]),
    ) as {
      [K in keyof typeof policySettings.shape]: z.ZodOptional<
        z.ZodNullable<(typeof policySettings.shape)[K]>
      >;
    },
  ),
  async handler(ctx, input) {
    if (Object.keys(input).length === 0) {
      throw new AppError(
        'invalid_input',
        'no settings to change',
        `send one or more of: ${Object.keys(policySettings.shape).join(', ')}`,
      );
    }
    const before = await loadPolicy(ctx.ws);
    const overrides: Record<string, unknown> = { ...(await findPolicyOverrides(ctx.ws)) };
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue;
      if (value === null) delete overrides[key];
      else overrides[key] = value;
    }
    const after = { ...DEFAULT_POLICY, ...overrides };
    if (after.bulk_approval_above > after.bulk_deny_above) {
      throw new AppError(
        'invalid_input',
        `bulk_approval_above (${after.bulk_approval_above}) is above bulk_deny_above (${after.bulk_deny_above})`,
        'keep bulk_approval_above at or below bulk_deny_above',
      );
    }
    for (const name of after.approve_agent_operations) {
      const operation = ctx.services.executor.findOperation(name);
      if (!operation?.mutating || operation.name.startsWith('billing.')) {
        throw new AppError(
          'invalid_input',
          `approve_agent_operations: ${name} is ${operation ? 'not a write an agent proposes' : 'not an operation'}`,
          'name writes such as deals.create or contacts.update; GET /agentcrm-tools.json lists every operation',
        );
      }
    }
    await savePolicyOverrides(ctx.ws, overrides, ctx.caller!.principalId, ctx.now);
    const changes: Record<string, [unknown, unknown]> = {};
    for (const key of Object.keys(input)) {
      const was = (before as Record<string, unknown>)[key];
      const now = (after as Record<string, unknown>)[key];
      if (JSON.stringify(was) !== JSON.stringify(now)) changes[key] = [was, now];
    }
    ctx.audit({ target: 'policy/workspace', event: 'policy.updated', changes });
    return { data: policyRecord(after), meta: ['# updated'] };
  },
});

/** The four record updates: field-level holds make proposals of these. */
const HOLDING_UPDATES = ['contacts.update', 'companies.update', 'deals.update', 'tasks.update'];

export const setAutoApprove = defineOperation({
  name: 'policy.set_auto_approve',
  summary:
    "Switch auto-approve on or off for one kind of proposal (the operation's name), admins only; the policy records who turned it on and when.",
  description:
    'While on, a change of that operation that would wait for a human is applied at once instead, answered and ' +
    'audited with reason code policy.auto_approved (field-level holds of <kind>.update included). Proposals already ' +
    'pending stay pending. billing.* operations are never auto-approved. GET /policy shows auto_approve.',
  http: { method: 'PUT', path: '/policy/auto-approve/:operation' },
  scope: 'admin',
  mutating: true,
  callers: 'people',
  reasonCodes: ['policy.auto_approved'],
  input: z.strictObject({
    operation: z.string().min(1).max(100),
    enabled: z.boolean(),
  }),
  async handler(ctx, input) {
    const caller = ctx.caller!;
    if (caller.principalType !== 'user') {
      throw new AppError(
        'approval_requires_human',
        'only a person switches auto-approve',
        'ask an admin of this workspace to switch it in the console or with their own token',
      );
    }
    const operation = ctx.services.executor.findOperation(input.operation);
    const proposable =
      operation?.mutating &&
      !operation.name.startsWith('billing.') &&
      (operation.policy !== undefined || HOLDING_UPDATES.includes(operation.name));
    if (!proposable) {
      throw new AppError(
        'invalid_input',
        `operation: ${input.operation} does not make proposals that can be auto-approved`,
        'name an operation whose changes can wait for approval, e.g. contacts.propose_update, deals.update, contacts.delete',
      );
    }
    const overrides: Record<string, unknown> = { ...(await findPolicyOverrides(ctx.ws)) };
    const switches = { ...((overrides.auto_approve as Policy['auto_approve'] | undefined) ?? {}) };
    const before = switches[input.operation] ?? null;
    if (input.enabled && !before) {
      switches[input.operation] = { enabled_by: `user/${caller.principalId}`, enabled_at: ctx.now };
    } else if (!input.enabled) delete switches[input.operation];
    overrides.auto_approve = switches;
    await savePolicyOverrides(ctx.ws, overrides, caller.principalId, ctx.now);
    const after = switches[input.operation] ?? null;
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      ctx.audit({
        target: 'policy/workspace',
        event: 'policy.updated',
        changes: { [`auto_approve.${input.operation}`]: [before, after] },
      });
    }
    return {
      data: policyRecord(await loadPolicy(ctx.ws)),
      meta: [
        input.enabled ? `# auto-approve on: ${input.operation}` : `# auto-approve off: ${input.operation}`,
      ],
    };
  },
});
