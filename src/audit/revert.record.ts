import { findActivity } from '../activities/activities.repository.js';
import type { OperationContext } from '../operations/define.js';
import { findRecord } from '../records/records.repository.js';
import { restorableUntil } from '../records/write.js';
import type { AuditLogTable } from '../store/schema.js';
import { laterChanges, laterChangesById } from './audit.repository.js';
import { changesOf, KINDS, norm, type RecordRevert, same } from './revert.model.js';

/** What reverting one record's group of audit rows would do: its net field changes and its conflicts. */
export async function planRecord(
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
