import { z } from 'zod';
import { AppError } from '../errors.js';
import { type AnyOperation, defineOperation, type OperationContext } from '../operations/define.js';
import { chargePlanUsage, isCapped, releasePlanUsage } from '../plans/usage.js';
import { CONFIRM_TTL_MINUTES, checkConfirmation, issueConfirmation } from './confirm.js';
import { idRef } from './fields.js';
import { handleOf, type RecordKind, type RecordTable } from './kind.js';
import { afterWrite, loadRecord } from './loaded.js';
import type { RecordPolicy } from './record.operations.js';
import { expectedVersion, recordResult, versionInput } from './records.js';
import { findLiveBy, findRecord, setDeleted } from './records.repository.js';
import { referencesTo, withRefs } from './refs.js';
import { recordView } from './views.js';
import { missing, RETENTION_DAYS, restorableUntil, versionConflict } from './write.js';

interface LifecycleInput {
  confirm?: string;
  version?: number;
  expected_version?: number;
}

const plural = (n: number, table: string) =>
  `${n} ${n === 1 ? table.replace(/ies$/, 'y').replace(/s$/, '') : table}`;

async function askConfirmation(
  ctx: OperationContext,
  kind: Pick<RecordKind, 'kind' | 'table' | 'path'>,
  current: { id: string; version: number },
  refused: string | null,
): Promise<AppError> {
  const handle = handleOf(kind, current.id);
  const impact = await referencesTo(ctx.ws, kind.table, current.id);
  const { token, expiresAt } = await issueConfirmation(ctx, { target: handle, version: current.version });
  const url = `${kind.path}/${current.id}?confirm=${token}`;
  const refs = Object.entries(impact).map(([table, n]) => plural(n, table));
  const message =
    (refused ? `${refused}; ` : '') +
    `deleting ${handle} needs confirmation` +
    (refs.length ? `; referred to by ${refs.join(', ')}` : '');
  return new AppError(
    'confirmation_required',
    message,
    `confirm with your user, then repeat: DELETE ${url} (within ${CONFIRM_TTL_MINUTES} minutes); ` +
      `it stays restorable for ${RETENTION_DAYS} days with POST ${kind.path}/${current.id}/restore`,
    {
      data: {
        target: handle,
        confirm_token: token,
        confirm_url: url,
        method: 'DELETE',
        expires_at: expiresAt,
        referenced_by: impact,
        restorable_days: RETENTION_DAYS,
      },
    },
  );
}

