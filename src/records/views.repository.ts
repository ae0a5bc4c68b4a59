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
  /** Whether the children can be soft-deleted (have deleted_at). */
  deletable: boolean;
  /** The children's owners (`contact_id` → contacts): a child of a deleted owner is hidden. */
  owners?: readonly { column: string; table: string }[];
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
    if (spec.deletable) q = q.where(`${table}.deleted_at`, 'is', null);
    // Owned rows (a contact's activities) stay hidden while their owner is deleted, as in their lists.
    for (const owner of spec.owners ?? []) {
      // biome-ignore lint/suspicious/noExplicitAny: the expression builder of a loosened query
      q = q.where(({ exists, selectFrom }: any) =>
        exists(
          selectFrom(owner.table)
            .select(`${owner.table}.id`)
            .whereRef(`${owner.table}.workspace_id`, '=', `${table}.workspace_id`)
            .whereRef(`${owner.table}.id`, '=', `${table}.${owner.column}`)
            .where(`${owner.table}.deleted_at`, 'is', null),
        ),
      );
    }
    return q;
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
