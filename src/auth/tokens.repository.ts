import type { Kysely, Transaction } from 'kysely';
import type { Database, TokensTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';
import { authStateChanged, type TokenForAuth } from './auth-cache.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertToken(db: Db, row: TokensTable): Promise<void> {
  await db.insertInto('tokens').values(row).execute();
}

/** The token with what authentication needs: its workspace's plan and its owner's role there. */
export async function findTokenForAuth(db: Db, tokenHash: string): Promise<TokenForAuth | undefined> {
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
    .where('tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
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

export async function findToken(db: Db, id: string): Promise<TokensTable | undefined> {
  return db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A token of this workspace (revoked and expired ones too: their audited work can still be undone). */
export async function findWorkspaceToken(ws: WorkspaceDb, id: string): Promise<TokensTable | undefined> {
  return ws.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function revokeToken(db: Db, id: string, now: string): Promise<boolean> {
  authStateChanged();
  const result = await db
    .updateTable('tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Ends every session a user holds in one workspace (removal from it). */
export async function revokeUserTokensIn(
  db: Db,
  workspaceId: string,
  userId: string,
  now: string,
): Promise<void> {
  authStateChanged();
  await db
    .updateTable('tokens')
    .set({ revoked_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('principal_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}
