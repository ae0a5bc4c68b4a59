import { type RawBuilder, sql } from 'kysely';
import { POSTGRES_AUDIT_PURGE_SETTING, SQLITE_AUDIT_PURGE_FUNCTION } from './audit-guard.js';
import { searchMatchPostgres, searchMatchSqlite } from './search-index.js';
import type { DialectCapabilities } from './types.js';

export type { DialectCapabilities } from './types.js';

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
