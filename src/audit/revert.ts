import { writeActivityFields } from '../activities/activities.repository.js';
import { AppError } from '../errors.js';
import type { OperationContext } from '../operations/define.js';
import { chargePlanUsage, isCapped, releasePlanUsage } from '../plans/usage.js';
import { findLiveBy, writeReverted } from '../records/records.repository.js';
import type { AuditLogTable } from '../store/schema.js';
import { type RevertAction, type RevertPlan, unrevertable } from './revert.model.js';
import { planRecord } from './revert.record.js';
import { checkUniqueValues } from './revert.unique.js';

// The plan's types and the per-row check live in revert.model.ts; revert.operations.ts imports them from here.
export type { RevertPlan } from './revert.model.js';
export { unrevertable } from './revert.model.js';

/**
 * What reverting these audit rows would do, record by record: the net change per field (the value
 * before the earliest reverted change, back over the value the latest one left), and the conflicts
 * — fields whose value now differs from what the reverted changes left, or that a change outside
 * the set touched since. Reads only.
 */
export async function planRevert(ctx: OperationContext, rows: AuditLogTable[]): Promise<RevertPlan> {
  const plan: RevertPlan = { entries: rows.length, records: [], skipped: [] };
  const groups = new Map<string, AuditLogTable[]>();
  for (const row of rows) {
    const why = unrevertable(row);
    if (why) {
      plan.skipped.push({ audit_id: row.id, target: row.target, why });
      continue;
    }
    const group = groups.get(row.target!) ?? [];
    group.push(row);
    groups.set(row.target!, group);
  }
  for (const [target, group] of groups) plan.records.push(await planRecord(ctx, target, group));
  await checkUniqueValues(ctx, plan);
  return plan;
}

const ORDER: Record<RevertAction, number> = { delete: 0, update: 1, restore: 2, none: 3 };

/**
 * Carries out a plan in the operation's transaction: deletions first (they free unique values and
 * plan room), then updates, then restores (which charge the plan's caps again). Each record gets
 * one write and one audit row naming the changes it undid.
 */
export async function applyRevert(ctx: OperationContext, plan: RevertPlan): Promise<void> {
  const records = plan.records.filter((record) => record.fields.length > 0);
  records.sort((a, b) => ORDER[a.action] - ORDER[b.action]);
  for (const record of records) {
    const set = Object.fromEntries(record.fields.map(({ field, restore }) => [field, restore]));
    const changes = Object.fromEntries(
      record.fields.map(({ field, now, restore }) => [field, [now, restore] as [unknown, unknown]]),
    );
    if (record.kind === 'activity') {
      await writeActivityFields(ctx.ws, record.id, set);
      ctx.audit({ target: record.target, changes, reverts: record.auditIds });
      continue;
    }
    const kind = record.kind;
    if (record.action === 'restore' || record.action === 'delete') {
      if (isCapped(kind.table)) {
        if (record.action === 'restore') await chargePlanUsage(ctx, kind.table);
        else await releasePlanUsage(ctx, kind.table);
      }
    }
    const unique = kind.unique;
    if (unique && (record.action === 'restore' || unique in set) && record.action !== 'delete') {
      const value = unique in set ? set[unique] : record.current[unique];
      const holder =
        value === null || value === undefined
          ? undefined
          : await findLiveBy(ctx.ws, kind.table, unique, value);
      if (holder && holder.id !== record.id) {
        throw new AppError(
          'conflict',
          `reverting ${record.target} would give it ${unique} ${String(value)}, which ${kind.kind}/${holder.id} holds`,
          `change the ${unique} of ${kind.kind}/${holder.id} first, or revert the changes one at a time`,
        );
      }
    }
    const row = await writeReverted(
      ctx.ws,
      kind.table,
      record.id,
      { ...set, updated_at: ctx.now },
      Number(record.current.version),
    );
    if (!row)
      throw new AppError('conflict', `${record.target} changed during the revert`, 'retry the revert');
    ctx.audit({ target: record.target, changes, version: row.version, reverts: record.auditIds });
  }
}
