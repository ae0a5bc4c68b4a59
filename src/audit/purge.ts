import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import type { DialectCapabilities } from '../store/types.js';

/**
 * Runs `work` with the audit log's append-only guard lifted for the caller's transaction: the only
 * way rows leave the log. Used by workspace deletion; a retention purge would use it too, deleting
 * a workspace's oldest rows (a prefix of its chain, by seq) and recording the last one it removed
 * in audit_chain_anchors in the same transaction, so the rest still verifies (docs/audit.md).
 * PostgreSQL would drop the setting at the transaction's end anyway; SQLite's switch lives on the
 * connection, so it is put back whatever happens.
 */
export async function withAuditPurge<T>(
  db: Kysely<Database> | Transaction<Database>,
  dialect: DialectCapabilities,
  work: () => Promise<T>,
): Promise<T> {
  if (!db.isTransaction) throw new Error('withAuditPurge needs the transaction the purge runs in');
  await dialect.auditPurge(true).execute(db);
  try {
    return await work();
  } finally {
    await dialect
      .auditPurge(false)
      .execute(db)
      .catch(() => {});
  }
}
