import { findActivity, writeActivityFields } from '../activities/activities.repository.js';
import { companyKind } from '../companies/company.js';
import { contactKind } from '../contacts/contact.js';
import { dealKind } from '../deals/deal.js';
import { AppError } from '../errors.js';
import type { OperationContext } from '../operations/define.js';
import { chargePlanUsage, isCapped, releasePlanUsage } from '../plans/usage.js';
import type { RecordKind, RecordTable } from '../records/kind.js';
import { findLiveBy, findRecord, writeReverted } from '../records/records.repository.js';
import { restorableUntil } from '../records/write.js';
import type { AuditLogTable } from '../store/schema.js';
import { taskKind } from '../tasks/task.js';
import { laterChanges, laterChangesById } from './audit.repository.js';

/** The record kinds whose changes can be reverted, by handle kind. Activities only for moved references. */
const KINDS: Record<string, RecordKind<RecordTable> | 'activity'> = {
  contact: contactKind as unknown as RecordKind<RecordTable>,
  company: companyKind as unknown as RecordKind<RecordTable>,
  deal: dealKind as unknown as RecordKind<RecordTable>,
  task: taskKind as unknown as RecordKind<RecordTable>,
  activity: 'activity',
};

export type RevertAction = 'update' | 'delete' | 'restore' | 'none';

/** One field a revert writes: its value now, and the value it restores. */
export interface FieldRevert {
  field: string;
  now: unknown;
  restore: unknown;
}

/** A field a revert leaves alone because it changed again since the reverted change. */
export interface RevertConflict {
  target: string;
  field: string;
  /** The value now. */
  now: unknown;
  /** The value the reverted change left. */
  left: unknown;
  /** The value the revert would have restored. */
  restore: unknown;
  why: string;
}

export interface RecordRevert {
  target: string;
  id: string;
  kind: RecordKind<RecordTable> | 'activity';
  action: RevertAction;
  current: Record<string, unknown>;
  fields: FieldRevert[];
  conflicts: RevertConflict[];
  /** The audit ids of the changes to this record being undone. */
  auditIds: string[];
}

export interface RevertPlan {
  entries: number;
  records: RecordRevert[];
  skipped: { audit_id: string; target: string | null; why: string }[];
}

const norm = (value: unknown) => (value === undefined ? null : value);
const same = (a: unknown, b: unknown) => JSON.stringify(norm(a)) === JSON.stringify(norm(b));
const changesOf = (row: { changes: string | null }) =>
  JSON.parse(row.changes ?? '{}') as Record<string, [unknown, unknown]>;

/** Why an audit row cannot be reverted, or null when it can. */
export function unrevertable(row: AuditLogTable): string | null {
  if (row.policy_decision !== 'allow') return `a ${row.policy_decision} decision changed nothing`;
  const kind = row.target?.split('/')[0] ?? '';
  if (!row.target || !KINDS[kind]) return 'not a change to a contact, company, deal or task';
  if (!row.changes || row.changes === '{}') return 'no field changes';
  if (KINDS[kind] === 'activity' && row.record_version !== null)
    return 'activities are a log: logging one is not undone';
  return null;
}

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

async function planRecord(
  ctx: OperationContext,
  target: string,
  group: AuditLogTable[],
): Promise<RecordRevert> {
  const [kindName, id] = target.split('/') as [string, string];
  const kind = KINDS[kindName]!;
  const versioned = kind !== 'activity';
  group.sort((a, b) => (a.record_version ?? 0) - (b.record_version ?? 0) || (a.id < b.id ? -1 : 1));
  const auditIds = group.map((row) => row.id);
  const record: RecordRevert = {
    target,
    id,
    kind,
    action: 'none',
    current: {},
    fields: [],
    conflicts: [],
    auditIds,
  };
  const current = (
    versioned ? await findRecord(ctx.ws, kind.table, id, 'any') : await findActivity(ctx.ws, id)
  ) as Record<string, unknown> | undefined;
  if (!current) {
    record.conflicts.push({
      target,
      field: '*',
      now: null,
      left: null,
      restore: null,
      why: 'the record no longer exists',
    });
    return record;
  }
  record.current = current;
  const inSet = new Set(auditIds);
  const first = group[0]!;
  const later = (
    versioned
      ? await laterChanges(ctx.ws, target, first.record_version ?? 0)
      : await laterChangesById(ctx.ws, target, first.id)
  ).filter((row) => !inSet.has(row.id));
  /** Whether a change outside the set touched the field after `since` (a version, or an audit id). */
  const touchedLater = (field: string, since: { version: number | null; id: string }) =>
    later.some(
      (row) =>
        (versioned ? (row.record_version ?? 0) > (since.version ?? 0) : row.id > since.id) &&
        field in changesOf(row),
    );

  if (versioned && group.some((row) => row.record_version === 1)) {
    // Undoing a create deletes the record, as a normal delete does, unless someone changed it since.
    if (current.deleted_at !== null) return record;
    const since = [...new Set(later.flatMap((row) => Object.keys(changesOf(row))))];
    if (since.length) {
      const created = changesOf(group[0]!);
      for (const field of since) {
        record.conflicts.push({
          target,
          field,
          now: norm(current[field]),
          left: norm(created[field]?.[1]),
          restore: null,
          why: 'changed since it was created: the record is kept',
        });
      }
      return record;
    }
    record.action = 'delete';
    record.fields.push({ field: 'deleted_at', now: null, restore: ctx.now });
    return record;
  }

  const net = new Map<
    string,
    { restore: unknown; left: unknown; since: { version: number | null; id: string } }
  >();
  for (const row of group) {
    for (const [field, [before, after]] of Object.entries(changesOf(row))) {
      if (!(field in current)) continue; // merged_from, merged_into: notes, not columns
      const entry = net.get(field);
      if (entry) entry.left = after;
      else
        net.set(field, { restore: before, left: after, since: { version: row.record_version, id: row.id } });
    }
  }
  for (const [field, { restore, left, since }] of net) {
    const now = norm(current[field]);
    const changedSince = touchedLater(field, since);
    if (!same(now, left) || changedSince) {
      record.conflicts.push({
        target,
        field,
        now,
        left: norm(left),
        restore: norm(restore),
        why: same(now, left) ? 'changed again since' : 'the value now is not the one the change left',
      });
      continue;
    }
    if (!same(now, restore)) record.fields.push({ field, now, restore: norm(restore) });
  }
  const deleted = record.fields.find((f) => f.field === 'deleted_at');
  if (deleted && deleted.restore === null) {
    const until = restorableUntil(String(current.deleted_at));
    if (until <= ctx.now) {
      record.fields = record.fields.filter((f) => f !== deleted);
      record.conflicts.push({
        target,
        field: 'deleted_at',
        now: deleted.now,
        left: deleted.now,
        restore: null,
        why: `the restore window ended ${until}`,
      });
    }
  }
  const stillDeleted = record.fields.find((f) => f.field === 'deleted_at');
  record.action = stillDeleted
    ? stillDeleted.restore === null
      ? 'restore'
      : 'delete'
    : record.fields.length
      ? 'update'
      : 'none';
  return record;
}

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
async function checkUniqueValues(ctx: OperationContext, plan: RevertPlan): Promise<void> {
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
