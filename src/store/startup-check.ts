import { existsSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { databaseBytes, parseSchema, probeTable, quickCheck, tablesBySize } from './integrity.repository.js';
import { sqliteHeaderProblems } from './sqlite-header.js';

/** What the start-up check of a SQLite file found, and what it looked at. */
export interface StartupCheck {
  problems: string[];
  /** One line: what was checked in full and what only by sample. */
  covered: string;
  ms: number;
}

/** The process exit code when the database is damaged: distinct from 1 (failed) and 2 (usage). */
export const EXIT_DAMAGED = 4;

/** Root-to-leaf paths read in each table too large to check in full at start. */
const PROBES = 16;
/**
 * A cautious rate for quick_check of one table with its indexes: measured at about 250 rows/ms
 * (contacts at 100k, on a loaded two-core machine), halved.
 */
export const CHECKED_ROWS_PER_MS = 120;

/** The server refuses to start on a damaged database; the message holds the recovery steps. */
export class DatabaseDamagedError extends Error {
  readonly exitCode = EXIT_DAMAGED;
}

/**
 * The start-up check: the file header, the schema (every definition must parse), then
 * `quick_check` — of the whole file when it is at most `fullCheckBytes`, else table by table,
 * smallest first, until `budgetMs` is spent; each table left over gets sampled root-to-leaf
 * probes instead. A missing file is not damage (the server creates it).
 */
export function checkSqliteAtStart(
  file: string,
  options: { fullCheckBytes: number; budgetMs: number },
): StartupCheck {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (!existsSync(file)) return { problems: [], covered: 'new database', ms: elapsed() };
  const header = sqliteHeaderProblems(file);
  if (header.length) return { problems: header, covered: 'header', ms: elapsed() };
  let db: SqliteDatabase.Database | undefined;
  // What was being read when SQLite raised SQLITE_CORRUPT: it goes into the message.
  let stage = 'opening the file';
  try {
    db = new SqliteDatabase(file, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    stage = 'reading the schema';
    parseSchema(db);
    if (databaseBytes(db) <= options.fullCheckBytes) {
      stage = 'quick_check of the whole file';
      return { problems: quickCheck(db), covered: `header, schema, ${stage}`, ms: elapsed() };
    }
    const full: string[] = [];
    const sampled: string[] = [];
    for (const { name, rowid, rows } of tablesBySize(db)) {
      // Checked in full only when it should fit in what is left of the budget: one table's check
      // cannot be interrupted, so the estimate keeps the start from overshooting by seconds.
      if (rows <= (options.budgetMs - elapsed()) * CHECKED_ROWS_PER_MS) {
        stage = `quick_check of ${name}`;
        const problems = quickCheck(db, name);
        if (problems.length) return { problems, covered: stage, ms: elapsed() };
        full.push(name);
      } else {
        stage = `sampled b-tree paths of ${name}`;
        probeTable(db, name, rowid, PROBES);
        sampled.push(name);
      }
    }
    const covered =
      `header, schema, quick_check of ${full.length} tables` +
      (sampled.length
        ? `; sampled b-tree paths of ${sampled.join(', ')} (run agentcrm doctor for a full check)`
        : '');
    return { problems: [], covered, ms: elapsed() };
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (!/^SQLITE_(CORRUPT|NOTADB)/.test(code)) throw error;
    return { problems: [(error as Error).message], covered: stage, ms: elapsed() };
  } finally {
    db?.close();
  }
}

/** The operator's message: what is wrong, and how to recover. */
export function damagedMessage(file: string, check: StartupCheck): string {
  const shown = check.problems.slice(0, 5).map((p) => `  - ${p}`);
  if (check.problems.length > 5) shown.push(`  - … and ${check.problems.length - 5} more`);
  return [
    `the SQLite database ${file} is damaged; refusing to serve (checked: ${check.covered}).`,
    ...shown,
    'To recover:',
    '  1. Stop every process using the file, and copy the damaged file (with its -wal and -shm files) aside.',
    '  2. Restore the last good backup (made by agentcrm backup): agentcrm restore <backup-file> --force',
    '     (the damaged file is kept as agentcrm.sqlite.before-restore-<time>).',
    '  3. Without a backup, salvage what is readable and restore that:',
    `       sqlite3 ${file} .recover | sqlite3 recovered.sqlite   (Debian's sqlite3 lacks .recover: use .dump)`,
    '       agentcrm restore recovered.sqlite --force',
    '  4. Run agentcrm doctor to confirm the result.',
    'In an emergency SQLITE_STARTUP_CHECK=off starts the server without this check; the damage stays.',
  ].join('\n');
}
