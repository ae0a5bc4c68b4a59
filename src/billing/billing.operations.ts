import { z } from 'zod';
import { AppError } from '../errors.js';
import { crossDb } from '../operations/context.js';
import { defineOperation, type OperationContext, type Verdict } from '../operations/define.js';
import { type BillingState, billingState, isBillingOwner } from './billing.js';
import { setWorkspaceBudget, setWorkspacePlan } from './billing.repository.js';

function billingRecord(state: BillingState) {
  const { workspace, usage } = state;
  return {
    handle: `billing/${workspace.id}`,
    plan: workspace.plan,
    billing_owner: workspace.billing_owner_id ? `user/${workspace.billing_owner_id}` : null,
    monthly_budget_cents: state.budget_cents,
    budget_currency: workspace.budget_currency,
    month: usage.month,
    requests: usage.requests,
    records: usage.records,
    cost_cents: state.cost_cents,
    over_budget: state.over_budget,
  };
}

export const getBilling = defineOperation({
  name: 'billing.get',
  summary:
    "The plan, the billing owner, the monthly budget, and this month's metered usage and estimated cost.",
  http: { method: 'GET', path: '/billing' },
  scope: 'read',
  mutating: false,
  input: z.strictObject({}),
  async handler(ctx) {
    return { data: billingRecord(await billingState(ctx)) };
  },
});

export const setBudget = defineOperation({
  name: 'billing.set_budget',
  summary:
    "Set the workspace's monthly budget (the billing owner only); production writes past it are denied.",
  http: { method: 'POST', path: '/billing/budget' },
  scope: 'write',
  crossWorkspace: true,
  mutating: true,
  callers: 'people',
  input: z.strictObject({
    monthly_budget_cents: z.number().int().min(0).max(1_000_000_000).nullable(),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'a 3-letter currency code such as USD')
      .transform((value) => value.toUpperCase())
      .default('USD'),
  }),
  async handler(ctx, input) {
    const before = await billingState(ctx);
    if (!isBillingOwner(ctx, before.workspace)) {
      throw new AppError(
        'forbidden',
        'only the billing owner sets the budget',
        before.workspace.billing_owner_id
          ? 'ask the billing owner (see GET /billing) to set it in the console or through the API'
          : 'invite a human as billing owner first (humans.invite_billing_owner)',
      );
    }
    const currency = input.monthly_budget_cents === null ? null : input.currency;
    await setWorkspaceBudget(crossDb(ctx), ctx.ws.workspaceId, input.monthly_budget_cents, currency, ctx.now);
    ctx.audit({
      target: `workspace/${ctx.ws.workspaceId}`,
      event: 'billing.budget_set',
      changes: { monthly_budget_cents: [before.budget_cents, input.monthly_budget_cents] },
    });
    return { data: billingRecord(await billingState(ctx)), meta: ['# updated'] };
  },
});

async function upgradePolicy(ctx: OperationContext): Promise<Verdict | null> {
  const state = await billingState(ctx);
  if (!state.workspace.billing_owner_id) {
    return {
      decision: 'deny',
      reason_code: 'billing.human_owner_required_for_production',
      summary: 'production needs a human billing owner, and this workspace has none yet',
      nextActions: [
        {
          tool_name: 'humans.invite_billing_owner',
          when: 'now: invite your human; ask again once they accepted',
        },
      ],
    };
  }
  if (isBillingOwner(ctx, state.workspace)) return null;
  return {
    decision: 'require_approval',
    reason_code: 'billing.upgrade_requires_approval',
    summary: `move workspace/${ctx.ws.workspaceId} from ${state.workspace.plan} to production`,
    target: `workspace/${ctx.ws.workspaceId}`,
    diff: { plan: [state.workspace.plan, 'production'] },
  };
}

export const requestUpgrade = defineOperation({
  name: 'billing.request_upgrade',
  summary:
    'Ask to move the workspace to the production plan: the billing owner approves it (outcome "proposed").',
  description:
    'Denied with billing.human_owner_required_for_production until a human accepted the billing-owner invite. ' +
    'Production has large caps and is metered against the budget the billing owner sets.',
  http: { method: 'POST', path: '/billing/upgrade' },
  scope: 'write',
  crossWorkspace: true,
  mutating: true,
  approval: 'always',
  reasonCodes: ['billing.human_owner_required_for_production', 'billing.upgrade_requires_approval'],
  input: z.strictObject({ plan: z.literal('production').default('production') }),
  policy: upgradePolicy,
  async handler(ctx) {
    const state = await billingState(ctx);
    if (state.workspace.plan === 'production') {
      throw new AppError(
        'conflict',
        'this workspace is already on the production plan',
        'nothing to do; GET /billing shows the plan',
      );
    }
    await setWorkspacePlan(crossDb(ctx), ctx.ws.workspaceId, 'production', ctx.now);
    ctx.audit({
      target: `workspace/${ctx.ws.workspaceId}`,
      event: 'workspace.plan_changed',
      changes: { plan: [state.workspace.plan, 'production'] },
    });
    return { data: billingRecord(await billingState(ctx)), meta: ['# updated'] };
  },
});

export const billingOperations = [getBilling, setBudget, requestUpgrade];
