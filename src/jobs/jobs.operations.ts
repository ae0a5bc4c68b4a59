import { z } from 'zod';
import { notFound } from '../errors.js';
import {
  type AnyOperation,
  defineOperation,
  type OperationContext,
  type OperationResult,
  type Verdict,
} from '../operations/define.js';
import { loadPolicy } from '../policy/policy.js';
import { idRef } from '../records/fields.js';
import type { JobsTable } from '../store/schema.js';
import { findJob, insertJob, queueHealth, recentBatchVolume } from './jobs.repository.js';

/**
 * The most items one batch call may carry, whoever sends it: a bound on memory, well above the
 * largest bulk_deny_above a policy may set (1000). How many items an agent may batch is the
 * policy's decision (bulk.too_large), not the schema's, so it answers as a policy denial.
 */
export const MAX_BATCH_ITEMS = 10_000;

const POLL_OPERATION = {
  tool_name: 'operations.get_status',
  when: 'poll with the operation_id until its status is succeeded, partially_failed or failed',
};

export function toOperationRecord(row: JobsTable) {
  const errors = JSON.parse(row.errors) as unknown[];
  return {
    handle: `operation/${row.id}`,
    id: row.id,
    operation_id: row.id,
    operation: row.operation,
    status: row.status,
    total: row.total,
    done: row.done,
    failed: row.failed,
    progress: `${row.done + row.failed}/${row.total}`,
    result: row.result ? JSON.parse(row.result) : null,
    errors,
    created_at: row.created_at,
    updated_at: row.updated_at,
    finished_at: row.finished_at,
  };
}

/**
 * Batches by agents follow the bulk thresholds: larger than bulk_deny_above is denied, larger
 * than bulk_approval_above — or past the rolling volume of the window — waits for a human. It runs
 * before any item does, so a denied batch charges no plan cap, whatever the plan.
 */
export async function bulkPolicy(
  ctx: OperationContext,
  input: { items: unknown[] },
): Promise<Verdict | null> {
  const caller = ctx.caller!;
  if (caller.principalType !== 'agent') return null;
  const policy = await loadPolicy(ctx.ws);
  const count = input.items.length;
  if (count > policy.bulk_deny_above) {
    return {
      decision: 'deny',
      reason_code: 'bulk.too_large',
      summary: `a batch of ${count} is above this workspace's limit of ${policy.bulk_deny_above} items`,
      nextActions: [
        {
          tool_name: 'operations.get_status',
          when: `after sending batches of at most ${policy.bulk_deny_above}`,
        },
      ],
    };
  }
  const since = new Date(Date.parse(ctx.now) - policy.bulk_window_seconds * 1000).toISOString();
  const recent = await recentBatchVolume(ctx.ws, caller.principalId, since);
  if (count > policy.bulk_approval_above || recent + count > policy.bulk_window_max_records) {
    return {
      decision: 'require_approval',
      reason_code: 'bulk.requires_approval',
      summary:
        count > policy.bulk_approval_above
          ? `write a batch of ${count} records (above ${policy.bulk_approval_above})`
          : `write ${count} more records; ${recent} were batch-written in the last ${policy.bulk_window_seconds} s (limit ${policy.bulk_window_max_records})`,
      diff: { items: [null, count] },
    };
  }
  return null;
}

/** `<kind>.batch_upsert`: many records in one call, run in the background as an operation. */
function batchOperation(table: string, path: string, itemOperation: string, verb: string): AnyOperation {
  return defineOperation({
    name: `${table}.batch_${verb}`,
    summary: `${verb === 'upsert' ? 'Create or update' : 'Create'} many ${table} in one call (an agent: up to the policy's bulk_deny_above, 1000 by default); runs in the background (operation op_…).`,
    description:
      `Each item is what ${itemOperation} takes and is handled exactly as that call would (validation, ` +
      `${verb === 'upsert' ? 'upsert, ' : ''}plan caps, policy, audit). Answers at once with data.operation_id; poll ` +
      "operations.get_status for progress (done/total) and per-item errors. An agent's batch above bulk_approval_above " +
      `waits for approval; above bulk_deny_above it is denied (bulk.too_large). At most ${MAX_BATCH_ITEMS} items per call for anyone.`,
    http: { method: 'POST', path: `${path}/batch` },
    scope: 'write',
    mutating: true,
    approval: 'sometimes',
    reasonCodes: ['bulk.requires_approval', 'bulk.too_large'],
    input: z.strictObject({
      items: z
        .array(z.record(z.string(), z.unknown()))
        .min(1)
        .max(MAX_BATCH_ITEMS, `at most ${MAX_BATCH_ITEMS} items per call`),
    }),
    policy: bulkPolicy,
    handler: (ctx, input) => enqueue(ctx, `${table}.batch_${verb}`, itemOperation, input.items),
  });
}