/** `<kind>s.delete` (two-step, soft) and `<kind>s.restore` for one record kind. */
export function lifecycleOperations<T extends RecordTable, R extends { version: number }>(
  kind: RecordKind<T, R>,
  options: { deletePolicy?: RecordPolicy } = {},
): AnyOperation[] {
  const idInput = { [kind.idField]: idRef(kind.prefix) };
  const idOf = (input: Record<string, unknown>) => input[kind.idField] as string;

  const remove = defineOperation({
    name: `${kind.table}.delete`,
    ...(options.deletePolicy ? { policy: options.deletePolicy, approval: 'sometimes' as const } : {}),
    summary: `Delete a ${kind.kind} in two steps: the first call answers confirmation_required with a token; repeat with ?confirm=<token>.`,
    description:
      `Deleted ${kind.table} are hidden and restorable for ${RETENTION_DAYS} days (POST ${kind.path}/{id}/restore). ` +
      'Records that refer to it keep the reference and list it in deleted_refs; the token is bound to this record, ' +
      `its version and your token, and expires in ${CONFIRM_TTL_MINUTES} minutes.`,
    http: { method: 'DELETE', path: `${kind.path}/:${kind.idField}` },
    scope: 'write',
    mutating: true,
    input: z.strictObject({ ...idInput, confirm: z.string().max(200).optional(), ...versionInput }),
    async handler(ctx, input: Record<string, unknown> & LifecycleInput) {
      const id = idOf(input);
      const current = await loadRecord(ctx, kind.table, id);
      if (!current) throw await missing(ctx, kind, id);
      const expected = expectedVersion(input);
      if (expected !== undefined && expected !== current.version) {
        throw await versionConflict(ctx, kind, current, expected);
      }
      const handle = handleOf(kind, id);
      let refused: string | null = null;
      const remove = async () => {
        const row = await setDeleted(ctx.ws, kind.table, id, ctx.now, ctx.now, current.version);
        afterWrite(ctx, kind.table);
        if (!row) throw new AppError('conflict', `${handle} changed during the request`, 'retry the delete');
        ctx.audit({ target: handle, changes: { deleted_at: [null, ctx.now] }, version: row.version });
        if (isCapped(kind.table)) await releasePlanUsage(ctx, kind.table);
        const [record] = await withRefs(ctx.ws, kind.table, [row], kind.toRecord);
        const until = restorableUntil(ctx.now);
        return recordResult(
          { ...record!, deleted_at: ctx.now, restorable_until: until },
          { meta: ['# deleted', `# restore: POST ${kind.path}/${id}/restore (until ${until})`] },
        );
      };
      // A human's approval of the delete stands in for the confirm token.
      if (ctx.approval) return remove();
      if (input.confirm !== undefined) {
        const check = await checkConfirmation(
          ctx,
          { target: handle, version: current.version },
          input.confirm,
        );
        if (check === 'valid') return remove();
        refused =
          check === 'expired'
            ? 'the confirm token expired'
            : 'the confirm token is not valid for this record, its current version and your token';
      }
      throw await askConfirmation(ctx, kind, current, refused);
    },
  });

  const restore = defineOperation({
    name: `${kind.table}.restore`,
    view: recordView(kind.table),
    summary: `Restore a deleted ${kind.kind} (within ${RETENTION_DAYS} days of its deletion).`,
    http: { method: 'POST', path: `${kind.path}/:${kind.idField}/restore` },
    scope: 'write',
    mutating: true,
    input: z.strictObject(idInput),
    async handler(ctx, input: Record<string, unknown>) {
      const id = idOf(input);
      const handle = handleOf(kind, id);
      const row = await findRecord(ctx.ws, kind.table, id, 'any');
      if (!row || (row as { erased_at?: string | null }).erased_at) throw await missing(ctx, kind, id);
      if (!row.deleted_at) {
        const [record] = await withRefs(ctx.ws, kind.table, [row], kind.toRecord);
        return recordResult(record!, { meta: ['# unchanged: not deleted'] });
      }
      if (restorableUntil(row.deleted_at) <= ctx.now) throw await missing(ctx, kind, id);
      const value = kind.unique ? (row as unknown as Record<string, unknown>)[kind.unique] : null;
      const holder = value ? await findLiveBy(ctx.ws, kind.table, kind.unique!, value) : undefined;
      if (holder) {
        throw new AppError(
          'conflict',
          `cannot restore ${handle}: its ${kind.unique} ${String(value)} now belongs to ${handleOf(kind, holder.id)}`,
          `update ${handleOf(kind, holder.id)} instead, or change its ${kind.unique} (PATCH ${kind.path}/${holder.id}) and retry the restore`,
          { details: { holder: handleOf(kind, holder.id) } },
        );
      }
      if (isCapped(kind.table)) await chargePlanUsage(ctx, kind.table);
      const restored = await setDeleted(ctx.ws, kind.table, id, null, ctx.now, row.version);
      afterWrite(ctx, kind.table, restored as { id: string; deleted_at: string | null } | undefined);
      if (!restored)
        throw new AppError('conflict', `${handle} changed during the request`, 'retry the restore');
      ctx.audit({
        target: handle,
        changes: { deleted_at: [row.deleted_at, null] },
        version: restored.version,
      });
      const [record] = await withRefs(ctx.ws, kind.table, [restored], kind.toRecord);
      return recordResult(record!, { meta: ['# restored'] });
    },
  });

  return [remove, restore];
}
