import { systemDb } from '../operations/context.js';
import type { OperationContext } from '../operations/define.js';
import { readCounters } from '../plans/usage.repository.js';
import type { WorkspacesTable } from '../store/schema.js';
import { findWorkspace } from '../workspaces/workspaces.repository.js';
import { type MonthlyUsage, monthlyCost, monthOf } from './pricing.js';

export interface BillingState {
  workspace: WorkspacesTable;
  usage: MonthlyUsage;
  cost_cents: number;
  budget_cents: number | null;
  over_budget: boolean;
}

/**
 * This month's metered usage of the caller's workspace, its estimated cost, and its budget;
 * `moreRecords` counts records about to be written (a group of batch items asked at once).
 */
export async function billingState(ctx: OperationContext, moreRecords = 0): Promise<BillingState> {
  const workspace = (await findWorkspace(systemDb(ctx), ctx.ws.workspaceId))!;
  const month = monthOf(ctx.now);
  const counters = await readCounters(ctx.ws);
  const requests = (counters.get(`requests:${month}`) ?? 0) + ctx.services.meter.pending(ctx.ws.workspaceId);
  const records =
    (counters.get('contacts') ?? 0) +
    (counters.get('companies') ?? 0) +
    (counters.get('deals') ?? 0) +
    moreRecords;
  const usage = { month, requests, records };
  const cost = monthlyCost(workspace.plan, usage);
  const budget = workspace.monthly_budget_cents;
  return {
    workspace,
    usage,
    cost_cents: cost,
    budget_cents: budget,
    over_budget: workspace.plan !== 'sandbox' && budget !== null && cost >= budget,
  };
}

export const isBillingOwner = (ctx: OperationContext, workspace: WorkspacesTable) =>
  ctx.caller?.principalType === 'user' && workspace.billing_owner_id === ctx.caller.principalId;
