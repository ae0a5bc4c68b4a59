import type SqliteDatabase from 'better-sqlite3';

type Db = SqliteDatabase.Database;

/**
 * The SQLite statements of backup and restore. They work on a raw better-sqlite3 connection: a
 * backup is a file-level concern below Kysely, and must not go through the server's store.
 */

/** An online, transactionally consistent copy: one read transaction, so writers carry on (WAL). */
export function vacuumInto(db: Db, file: string): void {
  db.prepare('vacuum into ?').run(file);
}

/** 'ok', or the problems SQLite found. */
export function integrityCheck(db: Db): string[] {
  return db
    .prepare('pragma integrity_check')
    .all()
    .map((row) => String(Object.values(row as Record<string, unknown>)[0]));
}

export function hasTable(db: Db, name: string): boolean {
  return db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(name) !== undefined;
}

/** Live rows per CRM table, for the report. */
export function liveCounts(db: Db): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const table of ['companies', 'contacts', 'deals']) {
    if (!hasTable(db, table)) continue;
    counts[table] = (
      db.prepare(`select count(*) as n from ${table} where deleted_at is null`).get() as { n: number }
    ).n;
  }
  if (hasTable(db, 'activities')) {
    counts.activities = (db.prepare('select count(*) as n from activities').get() as { n: number }).n;
  }
  return counts;
}

export function latestMigration(db: Db): string | undefined {
  if (!hasTable(db, 'kysely_migration')) return undefined;
  const row = db
    .prepare('select name from kysely_migration order by timestamp desc, name desc limit 1')
    .get() as { name: string } | undefined;
  return row?.name;
}

/**
 * Leaving WAL mode needs the database to itself: it fails with SQLITE_BUSY while any other
 * connection (a running server) has the file open. On success the WAL is folded into the file.
 */
export function takeExclusive(db: Db): boolean {
  db.pragma('busy_timeout = 0');
  try {
    return String(db.pragma('journal_mode = delete', { simple: true })).toLowerCase() === 'delete';
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return false;
    throw error;
  }
}
