import { type RawBuilder, sql } from 'kysely';
import type { TenantTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';
import type { RecordTable } from './kind.js';

// The table is a parameter, which defeats Kysely's column inference (as in records.repository.ts).
// biome-ignore lint/suspicious/noExplicitAny: see above
const loose = (builder: unknown) => builder as any;

/** The live records of `table` among these ids, in one query. */
export async function liveByIds(
  ws: WorkspaceDb,
  table: RecordTable,
  ids: readonly string[],
): Promise<Record<string, unknown>[]> {
  if (ids.length === 0) return [];
  return loose(ws.selectFrom(table))
    .selectAll()
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .execute();
}

export interface OrderTerm {
  column: string;
  desc?: boolean;
  /** Rows without a value come after the others (in both directions). */
  nullsLast?: boolean;
}

/** Which rows of `table` belong to a parent: `deals` whose `contact_id` is the contact, and open. */
export interface ChildrenSpec {
  table: string;
  /** The column that points at the parent. */
  column: string;
  /** Equalities every child must meet (`status = open`). */
  where?: Record<string, string>;
  order: readonly OrderTerm[];
}

const orderSql = (alias: string, terms: readonly OrderTerm[]): RawBuilder<unknown> =>
  sql.join(
    terms.flatMap((term) => {
      const ref = sql.ref(`${alias}.${term.column}`);
      const direction = sql.raw(term.desc ? 'desc' : 'asc');
      return term.nullsLast
        ? [sql`(${ref} is null) asc`, sql`${ref} ${direction}`]
        : [sql`${ref} ${direction}`];
    }),
  );

/**
 * The first `limit` live children of each parent, in one query for all parents: the rows are
 * numbered per parent with a window function and cut in the database, so a parent with
 * thousands of children costs no more than `limit` rows. Ordered by parent, then `order`.
 */
export async function firstChildren(
  ws: WorkspaceDb,
  spec: ChildrenSpec,
  parentIds: readonly string[],
  limit: number,
): Promise<Record<string, unknown>[]> {
  if (parentIds.length === 0) return [];
  const { column } = spec;
  const table = spec.table as TenantTable;
  const live = (query: unknown) => {
    let q = loose(query).where(`${table}.${column}`, 'in', parentIds);
    for (const [key, value] of Object.entries(spec.where ?? {})) q = q.where(`${table}.${key}`, '=', value);
    if (table !== 'activities') return q.where(`${table}.deleted_at`, 'is', null);
    // Activities belong to their contact: those of a deleted contact stay hidden (as in /activities).
    // biome-ignore lint/suspicious/noExplicitAny: the expression builder of a loosened query
    return q.where(({ exists, selectFrom }: any) =>
      exists(
        selectFrom('contacts')
          .select('contacts.id')
          .whereRef('contacts.workspace_id', '=', 'activities.workspace_id')
          .whereRef('contacts.id', '=', 'activities.contact_id')
          .where('contacts.deleted_at', 'is', null),
      ),
    );
  };
  const numbered = live(ws.selectFrom(table)).select([
    `${table}.id as child_id`,
    sql<number>`row_number() over (partition by ${sql.ref(`${table}.${column}`)} order by ${orderSql(table, spec.order)})`.as(
      'position',
    ),
  ]);
  return (
    loose(ws.selectFrom(table))
      .selectAll(table)
      // biome-ignore lint/suspicious/noExplicitAny: the expression builder of a loosened query
      .where(`${table}.id`, 'in', (eb: any) =>
        eb
          .selectFrom(numbered.as('numbered'))
          .select('numbered.child_id')
          .where('numbered.position', '<=', limit),
      )
      .orderBy(sql.ref(`${table}.${column}`))
      .orderBy(orderSql(table, spec.order))
      .execute()
  );
}
