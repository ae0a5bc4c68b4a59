/**
 * The plain-text rendering: one line per record, beginning with its handle, then `key=value`
 * pairs. Every line stands alone, so `grep` works on any response.
 */

// Control characters are matched too: \s covers tabs and newlines, \p{Cc} the rest.
const NEEDS_QUOTES = /[\s"=\\,#\p{Cc}]|^$/u;

export function textValue(value: string): string {
  return NEEDS_QUOTES.test(value) ? JSON.stringify(value) : value;
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return textValue(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return textValue(JSON.stringify(value));
}

// Absent (null) values are left out; false is a value, shown as JSON shows it (do_not_contact=false).
function pairs(key: string, value: unknown, out: string[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    if (value.length === 0) return;
    const simple = value.every((v) => typeof v === 'string' && !NEEDS_QUOTES.test(v));
    out.push(`${key}=${simple ? value.join(',') : textValue(JSON.stringify(value))}`);
    return;
  }
  if (typeof value === 'object') {
    for (const [inner, innerValue] of Object.entries(value)) pairs(`${key}.${inner}`, innerValue, out);
    return;
  }
  out.push(`${key}=${scalar(value)}`);
}

/** `contact/c_… name="Jane Doe" email=jane@acme.com tags=vip,renewal custom.tier=gold` */
export function recordLine(record: Record<string, unknown>): string {
  return recordLines(record)[0]!;
}

const isRecordList = (value: unknown): value is Record<string, unknown>[] =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.every((item) => item && typeof item === 'object' && typeof item.handle === 'string');

/**
 * The record's line, then one indented line per related record it carries in a list
 * (`expand=open_deals`): `  open_deals deal/d_… title=Renewal status=open`.
 */
function recordLines(record: Record<string, unknown>): string[] {
  const out: string[] = [];
  const related: string[] = [];
  if (typeof record.handle === 'string') out.push(record.handle);
  for (const [key, value] of Object.entries(record)) {
    if (key === 'handle' || (key === 'id' && typeof record.handle === 'string')) continue;
    if (isRecordList(value)) related.push(...value.map((item) => `  ${key} ${recordLine(item)}`));
    else pairs(key, value, out);
  }
  return [out.join(' '), ...related];
}

/** Record lines for whatever an operation returned: one record, a list, or a plain object. */
export function dataLines(data: unknown): string[] {
  if (data === null || data === undefined) return [];
  if (Array.isArray(data)) {
    return data.flatMap((item) =>
      item && typeof item === 'object' && !Array.isArray(item)
        ? recordLines(item as Record<string, unknown>)
        : [dataLines(item).join(' ')],
    );
  }
  if (typeof data === 'object') return recordLines(data as Record<string, unknown>);
  return [scalar(data)];
}
