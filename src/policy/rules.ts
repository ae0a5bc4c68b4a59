import { bulkPolicy } from '../jobs/jobs.operations.js';
import type { OperationContext, Verdict } from '../operations/define.js';
import { checkConfirmation } from '../records/confirm.js';
import type { RecordKind, RecordTable } from '../records/kind.js';
import { handleOf } from '../records/kind.js';
import { kindOfHandle } from '../records/kinds.js';
import { loadRecord } from '../records/loaded.js';
import { columnsFor, diff, type FieldChanges } from '../records/records.js';
import { loadPolicy } from './policy.js';

// The rule machinery every kind shares. A kind's own rules sit beside it (src/contacts/contact.rules.ts,
// src/deals/deal.rules.ts, src/tasks/task.rules.ts) on its operations, and what a kind adds to the
// shared rules comes through its registered definition (KindDefinition.rules).

/** Field → [current, proposed] for the fields a change would really alter on a record. */
export function pendingChanges(
  ctx: OperationContext,
  kind: RecordKind,
  current: { custom: string } | undefined,
  changes: Record<string, unknown>,
): FieldChanges {
  let columns = columnsFor(changes, current);
  if (kind.derive) columns = kind.derive(current as never, columns, ctx.now);
  return diff(current, columns);
}

export const isAgent = (ctx: OperationContext) => ctx.caller?.principalType === 'agent';

/**
 * Deletes by agents follow the policy's agent_deletes (allow, require_approval or deny). The
 * policy speaks once the agent has confirmed (a valid ?confirm= token): the first call still
 * answers confirmation_required with the reference counts, as for anyone.
 */
export function agentDeletePolicy(kind: RecordKind<RecordTable>) {
  return async (ctx: OperationContext, input: Record<string, unknown>): Promise<Verdict | null> => {
    if (!isAgent(ctx) || typeof input.confirm !== 'string') return null;
    const policy = await loadPolicy(ctx.ws);
    if (policy.agent_deletes === 'allow') return null;
    const id = input[kind.idField] as string;
    const current = await loadRecord(ctx, kind.table, id);
    if (!current) return null; // the handler answers not_found
    const target = handleOf(kind, id);
    const check = await checkConfirmation(ctx, { target, version: current.version }, input.confirm);
    if (check !== 'valid') return null; // the handler explains the bad token
    if (policy.agent_deletes === 'deny') {
      return {
        decision: 'deny',
        reason_code: 'delete.agent_denied',
        summary: `this workspace's policy does not let agents delete ${kind.table}`,
        target,
      };
    }
    return {
      decision: 'require_approval',
      reason_code: 'delete.requires_approval',
      summary: `delete ${target}`,
      target,
      targetVersion: current.version,
      diff: { deleted_at: [null, 'on approval'] },
    };
  };
}

/** What the revert policy needs to know of a planned revert, record by record. */
export interface RevertImpact {
  target: string;
  action: 'update' | 'delete' | 'restore' | 'none';
  fields: { field: string; now: unknown; restore: unknown }[];
}

/**
 * An agent's revert meets the rules its writes would meet one by one: deleting records (undoing a
 * create or a restore) follows agent_deletes; overwriting or clearing a sensitive contact field
 * (or filling one, unless agents_fill_empty_sensitive_fields) needs a human's approval, as
 * contacts.propose_update does; a revert touching more records than
 * the bulk thresholds is approved or denied as a batch of that size would be.
 */
export async function agentRevertPolicy(
  ctx: OperationContext,
  records: readonly RevertImpact[],
): Promise<Verdict | null> {
  if (!isAgent(ctx)) return null;
  const touched = records.filter((record) => record.fields.length > 0);
  if (touched.length === 0) return null;
  const policy = await loadPolicy(ctx.ws);
  const single = touched.length === 1 ? touched[0]!.target : null;
  const diff = Object.fromEntries(
    touched
      .flatMap((record) =>
        record.fields.map(
          ({ field, now, restore }) =>
            [single ? field : `${record.target}.${field}`, [now, restore]] as [string, [unknown, unknown]],
        ),
      )
      .slice(0, 200),
  );
  const deletes = touched.filter((record) => record.action === 'delete');
  if (deletes.length && policy.agent_deletes === 'deny') {
    return {
      decision: 'deny',
      reason_code: 'delete.agent_denied',
      summary: `this revert deletes ${deletes.map((record) => record.target).join(', ')}, and this workspace's policy does not let agents delete`,
      target: single,
    };
  }
  const bulk = await bulkPolicy(ctx, { items: touched });
  if (bulk) return { ...bulk, target: single, diff };
  const approval = (reason_code: Verdict['reason_code'], summary: string): Verdict => ({
    decision: 'require_approval',
    reason_code,
    summary,
    target: single,
    diff,
  });
  if (deletes.length && policy.agent_deletes === 'require_approval') {
    return approval(
      'delete.requires_approval',
      `revert, deleting ${deletes.map((r) => r.target).join(', ')}`,
    );
  }
  const sensitive = touched.flatMap((record) => {
    const needsHuman = kindOfHandle(record.target)?.rules?.fieldNeedsHuman;
    return needsHuman
      ? record.fields
          .filter(({ field, now }) => needsHuman(policy, field, now))
          .map(({ field }) => `${record.target}.${field}`)
      : [];
  });
  if (sensitive.length) return approval('contact.sensitive_field', `revert ${sensitive.join(', ')}`);
  return null;
}
