import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteAdapter, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { registerAuditGuard } from './audit-guard.js';
import { listenForAuthChanges } from './auth-feed.js';
import { postgresCapabilities, sqliteCapabilities } from './dialect.js';
import { groupCommit } from './group-commit.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';
import type { AuthFeed, Store } from './types.js';

export type { Store } from './types.js';

// PostgreSQL returns int8 (count(*), sum) as strings to protect precision; our counts fit easily.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

/** Where the embedded database lives. */
export const sqliteFile = (dataDir: string) => path.join(dataDir, 'agentcrm.sqlite');

export function connectStore(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'sqliteSynchronous' | 'databasePoolSize'>,
): Store {
  if (config.databaseUrl) return connectPostgres(config.databaseUrl, config.databasePoolSize);
  return connectSqlite(sqliteFile(config.dataDir), config.sqliteSynchronous);
}

function connectSqlite(file: string, synchronous: 'FULL' | 'NORMAL'): Store {
  mkdirSync(path.dirname(file), { recursive: true });
  const database = new SqliteDatabase(file);
  database.pragma('journal_mode = WAL');
  // FULL: an acknowledged commit survives power loss. SQLite's own FULL flushes the WAL inside every
  // COMMIT, on the event loop; the group commit flushes it off the loop, once for all the commits
  // made meanwhile, before any answer goes out (see group-commit.ts). So SQLite itself runs NORMAL.
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  // What a change frees is overwritten with zeros, not left in the file's free space: an erasure
  // (contacts.erase, docs/lifecycle.md) must not leave the values it removed readable in the bytes.
  database.pragma('secure_delete = ON');
  registerAuditGuard(database);
  const cached = withStatementCache(database);
  const group = synchronous === 'FULL' ? groupCommit(database, cached.prepare, `${file}-wal`) : null;
  const db = new Kysely<Database>({
    dialect: new TransactionalDdlSqliteDialect({ database: group?.database ?? cached }),
  });
  const durable = group ? () => group.durable() : async () => {};
  return {
    db,
    countersDb: db,
    dialect: sqliteCapabilities,
    sqlitePath: file,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    durable,
    durability: () => group?.stats() ?? null,
    onFlush: (listener) => group?.onFlush(listener),
    pools: () => [],
    authChanges: () => null,
    close: async () => {
      await durable();
      await db.destroy();
    },
  };
}

/**
 * Kysely asks better-sqlite3 to prepare every query it sends, which costs about a tenth of a
 * simple request's CPU; the same SQL text reuses its prepared statement instead. Safe because the
 * dialect runs one query at a time on its single connection. Bounded: SQL with IN lists and
 * multi-row inserts varies. Long SQL (a batch chunk's multi-row inserts, each prepared statement
 * holding a program per row) gets a cache of its own, kept small so memory stays bounded.
 */
function withStatementCache(database: SqliteDatabase.Database, size = 500, largeSize = 16) {
  const small = new Map<string, SqliteDatabase.Statement>();
  const large = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteDatabase.Statement {
      const cache = sql.length > 4096 ? large : small;
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (cache.size >= (cache === large ? largeSize : size)) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

function connectPostgres(url: string, poolSize: number): Store {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  // Request counters: a hit per request must not cost a WAL flush per request. A query issued in
  // 'connect' runs before the client is handed out (the client queues queries in order).
  // Counter writes are short and never wait on a flush: 40% of the main pool (4 at the default 10).
  const countersPool = new pg.Pool({ connectionString: url, max: Math.max(1, Math.round(poolSize * 0.4)) });
  countersPool.on('error', () => {});
  countersPool.on('connect', (client) => {
    client.query('set synchronous_commit = off').catch(() => {});
  });
  const countersDb = new Kysely<Database>({ dialect: new PostgresDialect({ pool: countersPool }) });
  let feed: AuthFeed | null = null;
  return {
    db,
    countersDb,
    dialect: postgresCapabilities,
    sqlitePath: undefined,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    durable: async () => {},
    durability: () => null,
    onFlush: () => {},
    pools: () =>
      [
        ['main', pool],
        ['counters', countersPool],
      ].map(([name, p]) => {
        const { options, totalCount, idleCount, waitingCount } = p as pg.Pool;
        return {
          pool: name as string,
          max: options.max,
          total: totalCount,
          idle: idleCount,
          waiting: waitingCount,
        };
      }),
    authChanges: (onError) => {
      // A lost listener is retried by the feed itself; nothing is cached meanwhile.
      feed ??= listenForAuthChanges(url, onError ?? (() => {}));
      return feed;
    },
    close: async () => {
      await feed?.close();
      await countersDb.destroy();
      await db.destroy();
    },
  };
}

/**
 * SQLite runs schema changes inside transactions, but Kysely's SQLite adapter says it cannot, so
 * its migrator ran each statement on its own: a process killed (or a statement failing) half-way
 * through a migration left tables of it behind, and every later start failed on "table ... already
 * exists". Saying so makes the migrator apply pending migrations in one transaction, as on
 * PostgreSQL: all of them or none.
 */
class TransactionalDdlAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl() {
    return true;
  }
}
class TransactionalDdlSqliteDialect extends SqliteDialect {
  override createAdapter() {
    return new TransactionalDdlAdapter();
  }
}

/** A migration failed; nothing of the pending migrations was applied. */
export class MigrationError extends Error {}

/**
 * The migrator of this project's migrations on `store`. Kysely finds its bookkeeping tables by name
 * across all schemas unless told which one, so on PostgreSQL it is pinned to the connection's
 * current schema (several apps may share a database). Issues land in parallel, so a newer
 * migration may be merged before an older-numbered one.
 */
export async function migratorFor(store: Store): Promise<Migrator> {
  const migrationTableSchema =
    store.dialect.name === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db)).rows[0]?.schema
      : undefined;
  return new Migrator({
    db: store.db,
    provider: migrationProvider,
    allowUnorderedMigrations: true,
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
}

/**
 * Applies every pending migration, all or none (one transaction on both databases); safe to run
 * from several processes at once.
 */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = await migratorFor(store);
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'a migration';
    const why = error instanceof Error ? error.message : String(error);
    throw new MigrationError(
      `migration ${failed} failed: ${why}. Nothing was applied: the database is as it was before ` +
        '(pending migrations run in one transaction). Fix the cause, then run agentcrm migrate again',
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
