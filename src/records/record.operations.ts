import { z } from 'zod';
import { AppError } from '../errors.js';
import {
  type AnyOperation,
  type ApprovalMode,
  defineOperation,
  type OperationContext,
  type Verdict,
} from '../operations/define.js';
import type { ReasonCode } from '../policy/reason-codes.js';
import type { Database } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';
import { customSorts } from './custom-fields.js';
import { idRef } from './fields.js';
import { heldResult, updateWithHolds } from './holds.js';
import type { RecordKind, RecordTable } from './kind.js';
import { loadLiveBy } from './loaded.js';
import type { ListPage, ListParams } from './query/apply.js';
import { listInput } from './query/input.js';
import type { ResourceSpec } from './query/parse.js';
import { filterableFields } from './query/parse.js';
import { expectedVersion, fieldChanges, recordResult, versionInput } from './records.js';
import { findRecord } from './records.repository.js';
import { withRefs } from './refs.js';
import { recordView } from './views.js';
import { createRecord, missing, upsertRecord } from './write.js';

/**
 * The four operations every record kind has — create, get, update, search — built from its
 * RecordKind so that versions, ETags, references and audit behave the same for all of them.
 */
type Kind<T extends RecordTable> = RecordKind<T, { version: number }>;

/** A workspace-policy hook for a record operation (see OperationDefinition.policy). */
export type RecordPolicy = (ctx: OperationContext, input: Record<string, unknown>) => Promise<Verdict | null>;

/** The policy hook of a record operation, and the reason codes it may answer with (for the catalog). */
interface PolicyOptions {
  policy?: RecordPolicy;
  reasonCodes?: ReasonCode[];
}

const policyParts = (options: PolicyOptions) => ({
  ...(options.policy ? { policy: options.policy } : {}),
  ...(options.reasonCodes ? { reasonCodes: options.reasonCodes } : {}),
});

const present = <T extends RecordTable>(ws: WorkspaceDb, kind: Kind<T>, rows: Database[T][]) =>
  withRefs(ws, kind.table, rows, kind.toRecord);

export function createOperation<T extends RecordTable>(
  kind: Kind<T>,
  options: {
    input: z.ZodType;
    summary: string;
    description?: string;
    /** When the kind's policy may hold a create (the catalog's requires_human_approval). */
    approval?: ApprovalMode;
  } & PolicyOptions,
): AnyOperation {
  return defineOperation({
    name: `${kind.table}.create`,
    view: recordView(kind.table),
    ...policyParts(options),
    // An upsert onto an existing record meets the field-level holds of an update.
    ...(kind.unique ? { approval: 'sometimes' as const } : {}),
    ...(options.approval ? { approval: options.approval } : {}),
    summary: options.summary,
    description: options.description,
    http: { method: 'POST', path: kind.path },
    scope: 'write',
    mutating: true,
    input: options.input,
    async handler(ctx, input: Record<string, unknown>) {
      let row: Database[T] | undefined;
      let created = true;
      const key = kind.unique ? input[kind.unique] : undefined;
      const holder =
        key === undefined || key === null ? undefined : await loadLiveBy(ctx, kind.table, kind.unique!, key);
      if (holder) {
        // An upsert onto an existing record is an update: the same field-level holds apply.
        const update = await updateWithHolds(ctx, kind, holder.id, input);
        const [record] = await present(ctx.ws, kind, [update.row]);
        return heldResult(update, record!, ['# updated']);
      }
      // No live record holds the key (just looked up): create. Only when a concurrent request
      // took the key in between does the upsert look again and update that record.
      row = await createRecord(ctx, kind, input);
      if (!row) ({ row, created } = await upsertRecord(ctx, kind, input));
      const [record] = await present(ctx.ws, kind, [row!]);
      return recordResult(record!, created ? { status: 201, meta: ['# created'] } : { meta: ['# updated'] });
    },
  });
}

