import { z } from 'zod';
import { textValue } from '../answer/text.js';
import { type HistoryPosition, recordHistory } from '../audit/audit.repository.js';
import { AppError, notFound } from '../errors.js';
import { type AnyOperation, defineOperation, type Warning } from '../operations/define.js';
import type { AuditLogTable } from '../store/schema.js';
import { idRef } from './fields.js';
import { handleOf, type RecordKind } from './kind.js';
import { decodeCursor, encodeCursor, queryFingerprint } from './query/cursor.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from './query/parse.js';
import { findRecord } from './records.repository.js';

/** tags and custom are stored as JSON text; history shows them as the values they are. */
export function shown(field: string, value: unknown): unknown {
  if ((field === 'tags' || field === 'custom') && typeof value === 'string') {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

export function toHistoryEntry(row: AuditLogTable) {
  const changes = JSON.parse(row.changes ?? '{}') as Record<string, [unknown, unknown]>;
  return {
    handle: `audit/${row.id}`,
    id: row.id,
    at: row.at,
    actor: row.actor_type === 'system' ? row.actor_id : `${row.actor_type}/${row.actor_id}`,
    token_id: row.token_id,
    token_name: row.token_name,
    operation: row.operation,
    tool_name: row.tool_name,
    version: row.record_version === null ? null : Number(row.record_version),
    changes: Object.fromEntries(
      Object.entries(changes).map(([field, [before, after]]) => [
        field,
        { before: shown(field, before), after: shown(field, after) },
      ]),
    ),
    reason: row.reason,
    request_id: row.request_id,
    operation_id: row.operation_id,
    reverts: row.reverts ? (JSON.parse(row.reverts) as string[]) : null,
  };
}

type Entry = ReturnType<typeof toHistoryEntry>;

/** A changed value on a text line: tags as `a,b`, texts bare or JSON-quoted, null as `null`. */
export function textOf(field: string, value: unknown): string {
  const shownValue = shown(field, value);
  if (shownValue === null || shownValue === undefined) return 'null';
  if (typeof shownValue === 'string') return textValue(shownValue);
  if (Array.isArray(shownValue) && shownValue.length > 0 && shownValue.every((v) => typeof v === 'string')) {
    const joined = shownValue.join(',');
    if (!/[\s"=\\#]/.test(joined)) return joined;
  }
  if (typeof shownValue === 'object') return textValue(JSON.stringify(shownValue));
  return String(shownValue);
}

/** `field:before→after`; custom fields one key each (`custom.tier:silver→gold`), as records show them. */
export function changeText(field: string, before: unknown, after: unknown): string[] {
  const b = shown(field, before);
  const a = shown(field, after);
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v === null || (typeof v === 'object' && !Array.isArray(v));
  if (field === 'custom' && isObject(b) && isObject(a)) {
    const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
    return keys
      .filter((key) => JSON.stringify(b?.[key] ?? null) !== JSON.stringify(a?.[key] ?? null))
      .map((key) => `custom.${key}:${textOf('', b?.[key])}→${textOf('', a?.[key])}`);
  }
  return [`${field}:${textOf(field, before)}→${textOf(field, after)}`];
}

/** `audit/aud_… at=… actor=agent/agt_… operation=contacts.update version=3 stage:lead→won` */
function historyLine(entry: Entry): string {
  const parts = [entry.handle, `at=${entry.at}`, `actor=${entry.actor}`];
  if (entry.token_name) parts.push(`token=${textValue(entry.token_name)}`);
  parts.push(`operation=${entry.operation}`);
  if (entry.version !== null) parts.push(`version=${entry.version}`);
  for (const [field, { before, after }] of Object.entries(entry.changes)) {
    parts.push(...changeText(field, before, after));
  }
  if (entry.reason) parts.push(`reason=${textValue(entry.reason)}`);
  parts.push(`request_id=${entry.request_id}`);
  if (entry.operation_id) parts.push(`operation_id=${entry.operation_id}`);
  if (entry.reverts) parts.push(`reverts=${entry.reverts.map((id) => `audit/${id}`).join(',')}`);
  return parts.join(' ');
}

/** A history cursor's position: `value` holds the entry's time and record version. */
function positionOf(cursor: { value: unknown; id: string }): HistoryPosition {
  const [at, version] = String(cursor.value).split('|');
  const parsed = Number(version);
  if (!at || !Number.isInteger(parsed)) {
    throw new AppError(
      'invalid_cursor',
      'the cursor is not one this history issued',
      'repeat the request without cursor=',
    );
  }
  return { at, version: parsed, id: cursor.id };
}

/** `<kind>s.history`: the field-level history of one record, from the audit log. */
export function historyOperation(kind: RecordKind): AnyOperation {
  return defineOperation({
    name: `${kind.table}.history`,
    summary: `Field-level history of a ${kind.kind}, newest first: who changed which field from what to what, when, and how.`,
    description:
      'One entry per applied change: at, actor (agent/… or user/…), token_name, operation (and tool_name), the ' +
      'record version it produced, changes field → {before, after}, reason, request_id, and operation_id when a ' +
      'background operation (batch, bulk change, CSV import) made it. Deleted records keep their history. Undo an ' +
      'entry with operations.revert (POST /audit/{id}/revert), a whole request with request_id, a background ' +
      'operation with operation_id. Pages with limit= and cursor=.',
    http: { method: 'GET', path: `${kind.path}/:${kind.idField}/history` },
    scope: 'read',
    mutating: false,
    input: z.strictObject({
      [kind.idField]: idRef(kind.prefix),
      limit: z.coerce.number().int().min(1, 'limit is at least 1').default(DEFAULT_LIMIT),
      cursor: z.string().max(2000).optional(),
    }),
    async handler(ctx, raw: Record<string, unknown>) {
      const input = raw as Record<string, unknown> & { limit: number; cursor?: string };
      const id = input[kind.idField] as string;
      const handle = handleOf(kind, id);
      if (!(await findRecord(ctx.ws, kind.table, id, 'any'))) throw notFound(handle);
      const warnings: Warning[] = [];
      const limit = Math.min(input.limit, MAX_LIMIT);
      if (input.limit > MAX_LIMIT) {
        warnings.push({
          code: 'limit_clamped',
          message: `limit ${input.limit} is above the maximum; returned ${MAX_LIMIT}`,
        });
      }
      const fingerprint = queryFingerprint({ history: handle });
      const rows = await recordHistory(
        ctx.ws,
        handle,
        input.cursor ? positionOf(decodeCursor(input.cursor, fingerprint)) : undefined,
        limit + 1,
      );
      const more = rows.length > limit;
      if (more) rows.length = limit;
      const last = rows.at(-1);
      const data = rows.map(toHistoryEntry);
      return {
        data,
        text: data.map(historyLine),
        nextCursor:
          more && last
            ? encodeCursor(
                { value: `${last.at}|${Number(last.record_version ?? 0)}`, id: last.id },
                fingerprint,
              )
            : null,
        warnings,
      };
    },
  });
}
