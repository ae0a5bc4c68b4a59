import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../errors.js';
import { activeFieldCounts, countActiveObjectTypes } from '../objects/objects.repository.js';
import { systemDb } from '../operations/context.js';
import type { OperationContext } from '../operations/define.js';
import { lockUser } from '../people/users.repository.js';
import type { Services } from '../services.js';
import type { Database } from '../store/schema.js';
import { scopeTo } from '../store/scoped.js';
import { countTenantRows, tenantTables } from '../store/tenant-tables.js';
import { countSeats } from '../workspaces/members.repository.js';
import {
  countWorkspacesCreatedBy,
  findWorkspace,
  lockWorkspace,
} from '../workspaces/workspaces.repository.js';
import { type PlanResource, planNamed } from './plans.js';
import { createCounter, decrement, incrementWithinCap, readCounters } from './usage.repository.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Record kinds counted with a stored counter; the table of the same name holds them. */
export type RecordResource = Extract<PlanResource, 'contacts' | 'companies' | 'deals'>;
const RECORD_RESOURCES: readonly RecordResource[] = ['contacts', 'companies', 'deals'];

/** Whether a table's live rows count against a plan cap. */
export function isCapped(table: string): table is RecordResource {
  return (RECORD_RESOURCES as readonly string[]).includes(table);
}

export function planLimitReached(resource: string, cap: number, plan: string): AppError {
  return new AppError(
    'plan_limit_reached',
    `the ${plan} plan allows ${cap} ${resource}; this would go past the cap`,
    "don't retry: tell your human the limit is hit (GET /whoami shows usage); a billing owner can move the workspace to a larger plan",
    { details: { resource, cap, plan } },
  );
}

/**
 * Reserves room for `amount` new records of a kind in the caller's workspace, inside the
 * operation's transaction, before inserting them; throws plan_limit_reached past the cap. The
 * counter starts from the live row count the first time. Every create of contacts, companies or
 * deals calls this, and every delete or failed insert calls releasePlanUsage, so the counter keeps
 * matching the live rows.
 */
export async function chargePlanUsage(
  ctx: OperationContext,
  resource: RecordResource,
  amount = 1,
): Promise<void> {
  const caller = ctx.caller;
  const planName =
    caller?.plan ?? (await findWorkspace(systemDb(ctx), ctx.ws.workspaceId))?.plan ?? 'sandbox';
  const plan = planNamed(ctx.services.config.plans, planName);
  const cap = plan.caps[resource];
  if (await incrementWithinCap(ctx.ws, resource, amount, cap, ctx.now)) return;
  // The counter may be missing, or may have been created by a concurrent request that committed
  // after the update above looked: create it unless it exists, then try once more either way.
  const counters = await readCounters(ctx.ws);
  if (!counters.has(resource)) {
    await createCounter(
      ctx.ws,
      resource,
      await liveRecordCount(systemDb(ctx), ctx.services, ctx.ws.workspaceId, resource),
      ctx.now,
    );
  }
  if (await incrementWithinCap(ctx.ws, resource, amount, cap, ctx.now)) return;
  throw planLimitReached(resource, cap, plan.name);
}

/** Gives back room after a delete (or an insert that did not happen). */
export async function releasePlanUsage(
  ctx: OperationContext,
  resource: RecordResource,
  amount = 1,
): Promise<void> {
  await decrement(ctx.ws, resource, amount, ctx.now);
}

async function liveRecordCount(db: Db, services: Services, workspaceId: string, resource: RecordResource) {
  const table = (await tenantTables(db, services.store.dialect)).find((t) => t.name === resource);
  return table ? countTenantRows(db, table, workspaceId) : 0;
}

/**
 * Seats (members plus pending invites) are few, so they are counted, not stored: the workspace
 * row is locked first, so concurrent invites are counted one after the other.
 */
export async function assertSeatAvailable(ctx: OperationContext, workspaceId: string): Promise<void> {
  const workspace = await lockWorkspace(systemDb(ctx), workspaceId, ctx.now);
  const plan = planNamed(ctx.services.config.plans, workspace?.plan ?? 'sandbox');
  const ws = scopeTo(systemDb(ctx), ctx.services.store.dialect, workspaceId);
  if ((await countSeats(ws, ctx.now)) + 1 > plan.caps.members) {
    throw planLimitReached('members (including pending invites)', plan.caps.members, plan.name);
  }
}

/** A person may create as many workspaces as the plan of the workspace they call from allows. */
export async function assertWorkspaceAllowance(ctx: OperationContext, userId: string): Promise<void> {
  await lockUser(systemDb(ctx), userId, ctx.now);
  const plan = planNamed(ctx.services.config.plans, ctx.caller?.plan ?? 'sandbox');
  if ((await countWorkspacesCreatedBy(systemDb(ctx), userId)) + 1 > plan.caps.workspaces) {
    throw planLimitReached('workspaces per person', plan.caps.workspaces, plan.name);
  }
}

export interface UsageLine {
  resource: PlanResource;
  used: number;
  cap: number;
}

/** What /whoami shows: each capped resource with its use and its cap. */
export async function planUsage(
  db: Db,
  services: Services,
  workspace: { id: string; plan: string },
  principalId: string,
  now: string,
): Promise<UsageLine[]> {
  const plan = planNamed(services.config.plans, workspace.plan);
  const ws = scopeTo(db, services.store.dialect, workspace.id);
  const counters = await readCounters(ws);
  const lines: UsageLine[] = [];
  for (const resource of RECORD_RESOURCES) {
    const used = counters.get(resource) ?? (await liveRecordCount(db, services, workspace.id, resource));
    lines.push({ resource, used, cap: plan.caps[resource] });
  }
  lines.push({ resource: 'members', used: await countSeats(ws, now), cap: plan.caps.members });
  lines.push({
    resource: 'workspaces',
    used: await countWorkspacesCreatedBy(db, principalId),
    cap: plan.caps.workspaces,
  });
  lines.push({
    resource: 'object_types',
    used: await countActiveObjectTypes(ws),
    cap: plan.caps.object_types,
  });
  // Fields are capped per type: the line shows the fullest type.
  lines.push({
    resource: 'object_fields',
    used: Math.max(0, ...(await activeFieldCounts(ws)).values()),
    cap: plan.caps.object_fields,
  });
  return lines;
}
