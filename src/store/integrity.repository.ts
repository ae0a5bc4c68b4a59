import type SqliteDatabase from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';

/**
 * The statements that check a database's integrity: SQLite's own checks on a raw better-sqlite3
 * connection (a damaged file must be examined below Kysely and the server's store), and
 * PostgreSQL's on the store's handle.
 */

type Db = SqliteDatabase.Database;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function quickCheck(db: Db, table?: string): string[] {
  const rows = db
    .prepare(table ? `pragma quick_check(${quote(table)})` : 'pragma quick_check(20)')
    .raw()
    .all();
  const lines = rows.map((row) => String((row as unknown[])[0]));
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
}

/** Reads `probes` rows spread over the rowid range: each read walks the b-tree from root to leaf. */
function probeRowids(db: Db, table: string, probes: number) {
  // Two subqueries: min() and max() together in one select would scan the table instead of seeking.
  const bounds = `select (select min(rowid) from ${table}) as lo, (select max(rowid) from ${table}) as hi`;
  const { lo, hi } = db.prepare(bounds).get() as {
    lo: number | null;
    hi: number | null;
  };
  if (lo === null || hi === null) return;
  const probe = db.prepare(`select * from ${table} where rowid >= ? limit 1`);
  for (let i = 0; i < probes; i++) probe.get(Math.floor(lo + ((hi - lo) * i) / Math.max(1, probes - 1)));
}

/**
 * For a table too large to check in full at start: sampled root-to-leaf paths of its rows, and
 * the first and last entry of each of its indexes. SQLite raises SQLITE_CORRUPT on any malformed
 * page on those paths; pages off them are left to agentcrm doctor.
 */
export function probeTable(db: Db, table: string, rowid: boolean, probes: number) {
  const t = quote(table);
  if (rowid) probeRowids(db, t, probes);
  // A partial index or one over expressions cannot be walked by column order; doctor checks those.
  const indexes = db
    .prepare('select name from pragma_index_list(?) where not partial')
    .pluck()
    .all(table) as string[];
  for (const index of indexes) {
    const columns = db.prepare('select name from pragma_index_info(?) order by seqno').pluck().all(index) as (
      | string
      | null
    )[];
    if (!columns.length || columns.includes(null)) continue;
    const order = (columns as string[]).map(quote);
    for (const direction of ['asc', 'desc']) {
      const by = order.map((c) => `${c} ${direction}`).join(', ');
      db.prepare(
        `select ${order.join(', ')} from ${t} indexed by ${quote(index)} order by ${by} limit 1`,
      ).get();
    }
  }
}

/**
 * Every stored table (shadow tables of FTS5 included, virtual ones have no pages of their own),
 * smallest first by rowid range, which costs one index seek each; WITHOUT ROWID tables (the FTS5
 * bookkeeping) count as small.
 */
export function tablesBySize(db: Db): { name: string; rowid: boolean; rows: number }[] {
  const tables = db
    .prepare("select name, wr from pragma_table_list where schema = 'main' and type in ('table', 'shadow')")
    .all() as { name: string; wr: number }[];
  return tables
    .map(({ name, wr }) => {
      if (wr) return { name, rowid: false, rows: 0 };
      const t = quote(name);
      const range = `select coalesce((select max(rowid) from ${t}) - (select min(rowid) from ${t}) + 1, 0)`;
      return { name, rowid: true, rows: db.prepare(range).pluck().get() as number };
    })
    .sort((a, b) => a.rows - b.rows);
}

/** Parses every definition of the schema (a damaged or unparsable one throws). */
export function parseSchema(db: Db): number {
  return db.prepare('select count(*) from sqlite_schema').pluck().get() as number;
}

export function databaseBytes(db: Db): number {
  return (
    (db.pragma('page_count', { simple: true }) as number) *
    (db.pragma('page_size', { simple: true }) as number)
  );
}

/** integrity_check of the whole file: every page, every index entry against its row; [] when sound. */
export function integrityCheck(db: Db, limit = 100): string[] {
  const lines = db.prepare(`pragma integrity_check(${limit})`).pluck().all() as string[];
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
}

/** Rows whose reference points at no row: "<table> rowid <n> → <parent>". */
export function foreignKeyProblems(db: Db, limit = 20): string[] {
  const rows = db.prepare('pragma foreign_key_check').all() as {
    table: string;
    rowid: number;
    parent: string;
  }[];
  return rows.slice(0, limit).map((r) => `${r.table} rowid ${r.rowid} → ${r.parent}`);
}

/** The migrations recorded as applied (Kysely's bookkeeping table), or null when there is none. */
export function sqliteMigrations(db: Db): string[] | null {
  const exists = db
    .prepare("select 1 from sqlite_schema where type = 'table' and name = 'kysely_migration'")
    .get();
  if (!exists) return null;
  return db.prepare('select name from kysely_migration order by name').pluck().all() as string[];
}

/** PostgreSQL: the server's version string (also proves the connection works). */
export async function postgresVersion(db: Kysely<unknown>): Promise<string> {
  const { rows } = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db);
  return rows[0]!.v;
}

export async function postgresMigrations(db: Kysely<unknown>): Promise<string[] | null> {
  const { rows } = await sql<{ t: string | null }>`select to_regclass('kysely_migration')::text as t`.execute(
    db,
  );
  if (!rows[0]?.t) return null;
  const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return applied.rows.map((r) => r.name);
}

/** Constraints created NOT VALID and never validated: rows may break them. */
export async function unvalidatedConstraints(db: Kysely<unknown>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select conrelid::regclass::text || '.' || conname as name
    from pg_constraint where not convalidated and connamespace = current_schema()::regnamespace`.execute(db);
  return rows.map((r) => r.name);
}

export async function amcheckInstalled(db: Kysely<unknown>): Promise<boolean> {
  const { rows } = await sql`select 1 from pg_extension where extname = 'amcheck'`.execute(db);
  return rows.length > 0;
}

/**
 * amcheck's bt_index_check on every B-tree index of the current schema: the index's structure
 * and order (a read lock only, like a select). Returns the indexes that failed, with the reason.
 */
export async function amcheckIndexes(db: Kysely<unknown>): Promise<{ checked: number; problems: string[] }> {
  const { rows } = await sql<{ oid: number; name: string }>`select c.oid::int as oid, c.relname as name
    from pg_class c join pg_am am on am.oid = c.relam
    where c.relkind = 'i' and am.amname = 'btree' and c.relnamespace = current_schema()::regnamespace`.execute(
    db,
  );
  const problems: string[] = [];
  for (const index of rows) {
    try {
      await sql`select bt_index_check(${index.oid}::oid)`.execute(db);
    } catch (error) {
      problems.push(`${index.name}: ${(error as Error).message}`);
    }
  }
  return { checked: rows.length, problems };
}
