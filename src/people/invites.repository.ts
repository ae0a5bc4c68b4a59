import type { Kysely, Transaction } from 'kysely';
import type { Database, InvitesTable } from '../store/schema.js';
import { rememberSecret, workspaceOfSecret } from '../store/secret-lookups.repository.js';

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

/** The invite holding this link secret's hash: its workspace from the secret lookup, then the row. */
export async function findInviteByTokenHash(db: Db, tokenHash: string): Promise<InvitesTable | undefined> {
  const workspaceId = await workspaceOfSecret(db, 'invite', tokenHash);
  if (!workspaceId) return undefined;
  return db
    .selectFrom('invites')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * Records an invite link's hash in the secret lookup, in the transaction that inserts the invite
 * (an invite without a link has nothing to look up). The lookup lives as long as the invite row:
 * a withdrawn, accepted or expired link is still found, so its page can say which it is.
 */
export async function rememberInviteLink(db: Db, invite: Pick<InvitesTable, 'workspace_id' | 'token_hash'>) {
  if (invite.token_hash) await rememberSecret(db, 'invite', invite.token_hash, invite.workspace_id);
}
