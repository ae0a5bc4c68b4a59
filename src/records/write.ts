import { changesSince } from '../audit/audit.repository.js';
import { AppError, notFound } from '../errors.js';
import type { OperationContext } from '../operations/define.js';
import { chargePlanUsage, isCapped, releasePlanUsage } from '../plans/usage.js';
import type { Database } from '../store/schema.js';
import { checkCustomFields } from './custom-fields.js';
import { handleOf, type RecordKind, type RecordTable } from './kind.js';
import { afterWrite, loadLiveBy, loadRecord } from './loaded.js';
import { afterValues, type Columns, columnsFor, diff } from './records.js';
import { findLiveBy, findRecord, insertRecord, updateVersioned } from './records.repository.js';
import { checkReferences } from './refs.js';

/** How long a soft-deleted record stays restorable. */
export const RETENTION_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

/** The parts of a kind that messages and lookups need. */
type KindRef = Pick<RecordKind, 'kind' | 'table' | 'path' | 'unique'>;

export const restorableUntil = (deletedAt: string) =>
  new Date(Date.parse(deletedAt) + RETENTION_DAYS * DAY_MS).toISOString();

/** The 404 for a record that is not live: says so when it was deleted, and how to restore it. */
export async function missing(ctx: OperationContext, kind: KindRef, id: string): Promise<AppError> {
  const row = await findRecord(ctx.ws, kind.table, id, 'any');
  const erasedAt = (row as { erased_at?: string | null } | undefined)?.erased_at;
  if (erasedAt) {
    return new AppError(
      'erased',
      `${handleOf(kind, id)} was erased at ${erasedAt}; only a tombstone without personal data is left`,
      'nothing can read, change or restore it; create a new record if the person comes back (docs/lifecycle.md)',
    );
  }
  if (!row?.deleted_at) return notFound(handleOf(kind, id));
  const until = restorableUntil(row.deleted_at);
  return new AppError(
    'not_found',
    `${handleOf(kind, id)} was deleted at ${row.deleted_at}`,
    until > ctx.now
      ? `restore it with POST ${kind.path}/${id}/restore (possible until ${until})`
      : `it can no longer be restored (the ${RETENTION_DAYS}-day retention ended ${until})`,
  );
}

/** The 409 for a stale version: names the fields changed since the version the caller read. */
export async function versionConflict(
  ctx: OperationContext,
  kind: KindRef,
  current: { id: string; version: number },
  expected: number,
): Promise<AppError> {
  const handle = handleOf(kind, current.id);
  const history = await changesSince(ctx.ws, handle, expected);
  const fields = [...new Set(history.flatMap((entry) => Object.keys(JSON.parse(entry.changes ?? '{}'))))];
  const changes = history.map((entry) => ({
    version: entry.record_version,
    at: entry.at,
    actor: entry.actor_id,
    operation: entry.operation,
    fields: Object.keys(JSON.parse(entry.changes ?? '{}')),
  }));
  return new AppError(
    'version_conflict',
    `${handle} is at version ${current.version}, not ${expected}` +
      (fields.length ? `; changed since: ${fields.join(', ')}` : ''),
    `GET ${kind.path}/${current.id}, re-apply your change to the current values, and send If-Match: W/"${current.version}"`,
    {
      details: {
        expected_version: expected,
        current_version: current.version,
        changed_fields: fields,
        changes,
      },
    },
  );
}

async function checkUnique(ctx: OperationContext, kind: KindRef, id: string | undefined, columns: Columns) {
  const value = kind.unique ? columns[kind.unique] : undefined;
  if (!kind.unique || value === undefined || value === null) return;
  const holder = await findLiveBy(ctx.ws, kind.table, kind.unique, value);
  if (holder && holder.id !== id) {
    throw new AppError(
      'conflict',
      `${kind.unique} ${String(value)} already belongs to ${handleOf(kind, holder.id)}`,
      `update ${handleOf(kind, holder.id)} instead (PATCH ${kind.path}/${holder.id}), or change its ${kind.unique} first`,
    );
  }
}

/** The columns a create sets from the caller's fields (derived ones included). */
export function createColumns<T extends RecordTable>(
  ctx: OperationContext,
  kind: RecordKind<T>,
  changes: Record<string, unknown>,
): Columns {
  const columns = columnsFor(changes, undefined);
  return kind.derive ? kind.derive(undefined, columns, ctx.now) : columns;
}

/** A new record's row: the kind's blanks, the columns, a fresh id and version 1. */
export function newRow<T extends RecordTable>(
  ctx: OperationContext,
  kind: RecordKind<T>,
  columns: Columns,
): Omit<Database[T], 'workspace_id'> {
  return {
    ...kind.blank(),
    ...columns,
    id: ctx.services.ids.next(kind.prefix),
    version: 1,
    created_at: ctx.now,
    updated_at: ctx.now,
    deleted_at: null,
  } as unknown as Omit<Database[T], 'workspace_id'>;
}

