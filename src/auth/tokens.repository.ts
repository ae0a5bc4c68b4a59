import type { Kysely, Transaction } from 'kysely';
import type { Database, TokensTable } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertToken(db: Db, row: TokensTable): Promise<void> {
  await db.insertInto('tokens').values(row).execute();
}

export async function findTokenByHash(db: Db, tokenHash: string): Promise<TokensTable | undefined> {
  return db.selectFrom('tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Renews a token's inactivity clock; the condition keeps concurrent renewals from writing twice. */
export async function touchToken(db: Db, id: string, now: string, notAfter: string): Promise<void> {
  await db
    .updateTable('tokens')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where('last_used_at', '<', notAfter)
    .execute();
}
