import { type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Warning } from '../operations/define.js';
import type { DialectCapabilities } from '../store/dialect.js';
import { type CursorPosition, decodeCursor, encodeCursor, queryFingerprint } from './cursor.js';
import {
  type Condition,
  DEFAULT_LIMIT,
  MAX_LIMIT,
  parseFilters,
  parseSort,
  type ResourceSpec,
  type Sort,
} from './parse.js';

export interface ListParams {
  where?: Record<string, string | string[]>;
  search?: string;
  sort?: string;
  limit?: number;
  cursor?: string;
}

export interface ListPage<Row> {
  rows: Row[];
  nextCursor: string | null;
  warnings: Warning[];
}

/** How a resource answers `search=`: a predicate over its table (FTS or LIKE, per dialect). */
export type SearchPredicate = (term: string) => RawBuilder<boolean>;

function column(table: string, condition: Pick<Condition, 'field' | 'custom'>, dialect: DialectCapabilities) {
  if (condition.custom) return dialect.jsonText(`${table}.custom`, condition.field.slice('custom.'.length));
  return sql.ref(`${table}.${condition.field}`);
}

const COMPARE = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function likePattern(value: string): string {
  const escaped = value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  const withWildcards = escaped.replace(/\*/g, '%');
  return withWildcards.includes('%') ? withWildcards : `%${withWildcards}%`;
}

function conditionSql(table: string, c: Condition, dialect: DialectCapabilities): RawBuilder<boolean> {
  const col = column(table, c, dialect);
  const tags = c.spec.type === 'tags';
  const has = (value: string | number) => dialect.jsonArrayContains(`${table}.${c.field}`, String(value));
  switch (c.op) {
    case 'null':
      return tags ? sql<boolean>`${col} = '[]'` : sql<boolean>`${col} is null`;
    case 'notnull':
      return tags ? sql<boolean>`${col} <> '[]'` : sql<boolean>`${col} is not null`;
    case 'ne':
      return tags
        ? sql<boolean>`not ${has(c.value)}`
        : sql<boolean>`(${col} is null or ${col} <> ${c.value})`;
    case 'like':
      return sql<boolean>`lower(${col}) like ${likePattern(c.value)} escape '\\'`;
    case 'in':
      return tags
        ? sql<boolean>`(${sql.join(c.values.map(has), sql` or `)})`
        : sql<boolean>`${col} in (${sql.join(c.values)})`;
    case 'notin':
      return tags
        ? sql<boolean>`not (${sql.join(c.values.map(has), sql` or `)})`
        : sql<boolean>`(${col} is null or ${col} not in (${sql.join(c.values)}))`;
    case 'eq':
      if (tags) return has(c.value);
      return sql<boolean>`${col} = ${c.value}`;
    default:
      return sql<boolean>`${col} ${sql.raw(COMPARE[c.op])} ${c.value}`;
  }
}

/** Rows strictly after the cursor position in (sort, id) order; NULL sort values come last. */
function afterCursor(table: string, sort: Sort, position: CursorPosition): RawBuilder<boolean> {
  const col = sql.ref(`${table}.${sort.field}`);
  const id = sql.ref(`${table}.id`);
  const cmp = sql.raw(sort.direction === 'asc' ? '>' : '<');
  if (position.value === null) return sql<boolean>`(${col} is null and ${id} ${cmp} ${position.id})`;
  const after = sql<boolean>`(${col}, ${id}) ${cmp} (${position.value}, ${position.id})`;
  return sort.spec.nullable ? sql<boolean>`(${after} or ${col} is null)` : after;
}

/**
 * One page of a list query: filters, search, sort and a keyset cursor, all validated against the
 * resource's spec. The query must already be restricted to the workspace and to live rows.
 */
export async function listPage<Row extends { id: string }>(
  // biome-ignore lint/suspicious/noExplicitAny: the builder's table type is the caller's concern
  query: SelectQueryBuilder<any, any, Row>,
  table: string,
  spec: ResourceSpec,
  params: ListParams,
  dialect: DialectCapabilities,
  search?: SearchPredicate,
): Promise<ListPage<Row>> {
  const conditions = parseFilters(spec, params.where ?? {});
  const sort = parseSort(spec, params.sort);
  const warnings: Warning[] = [];
  let limit = params.limit ?? DEFAULT_LIMIT;
  if (limit > MAX_LIMIT) {
    warnings.push({
      code: 'limit_clamped',
      message: `limit ${limit} is above the maximum; returned ${MAX_LIMIT}`,
    });
    limit = MAX_LIMIT;
  }
  const term = params.search?.trim() || undefined;
  const fingerprint = queryFingerprint({
    w: Object.entries(params.where ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)),
    s: term ?? null,
    o: `${sort.direction}:${sort.field}`,
  });

  let q = query;
  for (const condition of conditions) q = q.where(conditionSql(table, condition, dialect));
  if (term && search) q = q.where(search(term));
  if (params.cursor) q = q.where(afterCursor(table, sort, decodeCursor(params.cursor, fingerprint)));

  const col = sql.ref(`${table}.${sort.field}`);
  if (sort.spec.nullable) q = q.orderBy(sql`${col} is null`);
  q = q
    .orderBy(col, sort.direction)
    .orderBy(sql.ref(`${table}.id`), sort.direction)
    .limit(limit + 1);

  const rows = (await q.execute()) as Row[];
  const more = rows.length > limit;
  if (more) rows.length = limit;
  const last = rows.at(-1) as (Row & Record<string, unknown>) | undefined;
  const nextCursor =
    more && last
      ? encodeCursor(
          { value: (last[sort.field] as string | number | null) ?? null, id: last.id },
          fingerprint,
        )
      : null;
  return { rows, nextCursor, warnings };
}
