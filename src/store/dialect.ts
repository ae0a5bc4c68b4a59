import { type RawBuilder, sql } from 'kysely';
import { POSTGRES_AUDIT_PURGE_SETTING, SQLITE_AUDIT_PURGE_FUNCTION } from './audit-guard.js';
import {
  type SearchIndex,
  type SearchMatch,
  searchMatchPostgres,
  searchMatchSqlite,
} from './search-index.js';

/**
 * Everything that differs between SQLite and PostgreSQL lives behind these named capabilities,
 * so domain code never branches on the database.
 */
export interface DialectCapabilities {
  readonly name: 'sqlite' | 'postgres';
  /**
   * The value of `key` inside a JSON-text column as text, or NULL when absent or JSON null:
   * strings as themselves, other values as their JSON text (`5`, `1.5`, `true`), the same bytes
   * on both databases.
   */
  jsonText(column: string, key: string): RawBuilder<string | null>;
  /** The value of `key` as a number when it is a JSON number, else NULL. */
  jsonNumber(column: string, key: string): RawBuilder<number | null>;
  /** True when the JSON-text array column contains `value` as an element. */
  jsonArrayContains(column: string, value: string): RawBuilder<boolean>;
  /** lower() that folds ASCII letters only, as SQLite's does, whatever the column's collation. */
  lowerAscii(expression: RawBuilder<unknown>): RawBuilder<string>;
  /**
   * 1-based position of `needle` in `haystack`, 0 when absent. Constants are inlined (here and in
   * removeCharacters), so an expression built twice is the same SQL text — PostgreSQL matches a
   * GROUP BY expression to the select list by its text.
   */
  position(haystack: RawBuilder<unknown>, needle: string): RawBuilder<number>;
  /** Removes each of `characters` from the text. */
  removeCharacters(expression: RawBuilder<unknown>, characters: string): RawBuilder<string>;
  /**
   * Appended to a SELECT that picks work to claim: PostgreSQL locks the rows it returns and skips
   * rows another transaction holds (`FOR UPDATE … SKIP LOCKED`), so several processes take
   * different rows; SQLite has one writer at a time, so nothing is needed there.
   */
  skipLocked(alias: string): RawBuilder<unknown>;
  /**
   * A statement that holds a lock named by `key` until the transaction ends, so that transactions
   * taking the same key run their next steps one at a time (PostgreSQL: a transaction-scoped
   * advisory lock); null on SQLite, whose single writer already serialises every transaction.
   */
  transactionLock(key: string): RawBuilder<unknown> | null;
  /** Lifts (true) or restores (false) the audit log's append-only guard for this transaction. */
  auditPurge(on: boolean): RawBuilder<unknown>;
  /** Rows of a table with a search index whose document matches the plan (src/store/search-index.ts). */
  searchMatch(index: SearchIndex, workspaceId: string, match: SearchMatch): RawBuilder<boolean>;
}

const jsonPath = (key: string) => `$."${key}"`;

export const sqliteCapabilities: DialectCapabilities = {
  name: 'sqlite',
  // `->` keeps a non-string value's JSON text as written (json_extract would turn true into 1).
  jsonText: (column, key) =>
    sql<
      string | null
    >`(case json_type(${sql.ref(column)}, ${jsonPath(key)}) when 'text' then json_extract(${sql.ref(column)}, ${jsonPath(key)}) when 'null' then null else ${sql.ref(column)} -> ${jsonPath(key)} end)`,
  jsonNumber: (column, key) =>
    sql<
      number | null
    >`(case when json_type(${sql.ref(column)}, ${jsonPath(key)}) in ('integer', 'real') then json_extract(${sql.ref(column)}, ${jsonPath(key)}) end)`,
  jsonArrayContains: (column, value) =>
    sql<boolean>`exists (select 1 from json_each(${sql.ref(column)}) where json_each.value = ${value})`,
  lowerAscii: (expression) => sql<string>`lower(${expression})`,
  position: (haystack, needle) => sql<number>`instr(${haystack}, ${sql.lit(needle)})`,
  removeCharacters: (expression, characters) =>
    [...characters].reduce<RawBuilder<string>>(
      (inner, character) => sql<string>`replace(${inner}, ${sql.lit(character)}, '')`,
      sql<string>`${expression}`,
    ),
  skipLocked: () => sql``,
  transactionLock: () => null,
  auditPurge: (on) => sql`select ${sql.raw(SQLITE_AUDIT_PURGE_FUNCTION)}(${sql.lit(on ? 1 : 0)})`,
  searchMatch: searchMatchSqlite,
};

export const postgresCapabilities: DialectCapabilities = {
  name: 'postgres',
  // json (not jsonb) keeps a value's text as stored, like SQLite; collate "C" keeps comparisons bytewise.
  jsonText: (column, key) => sql<string | null>`((${sql.ref(column)}::json ->> ${key}) collate "C")`,
  jsonNumber: (column, key) =>
    sql<
      number | null
    >`(case when json_typeof(${sql.ref(column)}::json -> ${key}) = 'number' then (${sql.ref(column)}::json ->> ${key})::numeric end)`,
  jsonArrayContains: (column, value) => sql<boolean>`(${sql.ref(column)}::jsonb ? ${value})`,
  lowerAscii: (expression) => sql<string>`lower((${expression}) collate "C")`,
  position: (haystack, needle) => sql<number>`strpos(${haystack}, ${sql.lit(needle)})`,
  removeCharacters: (expression, characters) =>
    sql<string>`translate(${expression}, ${sql.lit(characters)}, '')`,
  skipLocked: (alias) => sql`for update of ${sql.raw(alias)} skip locked`,
  // Two keys may share a 32-bit hash; they then merely wait for each other.
  transactionLock: (key) => sql`select pg_advisory_xact_lock(hashtext(${key}))`,
  auditPurge: (on) =>
    sql`select set_config(${sql.lit(POSTGRES_AUDIT_PURGE_SETTING)}, ${sql.lit(on ? 'on' : 'off')}, true)`,
  searchMatch: searchMatchPostgres,
};
