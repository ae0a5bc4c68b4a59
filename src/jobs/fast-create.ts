import { contactKind } from '../contacts/contact.js';
import { isAppError } from '../errors.js';
import { typedCustomKeys } from '../objects/typed-custom.js';
import { flushAuditBatch, type Run } from '../operations/context.js';
import type { AnyOperation } from '../operations/define.js';
import { ALLOWED } from '../operations/steps.js';
import { chargePlanUsage, isCapped } from '../plans/usage.js';
import type { RecordKind } from '../records/kind.js';
import { handleOf } from '../records/kind.js';
import { diff } from '../records/records.js';
import { insertRecords, liveValuesOf } from '../records/records.repository.js';
import { createColumns, newRow } from '../records/write.js';

/**
 * The set-based path of a batch chunk: the items that are plain creates of new records are
 * written with a handful of multi-row statements (records, audit rows, field_writers, events,
 * webhook deliveries) instead of each running the single create. Everything else in the chunk
 * (invalid items, upserts onto an existing record, a repeat of an upsert key earlier in the chunk,
 * items whose fields need a database check) still runs the per-item path, in its place in the
 * chunk's order, so the results, audit rows and events are those of the per-item path.
 */
export interface FastCreate {
  kind: RecordKind;
  /** Fields whose values need a database check (references, principals): items setting one go slow. */
  checked: readonly string[];
}

/**
 * The item operations with a set-based create. contacts.create qualifies because its policy
 * (directContactWrite) and holds only speak when the write lands on an existing contact: a new
 * contact gets no verdict, for agents and people alike.
 */
const FAST: Record<string, FastCreate> = {
  'contacts.create': { kind: contactKind as unknown as RecordKind, checked: ['company_id', 'owner'] },
};

/** Internal switch: tests compare the set-based path against the per-item path with it. */
export const fastPath = { enabled: true };

export function fastCreateFor(itemOperation: string): FastCreate | undefined {
  return fastPath.enabled ? FAST[itemOperation] : undefined;
}

/**
 * Sorts a chunk's items: for each, its parsed input when it is a create of a new record that the
 * set-based path may write, else null (the item runs the per-item path). One query looks up which
 * upsert keys of the chunk live records hold already.
 */
export async function planChunk(
  run: Run,
  fast: FastCreate,
  operation: AnyOperation,
  items: unknown[],
): Promise<(Record<string, unknown> | null)[]> {
  const unique = fast.kind.unique;
  const parsed = items.map((item) => {
    const result = operation.input.safeParse(item);
    return result.success ? (result.data as Record<string, unknown>) : null;
  });
  const keyOf = (input: Record<string, unknown>) => (unique ? (input[unique] ?? null) : null);
  const keys = [
    ...new Set(parsed.flatMap((input) => (input && keyOf(input) !== null ? [keyOf(input)] : []))),
  ];
  const held =
    unique && keys.length ? await liveValuesOf(run.ctx.ws, fast.kind.table, unique, keys) : new Set();
  // Typed custom fields declared on the kind: items whose custom they check (those that set custom,
  // or every item when a key is required or defaulted) take the per-item path, which checks it.
  const typedKeys = await typedCustomKeys(run.ctx, fast.kind.table);
  const typedAll = typedKeys.some((key) => key.required || key.default !== null);
  const typed = (input: Record<string, unknown>) =>
    typedAll || (typedKeys.length > 0 && input.custom !== undefined && input.custom !== null);
  const seen = new Set<unknown>();
  return parsed.map((input) => {
    if (!input) return null;
    const key = keyOf(input);
    const repeated = key !== null && (held.has(key) || seen.has(key));
    if (key !== null) seen.add(key);
    if (
      repeated ||
      typed(input) ||
      fast.checked.some((field) => input[field] !== undefined && input[field] !== null)
    )
      return null;
    return input;
  });
}

/** Raised inside the chunk's transaction when a concurrent write took one of its upsert keys. */
export const RACED = 'a concurrent write took an upsert key of the chunk';

/**
 * Creates the records of consecutive plain-create items in one go, charging the plan cap once
 * for all of them. Returns false, having written nothing, when the cap has no room for them all:
 * the items then run one by one, and those past the cap are refused exactly as before.
 */
export async function createMany(
  run: Run,
  fast: FastCreate,
  operationName: string,
  inputs: Record<string, unknown>[],
): Promise<boolean> {
  const { ctx } = run;
  const { kind } = fast;
  const rows = inputs.map((input) => {
    const columns = createColumns(ctx, kind, input);
    const row = newRow(ctx, kind, columns);
    ctx.audit({ target: handleOf(kind, row.id), changes: diff(undefined, columns), version: 1 });
    return row;
  });
  if (isCapped(kind.table)) {
    try {
      await chargePlanUsage(ctx, kind.table, rows.length);
    } catch (error) {
      if (isAppError(error) && error.code === 'plan_limit_reached') {
        run.audits.length = 0;
        return false;
      }
      throw error;
    }
  }
  if ((await insertRecords(ctx.ws, kind.table, rows, kind.unique)) !== rows.length) throw new Error(RACED);
  await flushAuditBatch(run, operationName, null, ALLOWED);
  return true;
}
