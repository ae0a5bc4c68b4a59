import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Column types shared by the migrations. On PostgreSQL text columns use the "C" collation, so
 * sorting and range comparisons are bytewise — exactly what SQLite does — and both databases
 * return the same rows in the same order.
 */
export function columnTypes(db: Kysely<unknown>) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return {
    postgres,
    text: postgres ? sql`text collate "C"` : sql`text`,
  };
}
