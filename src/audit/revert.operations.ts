import { z } from 'zod';
import { textValue } from '../answer/text.js';
import { findWorkspaceToken } from '../auth/tokens.repository.js';
import { AppError, notFound } from '../errors.js';
import { findJob } from '../jobs/jobs.repository.js';
import { defineOperation, type OperationContext, type OperationResult } from '../operations/define.js';
import { agentRevertPolicy } from '../policy/rules.js';
import { idRef, timestamp } from '../records/fields.js';
import { shown, textOf } from '../records/history.operations.js';
import { auditRowsFor, type RevertSelector } from './audit.repository.js';
import { applyRevert, planRevert, type RevertPlan, unrevertable } from './revert.js';

/** The most audit rows one revert takes; narrow the window (or revert by operation) for more. */
export const MAX_REVERT = 10_000;
/** Skipped entries (proposals, refusals, tokens…) are counted; this many are listed. */
const MAX_SKIPPED_SHOWN = 50;

const input = z.strictObject({
  audit_id: idRef('aud').optional(),
  request_id: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'a request id such as req_…')
    .optional(),
  operation_id: idRef('op').optional(),
  token_id: idRef('tok').optional(),
  from: timestamp.optional(),
  to: timestamp.optional(),
  apply: z.boolean().default(false),
});
type Input = z.output<typeof input>;

const SELECTORS = 'audit_id, request_id, operation_id, or token_id with from (and to)';

/**
 * Turns the input into one selector, answering 404 for anything not of this workspace before
 * complaining about the shape, so another workspace's ids learn nothing.
 */
async function selectorOf(ctx: OperationContext, input: Input): Promise<RevertSelector> {
  const chosen: RevertSelector[] = [];
  if (input.audit_id) {
    const [row] = await auditRowsFor(ctx.ws, { auditId: input.audit_id }, 1);
    if (!row) throw notFound(`audit/${input.audit_id}`);
    const why = unrevertable(row);
    if (why) {
      throw new AppError(
        'unsupported',
        `audit/${row.id} (${row.operation} on ${row.target ?? 'nothing'}) cannot be reverted: ${why}`,
        'revert changes to contacts, companies, deals and tasks; GET /contacts/{id}/history lists them',
      );
    }
    chosen.push({ auditId: input.audit_id });
  }
  if (input.request_id) {
    const [row] = await auditRowsFor(ctx.ws, { requestId: input.request_id }, 1);
    if (!row) throw notFound(`request ${input.request_id} (no audited change carries it)`);
    chosen.push({ requestId: input.request_id });
  }
  if (input.operation_id) {
    const job = await findJob(ctx.ws, input.operation_id);
    // A CLI import is an operation without a job: its rows carry its id all the same.
    if (!job && !(await auditRowsFor(ctx.ws, { operationId: input.operation_id }, 1)).length) {
      throw notFound(`operation/${input.operation_id}`);
    }
    if (job && (job.status === 'queued' || job.status === 'running')) {
      throw new AppError(
        'conflict',
        `operation/${job.id} is still ${job.status} (${job.done + job.failed}/${job.total})`,
        `poll GET /operations/${job.id} until it finishes, then revert it`,
      );
    }
    chosen.push({ operationId: input.operation_id });
  }
  if (input.token_id) {
    const token = await findWorkspaceToken(ctx.ws, input.token_id);
    if (!token) throw notFound(`token/${input.token_id}`);
    const caller = ctx.caller!;
    if (token.principal_id !== caller.principalId && !caller.scopes.includes('admin')) {
      throw new AppError(
        'forbidden',
        `token/${token.id} belongs to ${token.principal_type}/${token.principal_id}: reverting another principal's work by token needs an admin`,
        'revert your own tokens, single changes (audit_id) or operations (operation_id, request_id); or ask an admin',
      );
    }
    if (!input.from) {
      throw new AppError(
        'invalid_input',
        'from: required with token_id',
        `send from (and to) as RFC3339 times`,
      );
    }
    const to = input.to ?? ctx.now;
    if (to < input.from)
      throw new AppError('invalid_input', 'to: before from', 'send a window with from ≤ to');
    chosen.push({ tokenId: input.token_id, from: input.from, to });
  } else if (input.from || input.to) {
    throw new AppError(
      'invalid_input',
      'from/to: only with token_id',
      'add token_id, or leave from and to out',
    );
  }
  if (chosen.length !== 1) {
    throw new AppError(
      'invalid_input',
      chosen.length ? 'name one thing to revert, not several' : 'nothing to revert named',
      `send one of: ${SELECTORS}`,
    );
  }
  return chosen[0]!;
}

/** The plan the policy hook computed, reused by the handler of the same call. */
const planned = new WeakMap<OperationContext, RevertPlan>();

async function planFor(ctx: OperationContext, input: Input): Promise<RevertPlan> {
  const cached = planned.get(ctx);
  if (cached) return cached;
  const selector = await selectorOf(ctx, input);
  const rows = await auditRowsFor(ctx.ws, selector, MAX_REVERT + 1);
  if (rows.length > MAX_REVERT) {
    throw new AppError(
      'invalid_input',
      `more than ${MAX_REVERT} audited changes match`,
      'narrow the window (from, to), or revert by operation_id or request_id',
    );
  }
  const plan = await planRevert(ctx, rows);
  planned.set(ctx, plan);
  return plan;
}

