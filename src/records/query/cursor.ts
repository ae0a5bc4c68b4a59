import { createHash } from 'node:crypto';
import { AppError } from '../../errors.js';

/** Where the previous page ended: the sort value and id of its last row. */
export interface CursorPosition {
  value: string | number | null;
  id: string;
}

/** A fingerprint of the query a cursor belongs to, so it cannot be replayed against another. */
export function queryFingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 12);
}

export function encodeCursor(position: CursorPosition, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ v: position.value, i: position.id, q: fingerprint })).toString(
    'base64url',
  );
}

const invalid = (message: string) =>
  new AppError(
    'invalid_cursor',
    message,
    'repeat the first request without cursor=, keeping the other parameters, and follow "# next:" from there',
  );

export function decodeCursor(cursor: string, fingerprint: string): CursorPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('the cursor is not one this server issued');
  }
  if (!parsed || typeof parsed !== 'object') throw invalid('the cursor is not one this server issued');
  const { v, i, q } = parsed as Record<string, unknown>;
  const validValue = v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
  if (typeof i !== 'string' || typeof q !== 'string' || !validValue) {
    throw invalid('the cursor is not one this server issued');
  }
  if (q !== fingerprint) {
    throw invalid('the cursor belongs to a query with other filters, search or sort');
  }
  return { value: v as CursorPosition['value'], id: i };
}
