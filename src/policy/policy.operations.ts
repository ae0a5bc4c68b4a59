import { z } from 'zod';
import { AppError } from '../errors.js';
import { defineOperation } from '../operations/define.js';
import { DEFAULT_POLICY, loadPolicy, policySettings } from './policy.js';
import { findPolicyOverrides, savePolicyOverrides } from './policy.repository.js';

const policyRecord = (policy: object) => ({ handle: 'policy/workspace', ...policy });

export const getPolicy = defineOperation({
  name: 'policy.get',
  summary: "The workspace policy: sensitive contact fields, agents' deletes, bulk thresholds.",
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
