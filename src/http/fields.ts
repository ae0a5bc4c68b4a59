import { AppError } from '../errors.js';

const FIELD = /^[a-z_][a-z0-9_]*(\.[A-Za-z0-9_-]+)?$/;

/** `?fields=name,email,custom.tier` → the names, validated; undefined when not asked for. */
export function parseFields(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const names = value.split(',').map((name) => name.trim());
  const bad = names.filter((name) => !FIELD.test(name));
  if (bad.length || names.length > 50) {
    throw new AppError(
      'invalid_query',
      `fields: ${bad.length ? `"${bad.join('", "')}" ${bad.length > 1 ? 'are not field names' : 'is not a field name'}` : 'at most 50 names'}`,
      'send a comma-separated list such as fields=name,email,custom.tier',
    );
  }
  return names;
}

function pick(record: Record<string, unknown>, names: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['handle', 'id']) if (key in record) out[key] = record[key];
  for (const name of names) {
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

const isRecord = (value: unknown): value is Record<string, unknown> =>
  Boolean(value) && typeof value === 'object' && !Array.isArray(value) && 'handle' in (value as object);

/**
 * Keeps only the asked-for fields (plus handle and id) of the records in an answer, so an agent
 * pays for the tokens it needs. Names no record has come back as a warning, never as an error:
 * the answer may follow a write that already happened.
 */
export function project(
  data: unknown,
  names: string[],
): { data: unknown; warning?: { code: string; message: string } } {
  const records = Array.isArray(data) ? data.filter(isRecord) : isRecord(data) ? [data] : [];
  if (records.length === 0) return { data };
  const known = new Set(records.flatMap((record) => Object.keys(record)));
  const unknown = names.filter((name) => !known.has(name.split('.')[0]!));
  const projected = Array.isArray(data)
    ? data.map((item) => (isRecord(item) ? pick(item, names) : item))
    : pick(data as Record<string, unknown>, names);
  if (!unknown.length) return { data: projected };
  return {
    data: projected,
    warning: {
      code: 'fields_unknown',
      message: `not on these records: ${unknown.join(', ')}; fields are ${[...known].filter((key) => key !== 'handle').join(', ')}`,
    },
  };
}
