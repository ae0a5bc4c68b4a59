import { closeSync, fdatasync, fstatSync, openSync, statSync } from 'node:fs';
import type SqliteDatabase from 'better-sqlite3';

/**
 * Group commit for SQLite in WAL mode.
 *
 * With `synchronous = FULL`, SQLite calls fdatasync on the WAL inside every COMMIT: on the event
 * loop, so every other request waits for the disk too, and concurrent writers pay one flush each.
 * Here the connection runs with `synchronous = NORMAL` (a commit appends its frames to the WAL and
 * returns; SQLite still syncs around checkpoints), and this module makes commits durable before
 * anything is acknowledged: it counts commits, and `durable()` resolves once an fdatasync of the WAL
 * file, started after the caller's commits, has finished. The flush runs on libuv's thread pool,
 * so the loop keeps serving, and every commit made while one flush runs shares the next one.
 *
 * fdatasync acts on the file, not the descriptor, so our own read-only descriptor of the WAL flushes
 * the frames SQLite wrote through its own. What a client is told has happened is on disk exactly as
 * with `synchronous = FULL`; the difference is only when the flush happens.
 */
export interface GroupCommit {
  /** Wraps the connection so commits are counted; give the result to Kysely. */
  readonly database: Pick<SqliteDatabase.Database, 'prepare' | 'close'>;
  /** Resolves when every commit made so far is on disk; rejects if the disk refuses. */
  durable(): Promise<void>;
  /** Commits counted and flushes made, for tests and diagnostics. */
  stats(): { commits: number; flushes: number; pending: boolean };
  /** Calls `listener` with each flush's duration in seconds (the metrics histogram). */
  onFlush(listener: (seconds: number) => void): void;
}

type Prepared = Pick<SqliteDatabase.Statement, 'reader' | 'all' | 'run' | 'iterate'>;

export function groupCommit(
  database: SqliteDatabase.Database,
  prepare: (sql: string) => SqliteDatabase.Statement,
  walPath: string,
): GroupCommit {
  let committed = 0;
  let flushed = 0;
  let flushes = 0;
  let flushing: Promise<void> | null = null;
  let fd: number | null = null;
  const listeners: ((seconds: number) => void)[] = [];

  // A statement ends a transaction that was open before it (COMMIT; a ROLLBACK is counted too,
  // harmlessly), or writes outside one (an autocommitted INSERT): either way new frames may be in
  // the WAL that no flush has covered yet.
  const counted =
    <A extends unknown[], R>(statement: SqliteDatabase.Statement, run: (...args: A) => R) =>
    (...args: A): R => {
      const wasOpen = database.inTransaction;
      try {
        return run(...args);
      } finally {
        if (wasOpen ? !database.inTransaction : !statement.readonly && !database.inTransaction) committed++;
      }
    };
  const wrapped = new WeakMap<SqliteDatabase.Statement, Prepared>();
  const wrap = (statement: SqliteDatabase.Statement): Prepared => {
    let prepared = wrapped.get(statement);
    if (!prepared) {
      prepared = {
        reader: statement.reader,
        all: counted(statement, statement.all.bind(statement)),
        run: counted(statement, statement.run.bind(statement)),
        iterate: statement.iterate.bind(statement),
      } as Prepared;
      wrapped.set(statement, prepared);
    }
    return prepared;
  };

  /** The WAL's descriptor, reopened if the file was replaced (it is recreated after a full close). */
  const walDescriptor = (): number | null => {
    try {
      const current = statSync(walPath);
      if (fd !== null && fstatSync(fd).ino === current.ino) return fd;
      if (fd !== null) closeSync(fd);
      fd = openSync(walPath, 'r');
      return fd;
    } catch (error) {
      // No WAL file: everything committed so far was checkpointed into the database file, which
      // SQLite syncs before it removes the WAL.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  };

  const flush = async (): Promise<void> => {
    const upTo = committed;
    const started = performance.now();
    const descriptor = walDescriptor();
    if (descriptor !== null) {
      await new Promise<void>((resolve, reject) =>
        fdatasync(descriptor, (error) => (error ? reject(error) : resolve())),
      );
    }
    flushes++;
    const seconds = (performance.now() - started) / 1000;
    for (const listener of listeners) listener(seconds);
    if (upTo > flushed) flushed = upTo;
  };

  return {
    database: {
      prepare: ((sql: string) => wrap(prepare(sql))) as unknown as SqliteDatabase.Database['prepare'],
      close: () => {
        if (fd !== null) closeSync(fd);
        fd = null;
        return database.close();
      },
    },
    async durable() {
      const target = committed;
      while (flushed < target) {
        // A flush already running may have started before our commit; wait for it, then start one.
        flushing ??= flush().finally(() => {
          flushing = null;
        });
        await flushing;
      }
    },
    stats: () => ({ commits: committed, flushes, pending: flushed < committed }),
    onFlush: (listener) => {
      listeners.push(listener);
    },
  };
}