/** Queues items for the job runner; each runs through `itemOperation` as a single call would. */
export async function enqueue(
  ctx: OperationContext,
  operation: string,
  itemOperation: string,
  items: unknown[],
  /** The items were confirmed as a whole (a bulk delete): each runs as an already-confirmed call. */
  confirmed = false,
): Promise<OperationResult> {
  const caller = ctx.caller!;
  const id = ctx.services.ids.next('op');
  const row: Omit<JobsTable, 'workspace_id'> = {
    id,
    operation,
    input: JSON.stringify({
      item_operation: itemOperation,
      items,
      ...(confirmed ? { confirmed } : {}),
      // The request's motive goes to every item's audit row, as it would for a single call.
      ...(ctx.reason ? { reason: ctx.reason } : {}),
    }),
    status: 'queued',
    total: items.length,
    done: 0,
    failed: 0,
    errors: '[]',
    result: null,
    caller: JSON.stringify(caller),
    created_by: caller.principalId,
    request_id: ctx.requestId,
    attempts: 0,
    locked_by: null,
    locked_until: null,
    created_at: ctx.now,
    updated_at: ctx.now,
    finished_at: null,
  };
  await insertJob(ctx.ws, row);
  ctx.audit({
    target: `operation/${id}`,
    event: 'operation.queued',
    operationId: id,
    changes: { items: [null, items.length] },
  });
  ctx.afterCommit(async () => ctx.services.jobs.wake());
  return {
    status: 202,
    data: toOperationRecord({ ...row, workspace_id: ctx.ws.workspaceId }),
    meta: [`# poll: GET /operations/${id}`],
    nextActions: [POLL_OPERATION],
  };
}

export const getOperationStatus = defineOperation({
  name: 'operations.get_status',
  summary: 'Progress (done/total), result and per-item errors of a background operation.',
  http: { method: 'GET', path: '/operations/:operation_id' },
  scope: 'read',
  mutating: false,
  input: z.strictObject({ operation_id: idRef('op') }),
  async handler(ctx, input) {
    const row = await findJob(ctx.ws, input.operation_id);
    if (!row) throw notFound(`operation/${input.operation_id}`);
    const running = row.status === 'queued' || row.status === 'running';
    return { data: toOperationRecord(row), nextActions: running ? [POLL_OPERATION] : [] };
  },
});

export const asyncHealth = defineOperation({
  name: 'system.async_health',
  summary: "The background queue of this workspace: depth, oldest pending operation's age, failures in 24 h.",
  http: { method: 'GET', path: '/system/async-health' },
  scope: 'read',
  mutating: false,
  input: z.strictObject({}),
  async handler(ctx) {
    const health = await queueHealth(ctx.ws, new Date(Date.parse(ctx.now) - 86_400_000).toISOString());
    const ageSeconds = health.oldest_pending_at
      ? Math.max(0, Math.round((Date.parse(ctx.now) - Date.parse(health.oldest_pending_at)) / 1000))
      : 0;
    return {
      data: {
        handle: 'queue/operations',
        queue_depth: health.queued + health.running,
        ...health,
        oldest_pending_age_seconds: ageSeconds,
      },
    };
  },
});

export const jobOperations = [
  batchOperation('contacts', '/contacts', 'contacts.create', 'upsert'),
  batchOperation('companies', '/companies', 'companies.create', 'upsert'),
  batchOperation('deals', '/deals', 'deals.create', 'create'),
  getOperationStatus,
  asyncHealth,
];
