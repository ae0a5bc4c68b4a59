import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * A savepoint inside the caller's transaction: work that may be refused half-way (an approved
 * proposal's change, each proposal of a bundle) is rolled back alone, and the rest of the
 * transaction (the decision itself, its audit row) still commits.
 */
export const savepoint = {
  begin: (db: Db, name: string) => sql`savepoint ${sql.raw(name)}`.execute(db),
  release: (db: Db, name: string) => sql`release savepoint ${sql.raw(name)}`.execute(db),
  rollback: (db: Db, name: string) => sql`rollback to savepoint ${sql.raw(name)}`.execute(db),
};
