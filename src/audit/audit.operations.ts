import { z } from 'zod';
import { defineOperation, type Warning } from '../operations/define.js';
import { timestamp } from '../records/fields.js';
import { decodeCursor, encodeCursor, queryFingerprint } from '../records/query/cursor.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../records/query/parse.js';
import type { AuditLogTable } from '../store/schema.js';
import { listAudit } from './audit.repository.js';

/** Handle kinds by id prefix, so `target=c_…` means `contact/c_…`. */
const KIND_BY_PREFIX: Record<string, string> = {
  c: 'contact',
  co: 'company',
  d: 'deal',
  a: 'activity',
  t: 'task',
  agt: 'agent',
  usr: 'user',
};

const target = z
  .string()
  .trim()
  .max(200)
  .transform((value) => {
    if (value.includes('/')) return value;
    const kind = KIND_BY_PREFIX[value.slice(0, value.indexOf('_'))];
    return kind ? `${kind}/${value}` : value;
  })
  .pipe(z.string().regex(/^[a-z]+\/[0-9a-z_][0-9a-z_.]*$/, 'a handle such as contact/c_… (or its id)'));

const actor = z
  .string()
  .trim()
  .transform((value) => value.replace(/^(agent|user)\//, ''))
  .pipe(
    z.string().regex(/^((agt|usr)_[0-9a-z]{16}|system)$/, 'an agent or person id (agt_…, usr_…) or system'),
  );

const operation = z
  .string()
  .trim()
  .regex(
    /^[a-z_]+(\.[a-z_]+)*(\.\*)?$/,
    'an operation name such as contacts.update, or a prefix such as contacts.*',
  );

export function toAuditRecord(row: AuditLogTable) {
  const changes = JSON.parse(row.changes ?? 'null') as Record<string, [unknown, unknown]> | null;
  return {
    handle: `audit/${row.id}`,
    id: row.id,
    at: row.at,
    actor_type: row.actor_type,
    actor_id: row.actor_id,
    token_id: row.token_id,
    token_name: row.token_name,
    operation: row.operation,
    tool_name: row.tool_name,
    target: row.target,
    record_version: row.record_version === null ? null : Number(row.record_version),
    changes: changes
      ? Object.fromEntries(
          Object.entries(changes).map(([field, [before, after]]) => [field, { before, after }]),
        )
      : null,
    reason: row.reason,
    request_id: row.request_id,
    idempotency_key: row.idempotency_key,
    policy_decision: row.policy_decision,
    reason_code: row.reason_code,
    operation_id: row.operation_id,
    reverts: row.reverts ? (JSON.parse(row.reverts) as string[]) : null,
  };
}

export const listAuditOperation = defineOperation({
  name: 'audit.list',
  summary: 'The workspace audit log, newest first: ?actor=&operation=&target=&since=&limit=&cursor=.',
  description:
    'One entry per change: who (actor, token), what (operation, target handle, changed fields before/after, ' +
    'record_version), why (reason), and the request id, idempotency key and policy decision. operation takes an ' +
    'exact name or a prefix such as contacts.*; since is RFC3339.',
  http: { method: 'GET', path: '/audit' },
  scope: 'read',
  mutating: false,
  input: z.strictObject({
    actor: actor.optional(),
    operation: operation.optional(),
    target: target.optional(),
    since: timestamp.optional(),
    limit: z.coerce.number().int().min(1, 'limit is at least 1').default(DEFAULT_LIMIT),
    cursor: z.string().max(2000).optional(),
  }),
  async handler(ctx, { limit: asked, cursor, ...filters }) {
    const warnings: Warning[] = [];
    const limit = Math.min(asked, MAX_LIMIT);
    if (asked > MAX_LIMIT) {
      warnings.push({
        code: 'limit_clamped',
        message: `limit ${asked} is above the maximum; returned ${MAX_LIMIT}`,
      });
    }
    const fingerprint = queryFingerprint({ audit: filters });
    const rows = await listAudit(
      ctx.ws,
      {
        actorId: filters.actor,
        operation: filters.operation?.replace(/\*$/, ''),
        target: filters.target,
        since: filters.since,
        before: cursor ? decodeCursor(cursor, fingerprint).id : undefined,
      },
      limit + 1,
    );
    const more = rows.length > limit;
    if (more) rows.length = limit;
    const last = rows.at(-1);
    const nextCursor = more && last ? encodeCursor({ value: null, id: last.id }, fingerprint) : null;
    return { data: rows.map(toAuditRecord), nextCursor, warnings };
  },
});
