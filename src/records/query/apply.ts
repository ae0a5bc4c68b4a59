import { type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { AppError } from '../../errors.js';
import type { WarningCode } from '../../operations/warning-codes.js';
import type { DialectCapabilities } from '../../store/dialect.js';
import { type CursorPosition, decodeCursor, encodeCursor, queryFingerprint } from './cursor.js';
import { likePattern, likeWarnings } from './like.js';
import {
  type Condition,
  type CustomSorts,
  DEFAULT_LIMIT,
  MAX_LIMIT,
  parseFilters,
  parseSort,
  type ResourceSpec,
  type Sort,
} from './parse.js';

/** A warning of a list answer (an operation's Warning, without the field-hold parts). */
export interface Warning {
  code: WarningCode;
  message: string;
}

export interface ListParams {
  where?: Record<string, string | string[]>;
  search?: string;
  sort?: string;
  limit?: number;
  cursor?: string;
  /** The workspace's typed custom keys of this kind that sort= may name (src/objects/). */
  customSorts?: CustomSorts;
}

export interface ListPage<Row> {
  rows: Row[];
  nextCursor: string | null;
  warnings: Warning[];
}

/** What `search=` contributes to a list query: which rows match, and how well (higher first). */
export interface SearchRanking {
  where: RawBuilder<boolean>;
  /** An integer; equal on both databases for the same row and query. Unranked without it. */
  rank?: RawBuilder<number>;
  /** Told to the caller with the page (e.g. a search too broad to rank). */
  warning?: Warning;
}

/** How a resource answers `search=` (src/records/search/search.repository.ts builds one per resource). */
export type SearchHook = (term: string) => Promise<SearchRanking>;

const RANK = 'search_rank';
const SORT_KEY = 'custom_sort_key';
const COMPARE = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
const NUMERIC = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** A typed parameter: numbers compare as numbers on both databases whatever the column's type. */
const param = (value: string | number) =>
  typeof value === 'number' ? sql`cast(${value} as numeric)` : sql`${value}`;

function predicate(alias: string, c: Condition, dialect: DialectCapabilities): RawBuilder<boolean> {
  const { field } = c;
  const column = `${alias}.${field.column}`;
  const col = field.customKey ? dialect.jsonText(column, field.customKey) : sql.ref(column);
  const tags = field.spec.type === 'tags';
  const has = (value: string | number) => dialect.jsonArrayContains(column, String(value));
  switch (c.op) {
    case 'null':
      return tags ? sql<boolean>`${col} = '[]'` : sql<boolean>`${col} is null`;
    case 'notnull':
      return tags ? sql<boolean>`${col} <> '[]'` : sql<boolean>`${col} is not null`;
    case 'ne':
      return tags
        ? sql<boolean>`not ${has(c.value)}`
        : sql<boolean>`(${col} is null or ${col} <> ${param(c.value)})`;
    case 'like':
      return sql<boolean>`${dialect.lowerAscii(col)} like ${likePattern(c.value)} escape '\\'`;
    case 'in':
      return tags
        ? sql<boolean>`(${sql.join(c.values.map(has), sql` or `)})`
        : sql<boolean>`${col} in (${sql.join(c.values.map(param))})`;
    case 'notin':
      return tags
        ? sql<boolean>`not (${sql.join(c.values.map(has), sql` or `)})`
        : sql<boolean>`(${col} is null or ${col} not in (${sql.join(c.values.map(param))}))`;
    case 'eq':
      if (tags) return has(c.value);
      return sql<boolean>`${col} = ${param(c.value)}`;
    default: {
      // A custom value compared with a number compares as a number (only JSON numbers qualify).
      if (field.customKey && typeof c.value === 'string' && NUMERIC.test(c.value)) {
        const number = dialect.jsonNumber(column, field.customKey);
        return sql<boolean>`${number} ${sql.raw(COMPARE[c.op])} ${param(Number(c.value))}`;
      }
      return sql<boolean>`${col} ${sql.raw(COMPARE[c.op])} ${param(c.value)}`;
    }
  }
}

/** A filter on this table's row, or on the live related row for one-hop fields. */
function conditionSql(table: string, c: Condition, dialect: DialectCapabilities): RawBuilder<boolean> {
  const { relation } = c.field;
  if (!relation) return predicate(table, c, dialect);
  const alias = `rel_${relation.table}`;
  return sql<boolean>`exists (select 1 from ${sql.table(relation.table)} as ${sql.raw(alias)}
    where ${sql.ref(`${alias}.workspace_id`)} = ${sql.ref(`${table}.workspace_id`)}
    and ${sql.ref(`${alias}.${relation.references}`)} = ${sql.ref(`${table}.${relation.column}`)}
    and ${sql.ref(`${alias}.deleted_at`)} is null
    and ${predicate(alias, c, dialect)})`;
}

/** The leading sort key: a column, or the search rank; ties are broken by id. */
interface OrderKey {
  expression: RawBuilder<unknown>;
  direction: 'asc' | 'desc';
  idDirection: 'asc' | 'desc';
  nullable: boolean;
  kind: 'string' | 'number' | 'integer';
  /** How the key is named in the row read back. */
  output: string;
}

/** Rows strictly after the cursor position in (key, id) order; NULL keys come last. */
function afterCursor(key: OrderKey, id: RawBuilder<unknown>, position: CursorPosition): RawBuilder<boolean> {
  const cmp = sql.raw(key.direction === 'asc' ? '>' : '<');
  const idCmp = sql.raw(key.idDirection === 'asc' ? '>' : '<');
  const col = key.expression;
  if (position.value === null) return sql<boolean>`(${col} is null and ${id} ${idCmp} ${position.id})`;
  const value = param(position.value);
  const after =
    key.direction === key.idDirection
      ? sql<boolean>`(${col}, ${id}) ${cmp} (${value}, ${position.id})`
      : sql<boolean>`(${col} ${cmp} ${value} or (${col} = ${value} and ${id} ${idCmp} ${position.id}))`;
  return key.nullable ? sql<boolean>`(${after} or ${col} is null)` : after;
}

function checkPosition(key: OrderKey, position: CursorPosition): CursorPosition {
  const { value } = position;
  const fits =
    value === null
      ? key.nullable
      : key.kind === 'string'
        ? typeof value === 'string' && !value.includes('\u0000')
        : typeof value === 'number' && (key.kind === 'number' || Number.isSafeInteger(value));
  if (!fits || position.id.includes('\u0000') || position.id.length > 200) {
    throw new AppError(
      'invalid_cursor',
      'the cursor is not one this server issued',
      'repeat the first request without cursor=, keeping the other parameters, and follow "# next:" from there',
    );
  }
  return position;
}

/** What a sort orders by: the column, or a typed custom key's value (numbers compare as numbers). */
function sortExpression(table: string, sort: Sort, dialect: DialectCapabilities): RawBuilder<unknown> {
  if (!sort.customKey) return sql.ref(`${table}.${sort.field}`);
  return sort.spec.type === 'number'
    ? dialect.jsonNumber(`${table}.custom`, sort.customKey)
    : dialect.jsonText(`${table}.custom`, sort.customKey);
}

function canonicalWhere(where: Record<string, string | string[]>) {
  return Object.entries(where)
    .map(([key, value]) => [key, Array.isArray(value) ? [...value].sort() : [value]] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * One page of a list query: filters, search, sort and a keyset cursor, all validated against the
 * resource's spec. The query must already be restricted to the workspace and to live rows.
 * With `search=` and no `sort=`, rows come best match first (rank, then id); the cursor holds the
 * rank, which depends only on the row and the query, so paging stays exact while data changes.
 */
export async function listPage<Row extends { id: string }>(
  // biome-ignore lint/suspicious/noExplicitAny: the builder's table type is the caller's concern
  query: SelectQueryBuilder<any, any, Row>,
  table: string,
  spec: ResourceSpec,
  params: ListParams,
  dialect: DialectCapabilities,
  search?: SearchHook,
): Promise<ListPage<Row>> {
  const conditions = parseFilters(spec, params.where ?? {});
  const sort = parseSort(spec, params.sort, params.customSorts);
  const warnings: Warning[] = likeWarnings(conditions);
  let limit = params.limit ?? DEFAULT_LIMIT;
  if (limit > MAX_LIMIT) {
    warnings.push({
      code: 'limit_clamped',
      message: `limit ${limit} is above the maximum; returned ${MAX_LIMIT}`,
    });
    limit = MAX_LIMIT;
  }
  const term = params.search?.trim() || undefined;
  if (term && !search) {
    throw new AppError(
      'invalid_query',
      `search= is not available for ${spec.kind}s`,
      'use filters such as name=like:acme instead',
    );
  }
  const ranking = term && search ? await search(term) : undefined;
  if (ranking?.warning) warnings.push(ranking.warning);
  const rank = params.sort === undefined ? ranking?.rank : undefined;
  const byRank = rank !== undefined;

  const id = sql.ref(`${table}.id`);
  const key: OrderKey = rank
    ? {
        expression: rank,
        direction: 'desc',
        idDirection: 'asc',
        nullable: false,
        kind: 'integer',
        output: RANK,
      }
    : {
        expression: sortExpression(table, sort, dialect),
        direction: sort.direction,
        idDirection: sort.direction,
        nullable: sort.spec.nullable,
        kind: sort.spec.type === 'number' ? 'number' : 'string',
        output: sort.customKey ? SORT_KEY : sort.field,
      };
  const fingerprint = queryFingerprint({
    k: spec.kind,
    w: canonicalWhere(params.where ?? {}),
    s: term ?? null,
    o: byRank ? 'rank' : `${sort.direction}:${sort.field}`,
  });

  let q = query;
  for (const condition of conditions) q = q.where(conditionSql(table, condition, dialect));
  if (ranking) q = q.where(ranking.where);
  if (rank) q = q.select(rank.as(RANK));
  // A custom key's value is read back beside the row, for the cursor (numbers as JSON numbers).
  if (sort.customKey && !byRank) q = q.select(key.expression.as(SORT_KEY));
  if (params.cursor) {
    const position = checkPosition(key, decodeCursor(params.cursor, fingerprint));
    q = q.where(afterCursor(key, id, position));
  }
  if (key.nullable) q = q.orderBy(sql`${key.expression} is null`);
  q = q
    .orderBy(key.expression, key.direction)
    .orderBy(id, key.idDirection)
    .limit(limit + 1);

  const rows = (await q.execute()) as (Row & Record<string, unknown>)[];
  const more = rows.length > limit;
  if (more) rows.length = limit;
  const last = rows.at(-1);
  const raw = last?.[key.output] ?? null;
  // PostgreSQL answers numeric as text; the cursor keeps the number.
  const value = raw !== null && key.kind === 'number' && typeof raw === 'string' ? Number(raw) : raw;
  const nextCursor =
    more && last
      ? encodeCursor({ value: value === null ? null : (value as string | number), id: last.id }, fingerprint)
      : null;
  if (byRank) for (const row of rows) delete row[RANK];
  if (sort.customKey) for (const row of rows) delete row[SORT_KEY];
  return { rows, nextCursor, warnings };
}