function present(plan: RevertPlan, applied: boolean, requestId: string): OperationResult {
  const changes = plan.records.flatMap((record) =>
    record.fields.map(({ field, now, restore }) => ({
      target: record.target,
      action: record.action,
      field,
      now: shown(field, now),
      restore: shown(field, restore),
    })),
  );
  const conflicts = plan.records.flatMap((record) =>
    record.conflicts.map((c) => ({
      ...c,
      now: shown(c.field, c.now),
      left: shown(c.field, c.left),
      restore: shown(c.field, c.restore),
    })),
  );
  const records = plan.records.filter((record) => record.fields.length > 0).length;
  const summary =
    `${applied ? 'reverted' : 'would revert'} ${changes.length} field${changes.length === 1 ? '' : 's'} of ` +
    `${records} record${records === 1 ? '' : 's'}; ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'} left as they are` +
    (plan.skipped.length
      ? `; ${plan.skipped.length} audit entr${plan.skipped.length === 1 ? 'y' : 'ies'} skipped`
      : '');
  const text = [
    ...changes.map(
      (c) =>
        `${c.target} action=${c.action} field=${c.field} now=${textOf(c.field, c.now)} restore=${textOf(c.field, c.restore)}`,
    ),
    ...conflicts.map(
      (c) =>
        `conflict ${c.target} field=${c.field} now=${textOf(c.field, c.now)} left=${textOf(c.field, c.left)} restore=${textOf(c.field, c.restore)} why=${textValue(c.why)}`,
    ),
    ...plan.skipped
      .slice(0, MAX_SKIPPED_SHOWN)
      .map((s) => `skipped audit/${s.audit_id} target=${s.target ?? 'null'} why=${textValue(s.why)}`),
    `# ${summary}`,
  ];
  return {
    data: {
      dry_run: !applied,
      applied,
      entries: plan.entries,
      records,
      changes,
      conflicts,
      skipped: plan.skipped.slice(0, MAX_SKIPPED_SHOWN),
      skipped_count: plan.skipped.length,
    },
    text,
    summary,
    meta: applied
      ? records
        ? [`# undo this revert: operations.revert {"request_id":"${requestId}"}`]
        : []
      : ['# dry_run: nothing was changed; repeat with "apply": true to carry it out'],
    nextActions: applied
      ? records === 0
        ? []
        : [
            {
              tool_name: 'operations.revert',
              when: `to undo this revert: {"request_id":"${requestId}","apply":true}`,
            },
          ]
      : changes.length
        ? [
            {
              tool_name: 'operations.revert',
              when: 'repeat the same call with "apply": true to carry it out',
            },
          ]
        : [],
  };
}

export const revertOperation = defineOperation({
  name: 'operations.revert',
  summary:
    'Undo a change (audit_id), a request (request_id), a background operation (operation_id: a batch, bulk change or import) or a token\'s window (token_id, from, to): a dry run unless "apply": true.',
  description:
    'Without "apply": true nothing changes: the answer lists each field to restore (target, field, now → restore), each ' +
    'conflict, and what was skipped. Creates are undone by deleting (restorable for 30 days), deletes by restoring, ' +
    'updates by writing the before-values back. A field that changed again since (its value now is not the one the ' +
    'change left, or a later change touched it) is not overwritten: it is reported as a conflict (now, left, restore) ' +
    'and the rest applies. The revert is audited as operations.revert with the audit ids it undid, so it can be ' +
    'reverted in turn (request_id of the revert). Agents meet the same policy as for the writes themselves: deletes ' +
    "follow agent_deletes, sensitive contact fields and large reverts need approval. Reverting another principal's " +
    'token window needs an admin. Also POST /audit/{audit_id}/revert.',
  http: { method: 'POST', path: '/operations/revert', aliases: ['/audit/:audit_id/revert'] },
  scope: 'write',
  mutating: true,
  approval: 'sometimes',
  reasonCodes: [
    'delete.requires_approval',
    'delete.agent_denied',
    'contact.sensitive_field',
    'bulk.requires_approval',
    'bulk.too_large',
  ],
  input,
  async policy(ctx, input) {
    if (!input.apply || ctx.caller?.principalType !== 'agent') return null;
    return agentRevertPolicy(ctx, (await planFor(ctx, input)).records);
  },
  async handler(ctx, input) {
    const plan = await planFor(ctx, input);
    if (!input.apply) {
      const result = present(plan, false, ctx.requestId);
      const verdict = await agentRevertPolicy(ctx, plan.records);
      if (verdict) {
        result.warnings = [
          {
            code: 'policy',
            message: `applying it would meet ${verdict.decision} (${verdict.reason_code}): ${verdict.summary}`,
          },
        ];
      }
      return result;
    }
    await applyRevert(ctx, plan);
    return present(plan, true, ctx.requestId);
  },
});
