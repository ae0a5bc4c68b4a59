const NOISE = new Set(['created_at', 'updated_at', 'version']);
const LONG_TEXT = 300;

/**
 * Drops what a reader of a brief does not need (null and empty values, timestamps of the row
 * itself) and shortens long texts, so more of the relationship fits in a prompt.
 */
export function compact(
  record: object,
  keep: readonly string[] = [],
): Record<string, unknown> & { handle: string } {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === null || value === undefined || (NOISE.has(key) && !keep.includes(key))) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    out[key] =
      typeof value === 'string' && value.length > LONG_TEXT ? `${value.slice(0, LONG_TEXT - 1)}…` : value;
  }
  return out as Record<string, unknown> & { handle: string };
}