/** Creates a record from the caller's fields; undefined when a live record holds its unique value. */
export async function createRecord<T extends RecordTable>(
  ctx: OperationContext,
  kind: RecordKind<T>,
  changes: Record<string, unknown>,
): Promise<Database[T] | undefined> {
  const columns = await checkCustomFields(ctx, kind.table, createColumns(ctx, kind, changes), true);
  await checkReferences(ctx.ws, kind.table, columns);
  await kind.validate?.(ctx.ws, columns);
  const row = newRow(ctx, kind, columns);
  const { id } = row as { id: string };
  const capped = isCapped(kind.table) ? kind.table : null;
  if (capped) await chargePlanUsage(ctx, capped);
  const inserted = await insertRecord(ctx.ws, kind.table, row, kind.unique);
  // Either way the run's view of the table is out of date: a new row, or a key taken meanwhile.
  afterWrite(ctx, kind.table);
  if (!inserted) {
    if (capped) await releasePlanUsage(ctx, capped);
    return undefined;
  }
  ctx.audit({ target: handleOf(kind, id), changes: diff(undefined, columns), version: 1 });
  return { ...row, workspace_id: ctx.ws.workspaceId } as Database[T];
}

/**
 * Applies field changes to a live record. The write is conditional on the version it was computed
 * from: with `expected` a stale version is a version_conflict; without, the change is recomputed
 * on the fresh row (so concurrent custom-field merges never lose a key).
 */
export async function updateRecord<T extends RecordTable>(
  ctx: OperationContext,
  kind: RecordKind<T>,
  id: string,
  changes: Record<string, unknown>,
  expected?: number,
): Promise<{ row: Database[T]; changed: boolean }> {
  for (let attempt = 0; ; attempt++) {
    // The first attempt uses the row the run loaded (the policy read it); a retry reads afresh, and
    // on PostgreSQL locks the row, so the retry's conditional write cannot lose again (ten
    // concurrent upserts of one email could each lose three rounds and answer 409).
    const current =
      attempt === 0
        ? await loadRecord(ctx, kind.table, id)
        : await findRecord(ctx.ws, kind.table, id, 'live', ctx.services.store.dialect.name === 'postgres');
    if (!current) throw await missing(ctx, kind, id);
    if (expected !== undefined && current.version !== expected) {
      throw await versionConflict(ctx, kind, current, expected);
    }
    let columns = columnsFor(changes, current);
    if (kind.derive) columns = kind.derive(current, columns, ctx.now);
    // Typed custom.<key> fields (registered rules: src/objects/): the merged custom must fit them.
    columns = await checkCustomFields(ctx, kind.table, columns, false);
    const changed = diff(current, columns);
    if (Object.keys(changed).length === 0) return { row: current, changed: false };
    await checkUnique(ctx, kind, id, afterValues(changed));
    // Only references this change sets must be live; one kept from before may name a deleted record.
    await checkReferences(ctx.ws, kind.table, afterValues(changed));
    await kind.validate?.(ctx.ws, afterValues(changed));
    const set = { ...afterValues(changed), updated_at: ctx.now };
    const row = await updateVersioned(ctx.ws, kind.table, id, set, current.version);
    afterWrite(ctx, kind.table, row as { id: string; deleted_at: string | null } | undefined);
    if (row) {
      ctx.audit({ target: handleOf(kind, id), changes: changed, version: row.version });
      return { row, changed: true };
    }
    if (attempt >= 2) {
      throw new AppError(
        'conflict',
        `${handleOf(kind, id)} is being changed by other requests`,
        'retry shortly',
      );
    }
  }
}

/** POST upsert: creates, or updates the live record holding the same unique value (email, domain). */
export async function upsertRecord<T extends RecordTable>(
  ctx: OperationContext,
  kind: RecordKind<T>,
  changes: Record<string, unknown>,
): Promise<{ row: Database[T]; created: boolean }> {
  const key = kind.unique ? changes[kind.unique] : undefined;
  const keyless = key === undefined || key === null;
  const existing = keyless ? undefined : await loadLiveBy(ctx, kind.table, kind.unique!, key);
  if (!existing) {
    const row = await createRecord(ctx, kind, changes);
    if (row) return { row, created: true };
  }
  // Either the key was known, or a concurrent request created it between our read and insert.
  const current = existing ?? (keyless ? undefined : await findLiveBy(ctx.ws, kind.table, kind.unique!, key));
  if (!current) throw new AppError('conflict', 'the record changed during the request', 'retry the request');
  const { row } = await updateRecord(ctx, kind, current.id, changes);
  return { row, created: false };
}
