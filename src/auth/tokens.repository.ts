import type { Kysely, Transaction } from 'kysely';
import type { Database, TokensTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';
import { forgetSecrets, rememberSecret, workspaceOfSecret } from '../store/secret-lookups.repository.js';
import { authStateChanged, type TokenForAuth } from './auth-cache.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A new token, and the lookup from its hash to its workspace (in the caller's transaction). */
export async function insertToken(db: Db, row: TokensTable): Promise<void> {
  await db.insertInto('tokens').values(row).execute();
  await rememberSecret(db, 'token', row.token_hash, row.workspace_id);
}

/**
 * The live (unrevoked) token with this hash, with what authentication needs: its workspace's plan
 * and its owner's role there. The workspace comes from the secret lookup first, so the token is
 * read by (workspace_id, token_hash): one shard on a database sharded by workspace.
 */
export async function findTokenForAuth(db: Db, tokenHash: string): Promise<TokenForAuth | undefined> {
  const workspaceId = await workspaceOfSecret(db, 'token', tokenHash);
  if (!workspaceId) return undefined;
  return db
    .selectFrom('tokens')
    .innerJoin('workspaces', 'workspaces.id', 'tokens.workspace_id')
    .leftJoin('memberships', (join) =>
      join
        .onRef('memberships.workspace_id', '=', 'tokens.workspace_id')
        .onRef('memberships.user_id', '=', 'tokens.principal_id'),
    )
    .selectAll('tokens')
    .select(['workspaces.plan as plan', 'memberships.role as role'])
    .where('tokens.workspace_id', '=', workspaceId)
    .where('tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Renews a token's inactivity clock; the condition keeps concurrent renewals from writing twice. */
export async function touchToken(
  db: Db,
  workspaceId: string,
  id: string,
  now: string,
  notAfter: string,
): Promise<void> {
  await db
    .updateTable('tokens')
    .set({ last_used_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('last_used_at', '<', notAfter)
    .execute();
}

/** A principal's tokens that are neither revoked nor past their absolute end. */
export async function listPrincipalTokens(db: Db, principalId: string, now: string): Promise<TokensTable[]> {
  return db
    .selectFrom('tokens')
    .selectAll()
    .where('principal_id', '=', principalId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function listWorkspaceTokens(db: Db, workspaceId: string, now: string): Promise<TokensTable[]> {
  return db
    .selectFrom('tokens')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findToken(db: Db, workspaceId: string, id: string): Promise<TokensTable | undefined> {
  return db
    .selectFrom('tokens')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * A token by its id alone, whatever its workspace: only for revoking by id, where a person may name
 * a token of theirs held in another workspace. Reads every shard on a sharded database (rare).
 */
export async function findTokenAnywhere(db: Db, id: string): Promise<TokensTable | undefined> {
  return db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A token of this workspace (revoked and expired ones too: their audited work can still be undone). */
export async function findWorkspaceToken(ws: WorkspaceDb, id: string): Promise<TokensTable | undefined> {
  return ws.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Revokes a token; its hash leaves the secret lookup, so it is not even found any more. */
export async function revokeToken(db: Db, workspaceId: string, id: string, now: string): Promise<boolean> {
  authStateChanged();
  const revoked = await db
    .updateTable('tokens')
    .set({ revoked_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning('token_hash')
    .execute();
  await forgetSecrets(
    db,
    'token',
    revoked.map((row) => row.token_hash),
  );
  return revoked.length > 0;
}

/** Ends every session a user holds in one workspace (removal from it). */
export async function revokeUserTokensIn(
  db: Db,
  workspaceId: string,
  userId: string,
  now: string,
): Promise<void> {
  authStateChanged();
  const revoked = await db
    .updateTable('tokens')
    .set({ revoked_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('principal_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('token_hash')
    .execute();
  await forgetSecrets(
    db,
    'token',
    revoked.map((row) => row.token_hash),
  );
}
