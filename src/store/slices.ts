/**
 * Splits rows for multi-row INSERTs so that no statement binds more than ~30,000 values
 * (SQLite's limit is 32,766, PostgreSQL's 65,535).
 */
export function slices<T extends object>(rows: T[]): T[][] {
  if (rows.length === 0) return [];
  const size = Math.max(1, Math.floor(30_000 / Object.keys(rows[0]!).length));
  const out: T[][] = [];
  for (let start = 0; start < rows.length; start += size) out.push(rows.slice(start, start + size));
  return out;
}
