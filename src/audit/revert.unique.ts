import type { OperationContext } from '../operations/define.js';
import { findLiveBy } from '../records/records.repository.js';
import type { RecordRevert, RevertPlan } from './revert.model.js';

/** A record's state once the plan is applied: live or not, and its values. */
function finalState(record: RecordRevert) {
  const values = { ...record.current };
  for (const { field, restore } of record.fields) values[field] = restore;
  return { live: values.deleted_at === null, values };
}

/**
 * Unique values (a contact's email, a company's domain): a record that would be live afterwards may
 * not take a value another live record holds then. Such a field — or a restore — becomes a conflict.
 */
export async function checkUniqueValues(ctx: OperationContext, plan: RevertPlan): Promise<void> {
  const planned = new Map(plan.records.map((record) => [record.target, record]));
  const claimed = new Map<string, string>();
  for (const record of plan.records) {
    if (record.kind === 'activity' || !record.kind.unique || record.action === 'none') continue;
    const unique = record.kind.unique;
    const touches = record.action === 'restore' || record.fields.some((f) => f.field === unique);
    const { live, values } = finalState(record);
    const value = values[unique];
    if (!touches || !live || value === null || value === undefined) continue;
    const key = `${record.kind.table}:${String(value)}`;
    const holder = await findLiveBy(ctx.ws, record.kind.table, unique, value);
    const holderTarget = holder ? `${record.kind.kind}/${holder.id}` : null;
    const releases = (target: string | null) => {
      const other = target ? planned.get(target) : undefined;
      if (!other) return false;
      const after = finalState(other);
      return !after.live || after.values[unique] !== value;
    };
    const heldBy =
      claimed.get(key) ??
      (holder && holder.id !== record.id && !releases(holderTarget) ? holderTarget : null);
    if (!heldBy) {
      claimed.set(key, record.target);
      continue;
    }
    const why = `${unique} ${String(value)} belongs to ${heldBy} now`;
    if (record.action === 'restore') {
      const deleted = record.fields.find((f) => f.field === 'deleted_at')!;
      record.fields = record.fields.filter((f) => f !== deleted);
      record.conflicts.push({
        target: record.target,
        field: 'deleted_at',
        now: deleted.now,
        left: deleted.now,
        restore: null,
        why,
      });
    } else {
      const field = record.fields.find((f) => f.field === unique)!;
      record.fields = record.fields.filter((f) => f !== field);
      record.conflicts.push({
        target: record.target,
        field: unique,
        now: field.now,
        left: field.now,
        restore: field.restore,
        why,
      });
    }
    record.action = record.fields.some((f) => f.field === 'deleted_at')
      ? record.action
      : record.fields.length
        ? 'update'
        : 'none';
  }
}
