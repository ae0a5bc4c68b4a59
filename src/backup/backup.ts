import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  hasTable,
  integrityCheck,
  latestMigration,
  liveCounts,
  takeExclusive,
  vacuumInto,
} from './backup.repository.js';

export class BackupError extends Error {}

interface BackupReport {
  file: string;
  bytes: number;
  ms: number;
  counts: Record<string, number>;
  migration: string | undefined;
}

/** Makes a file's contents and its directory entry durable. */
function syncFile(file: string) {
  for (const target of [file, path.dirname(file)]) {
    const fd = openSync(target, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

function open(file: string, options: SqliteDatabase.Options = {}) {
  const db = new SqliteDatabase(file, options);
  db.pragma('busy_timeout = 5000');
  return db;
}

function verify(file: string): Pick<BackupReport, 'counts' | 'migration'> {
  const db = open(file, { readonly: true, fileMustExist: true });
  try {
    const problems = integrityCheck(db);
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new BackupError(`${file} fails the integrity check: ${problems.slice(0, 5).join('; ')}`);
    }
    return { counts: liveCounts(db), migration: latestMigration(db) };
  } finally {
    db.close();
  }
}

/**
 * An online backup of the SQLite database: VACUUM INTO copies one consistent snapshot (a single
 * read transaction) while the server keeps writing, into a temporary file that is checked with
 * integrity_check, synced, and only then renamed to `target` — a failed backup leaves no file.
 */
export function backupSqlite(source: string, target: string, force: boolean): BackupReport {
  if (!existsSync(source)) throw new BackupError(`there is no database at ${source} (check DATA_DIR)`);
  if (existsSync(target) && !force) throw new BackupError(`${target} exists; pass --force to replace it`);
  const started = performance.now();
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  const db = open(source, { fileMustExist: true });
  try {
    vacuumInto(db, partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new BackupError(`backup failed: ${(error as Error).message}`);
  } finally {
    db.close();
  }
  try {
    const checked = verify(partial);
    syncFile(partial);
    renameSync(partial, target);
    syncFile(target);
    const bytes = openSyncSize(target);
    return { file: target, bytes, ms: performance.now() - started, ...checked };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

function openSyncSize(file: string): number {
  const db = open(file, { readonly: true });
  try {
    return (
      (db.pragma('page_count', { simple: true }) as number) *
      (db.pragma('page_size', { simple: true }) as number)
    );
  } finally {
    db.close();
  }
}

interface RestoreReport extends Pick<BackupReport, 'counts' | 'migration' | 'ms'> {
  target: string;
  /** Where the database that was replaced now is (with --force). */
  previous: string | undefined;
}

/**
 * Restores a backup file as the SQLite database in DATA_DIR. The file must pass integrity_check
 * and be an agentcrm database; a database in use (a running server) is never replaced, and an
 * existing one only with `force` — it is kept beside as `agentcrm.sqlite.before-restore-<time>`.
 */
export async function restoreSqlite(
  backup: string,
  target: string,
  force: boolean,
  now: Date,
): Promise<RestoreReport> {
  const started = performance.now();
  if (!existsSync(backup)) throw new BackupError(`no such file: ${backup}`);
  let source: SqliteDatabase.Database;
  try {
    source = open(backup, { readonly: true, fileMustExist: true });
    hasTable(source, 'sqlite_master');
  } catch (error) {
    throw new BackupError(`${backup} is not an SQLite database (${(error as Error).message})`);
  }
  const partial = `${target}.restoring-${process.pid}`;
  let previous: string | undefined;
  try {
    if (!hasTable(source, 'kysely_migration') || !hasTable(source, 'contacts')) {
      throw new BackupError(
        `${backup} is an SQLite database but not an agentcrm one (no migrations or contacts table)`,
      );
    }
    const problems = integrityCheck(source);
    if (problems[0] !== 'ok')
      throw new BackupError(`${backup} fails the integrity check: ${problems.slice(0, 5).join('; ')}`);

    if (existsSync(target)) {
      const current = open(target, { fileMustExist: true });
      try {
        if (!takeExclusive(current)) {
          throw new BackupError(
            `${target} is in use (a running server or another process has it open); stop it before restoring`,
          );
        }
        if (!force) {
          const counts = liveCounts(current);
          throw new BackupError(
            `${target} already holds a database (${counts.contacts ?? 0} live contacts); pass --force to replace it ` +
              '(the current one is kept beside it)',
          );
        }
      } finally {
        current.close();
      }
      previous = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
    }

    mkdirSync(path.dirname(target), { recursive: true });
    rmSync(partial, { force: true });
    await source.backup(partial);
    const checked = verify(partial);
    syncFile(partial);
    if (previous) {
      renameSync(target, previous);
      for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
    }
    renameSync(partial, target);
    syncFile(target);
    return { target, previous, ms: performance.now() - started, ...checked };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
}
