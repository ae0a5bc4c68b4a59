import { type RawBuilder, sql } from 'kysely';

/**
 * Everything that differs between SQLite and PostgreSQL lives behind these named capabilities,
 * so domain code never branches on the database.
 */
export interface DialectCapabilities {
  readonly name: 'sqlite' | 'postgres';
  /** The text value of `key` inside a JSON-text column, or NULL. */
  jsonText(column: string, key: string): RawBuilder<string | null>;
  /** True when the JSON-text array column contains `value` as an element. */
  jsonArrayContains(column: string, value: string): RawBuilder<boolean>;
}

export const sqliteCapabilities: DialectCapabilities = {
  name: 'sqlite',
  jsonText: (column, key) => sql<string | null>`json_extract(${sql.ref(column)}, ${`$."${key}"`})`,
  jsonArrayContains: (column, value) =>
    sql<boolean>`exists (select 1 from json_each(${sql.ref(column)}) where json_each.value = ${value})`,
};

export const postgresCapabilities: DialectCapabilities = {
  name: 'postgres',
  jsonText: (column, key) => sql<string | null>`(${sql.ref(column)}::jsonb ->> ${key})`,
  jsonArrayContains: (column, value) => sql<boolean>`(${sql.ref(column)}::jsonb ? ${value})`,
};
