import type { Kysely, Transaction } from 'kysely';
import type { Database, InvitesTable } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The two invite lookups that happen before the workspace is known: at sign-in (pending member
 * invites for the email, in any workspace) and from an emailed link (by the secret's hash).
 */
export async function pendingMemberInvitesFor(db: Db, email: string, now: string): Promise<InvitesTable[]> {
  return db
    .selectFrom('invites')
    .selectAll()
    .where('email', '=', email)
    .where('kind', '=', 'member')
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at')
    .execute();
}

export async function findInviteByTokenHash(db: Db, tokenHash: string): Promise<InvitesTable | undefined> {
  return db.selectFrom('invites').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}
