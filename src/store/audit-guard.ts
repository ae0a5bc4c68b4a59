import type SqliteDatabase from 'better-sqlite3';

/**
 * The audit log is append-only (migration 0014): triggers refuse UPDATE and DELETE of its rows
 * unless the transaction has lifted the guard, which only a purge does (workspace deletion today;
 * a retention purge or an erasure later) — see withAuditPurge in src/audit/purge.ts.
 *
 * PostgreSQL keeps the switch in a transaction-local setting. SQLite has none, so the server
 * registers this function on its connection: called with 1 or 0 it sets the switch, with no
 * argument the triggers read it. The function exists only on the server's connection: any other
 * client (the stock `sqlite3` shell included) opens the database and reads it, but its UPDATE or
 * DELETE of an audit row fails ("no such function"), which is the refusal we want. SQLite resolves
 * functions when a statement runs, not when it reads the schema, so `.schema` works everywhere.
 */
export const SQLITE_AUDIT_PURGE_FUNCTION = 'agentcrm_audit_purge';
export const POSTGRES_AUDIT_PURGE_SETTING = 'agentcrm.audit_purge';

export function registerAuditGuard(database: SqliteDatabase.Database): void {
  let purging = 0;
  database.function(SQLITE_AUDIT_PURGE_FUNCTION, { varargs: true, deterministic: false }, (...args) => {
    if (args.length > 0) purging = args[0] === 1 || args[0] === 1n ? 1 : 0;
    return purging;
  });
}