export function getOperation<T extends RecordTable>(kind: Kind<T>): AnyOperation {
  return defineOperation({
    name: `${kind.table}.get`,
    view: recordView(kind.table),
    summary: `Fetch one ${kind.kind} by id or handle.`,
    http: { method: 'GET', path: `${kind.path}/:${kind.idField}` },
    scope: 'read',
    mutating: false,
    input: z.strictObject({ [kind.idField]: idRef(kind.prefix) }),
    async handler(ctx, input: Record<string, unknown>) {
      const id = input[kind.idField] as string;
      const row = await findRecord(ctx.ws, kind.table, id);
      if (!row) throw await missing(ctx, kind, id);
      const [record] = await present(ctx.ws, kind, [row]);
      return recordResult(record!);
    },
  });
}

export function updateOperation<T extends RecordTable>(
  kind: Kind<T>,
  write: z.ZodObject,
  options: { summary?: string; description?: string } & PolicyOptions = {},
): AnyOperation {
  return defineOperation({
    name: `${kind.table}.update`,
    view: recordView(kind.table),
    ...policyParts(options),
    // Field-level holds (hold_human_edited_fields) and target rules (approve_deal_close) may hold it.
    approval: 'sometimes',
    summary:
      options.summary ??
      `Change some fields of a ${kind.kind}; omitted fields are kept, null clears a field.`,
    description:
      (options.description ? `${options.description} ` : '') +
      'Send If-Match: W/"<version>" (the ETag of your last read) or "version" in the body to have the change ' +
      `refused with 409 version_conflict if the ${kind.kind} changed since.`,
    http: { method: 'PATCH', path: `${kind.path}/:${kind.idField}` },
    scope: 'write',
    mutating: true,
    input: z.strictObject({ [kind.idField]: idRef(kind.prefix), ...write.shape, ...versionInput }),
    async handler(ctx, input: Record<string, unknown> & { version?: number; expected_version?: number }) {
      const changes = fieldChanges(input, kind.idField);
      if (Object.keys(changes).length === 0) {
        throw new AppError(
          'invalid_input',
          'no fields to change',
          `send one or more of: ${kind.writable.join(', ')}`,
        );
      }
      const id = input[kind.idField] as string;
      const update = await updateWithHolds(ctx, kind, id, changes, expectedVersion(input));
      const [record] = await present(ctx.ws, kind, [update.row]);
      return heldResult(update, record!, [update.changed ? '# updated' : '# unchanged']);
    },
  });
}

export function searchOperation<T extends RecordTable>(
  kind: Kind<T>,
  spec: ResourceSpec,
  list: (ws: WorkspaceDb, params: ListParams) => Promise<ListPage<Database[T]>>,
  searchable: string,
  name = `${kind.table}.search`,
): AnyOperation {
  return defineOperation({
    name,
    view: recordView(kind.table),
    summary: `List or query ${kind.table}: filters field=[op:]value, search=, sort=, limit=, cursor=.`,
    description:
      `Filters: ${filterableFields(spec).join(' ')}. Operators: eq ne gt gte lt lte like in is not. ` +
      `search= looks in ${searchable}. When more rows remain the answer carries a cursor ("# next:" in text, ` +
      'next_cursor in JSON); pass it back as cursor= with the same other parameters.',
    http: { method: 'GET', path: kind.path, queryFilters: true },
    scope: 'read',
    mutating: false,
    input: listInput,
    async handler(ctx, input) {
      // sort=custom.<key> needs the key declared typed (src/objects/): read those only then.
      const sorts = input.sort?.replace(/^[-+]/, '').startsWith('custom.')
        ? await customSorts(ctx, kind.table)
        : undefined;
      const page = await list(ctx.ws, { ...input, ...(sorts ? { customSorts: sorts } : {}) });
      const data = await present(ctx.ws, kind, page.rows);
      return { data, nextCursor: page.nextCursor, warnings: page.warnings };
    },
  });
}
