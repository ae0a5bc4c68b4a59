import { AppError } from '../errors.js';
import type { WorkspaceDb } from '../store/scoped.js';
import type { Warning } from './warning-codes.js';

/** What a caller asked to see of the records in an answer: `fields=` and `expand=`. */
export interface Projection {
  fields?: string[];
  expand?: string[];
}

/** The parameters as sent: a comma-separated text (query string) or a list of names (tool input). */
export interface RawProjection {
  fields?: unknown;
  expand?: unknown;
}

/**
 * How an operation's records can be projected and expanded beyond their own fields: relation
 * fields (`company.name`) and expansions (`open_deals`), read in the caller's workspace.
 * Operations that answer with CRM records declare one (src/records/views.ts builds them).
 */
export interface RecordView {
  /** The handle prefix of the records the view applies to: `contact`. */
  kind: string;
  /** The names `fields=` accepts, for catalogs and hints: `name`, `custom.<key>`, `company.<field>`. */
  fields: readonly string[];
  /** The names `expand=` accepts. */
  expansions: readonly string[];
  /** How many records a list expansion carries per record at most. */
  listLimit: number;
  /** Refuses names the view does not know (invalid_input, with the valid names as the hint). */
  check(projection: Projection): void;
  /** The records of the view's kind in `data` (one record or a list), projected and expanded. */
  shape(ws: WorkspaceDb, data: unknown, projection: Projection): Promise<unknown>;
}

const NAME = /^[a-z_][a-z0-9_]*(\.[A-Za-z0-9_-]+){0,2}$/;
export const MAX_NAMES = 50;

function names(param: 'fields' | 'expand', value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const parts =
    typeof value === 'string'
      ? value.split(',')
      : Array.isArray(value) && value.every((item) => typeof item === 'string')
        ? value.flatMap((item: string) => item.split(','))
        : null;
  const example = param === 'fields' ? 'name,email,company.name' : 'company,open_deals';
  if (!parts) {
    throw new AppError(
      'invalid_input',
      `${param}: a comma-separated text or a list of names`,
      `send ${param}=${example} (or "${param}": ${JSON.stringify(example.split(','))} in a tool call)`,
    );
  }
  const list = [...new Set(parts.map((part) => part.trim()).filter((part) => part !== ''))];
  if (list.length === 0) return undefined;
  const bad = list.filter((name) => !NAME.test(name));
  if (bad.length || list.length > MAX_NAMES) {
    throw new AppError(
      'invalid_input',
      `${param}: ${bad.length ? `${bad.map((name) => JSON.stringify(name)).join(', ')} ${bad.length > 1 ? 'are not names' : 'is not a name'}` : `at most ${MAX_NAMES} names`}`,
      `send a comma-separated list such as ${param}=${example}`,
    );
  }
  return list;
}

/**
 * Takes `fields` and `expand` out of a tool input (they steer the answer, never the operation),
 * falling back to the transport's (`?fields=`, `?expand=`, X-Fields).
 */
export function takeProjection(
  rawInput: unknown,
  transport: RawProjection = {},
): { input: unknown; projection: Projection | null } {
  let input = rawInput;
  let sent: RawProjection = {};
  if (
    input &&
    typeof input === 'object' &&
    !Array.isArray(input) &&
    ('fields' in input || 'expand' in input)
  ) {
    const { fields, expand, ...rest } = input as Record<string, unknown>;
    sent = { fields, expand };
    input = rest;
  }
  const fields = names('fields', sent.fields ?? transport.fields);
  const expand = names('expand', sent.expand ?? transport.expand);
  if (!fields && !expand) return { input, projection: null };
  return { input, projection: { ...(fields ? { fields } : {}), ...(expand ? { expand } : {}) } };
}

/** A record as answers carry it: an object with a handle. */
export type AnswerRecord = Record<string, unknown> & { handle: string };

export const isRecord = (value: unknown): value is AnswerRecord =>
  Boolean(value) &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  typeof (value as { handle?: unknown }).handle === 'string';

/** The asked-for fields of a record (plus handle and id): `name`, `custom.tier`. */
export function pick(record: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['handle', 'id']) if (key in record) out[key] = record[key];
  for (const name of fields) {
    const [head, sub] = name.split('.') as [string, string | undefined];
    const value = record[head];
    if (sub === undefined) {
      if (head in record) out[head] = value;
    } else if (value && typeof value === 'object' && sub in value) {
      out[head] = { ...(out[head] as object), [sub]: (value as Record<string, unknown>)[sub] };
    }
  }
  return out;
}

/**
 * `fields=` on an answer without a record view (whoami, proposals, jobs …): keeps the named
 * fields of its records. Names no record has come back as a warning, never as an error: the
 * answer may follow a write that already happened.
 */
export function projectPlain(data: unknown, fields: readonly string[]): { data: unknown; warning?: Warning } {
  const records = Array.isArray(data) ? data.filter(isRecord) : isRecord(data) ? [data] : [];
  if (records.length === 0) return { data };
  const known = new Set(records.flatMap((record) => Object.keys(record)));
  const unknown = fields.filter((name) => !known.has(name.split('.')[0]!));
  const projected = Array.isArray(data)
    ? data.map((item) => (isRecord(item) ? pick(item, fields) : item))
    : pick(data as Record<string, unknown>, fields);
  if (!unknown.length) return { data: projected };
  return {
    data: projected,
    warning: {
      code: 'fields_unknown',
      message: `not on these records: ${unknown.join(', ')}; fields are ${[...known].filter((key) => key !== 'handle').join(', ')}`,
    },
  };
}
