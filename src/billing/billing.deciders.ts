import type { Decider, OperationContext, Verdict } from '../operations/define.js';
import { billingState } from './billing.js';

/**
 * Production writes stop when this month's estimated cost reaches the budget. `count` items
 * asked at once (a set-based batch commit, already metered as requests) are allowed only if the
 * last of them would be, as if each had been asked on its own after the ones before it.
 */
export async function budgetVerdict(
  ctx: OperationContext,
  operationName: string,
  count = 1,
): Promise<Verdict | null> {
  if (!ctx.caller || ctx.caller.plan === 'sandbox' || operationName.startsWith('billing.')) return null;
  const state = await billingState(ctx, count - 1);
  if (!state.over_budget) return null;
  return {
    decision: 'deny',
    reason_code: 'billing.budget_exceeded',
    summary: `this month's estimated cost (${state.cost_cents} cents) reached the budget (${state.budget_cents} cents)`,
    nextActions: [
      { tool_name: 'billing.get', when: 'to see usage; ask the billing owner to raise the budget' },
    ],
  };
}

/** What billing registers with the executor (src/app.ts): the budget, on every path, approvals too. */
export const billingDeciders: readonly Decider[] = [
  {
    name: 'billing.budget',
    stage: 'budget',
    onApproval: true,
    decide: (ctx, request) => budgetVerdict(ctx, request.operation.name, request.count),
  },
];
