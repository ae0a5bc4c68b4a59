import type { Kysely, Transaction } from 'kysely';
import { appendAuditRows } from '../../audit/chain.repository.js';
import type {
  Database,
  OAuthClientsTable,
  OAuthCodesTable,
  OAuthGrantsTable,
  OAuthRefreshTokensTable,
  OAuthRequestsTable,
} from '../../store/schema.js';
import { forgetSecrets, rememberSecret, workspaceOfSecret } from '../../store/secret-lookups.repository.js';
import { authStateChanged } from '../auth-cache.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertClient(db: Db, row: OAuthClientsTable): Promise<void> {
  await db.insertInto('oauth_clients').values(row).execute();
}

/** A client kept from its metadata document: inserted, or replaced by a newer copy of the document. */
export async function saveClient(db: Db, row: OAuthClientsTable): Promise<void> {
  const { id: _id, ...fields } = row;
  await db
    .insertInto('oauth_clients')
    .values(row)
    .onConflict((conflict) => conflict.column('id').doUpdateSet(fields))
    .execute();
}

export async function findClient(db: Db, id: string): Promise<OAuthClientsTable | undefined> {
  return db.selectFrom('oauth_clients').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertRequest(db: Db, row: OAuthRequestsTable): Promise<void> {
  await db.insertInto('oauth_requests').values(row).execute();
}

export async function findRequest(db: Db, idHash: string): Promise<OAuthRequestsTable | undefined> {
  return db.selectFrom('oauth_requests').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
}

export async function updateRequest(
  db: Db,
  idHash: string,
  changes: Partial<Pick<OAuthRequestsTable, 'email' | 'user_id' | 'finished_at'>>,
): Promise<void> {
  await db.updateTable('oauth_requests').set(changes).where('id_hash', '=', idHash).execute();
}

/** Ends a request once; false when another submit already ended it. */
export async function finishRequest(db: Db, idHash: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('oauth_requests')
    .set({ finished_at: now })
    .where('id_hash', '=', idHash)
    .where('finished_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Pending sign-ins and codes past their life are of no use to anyone: drop them. */

/** A new authorization code, and the lookup from its hash to its workspace (same transaction). */
export async function insertCode(db: Db, row: OAuthCodesTable): Promise<void> {
  await db.insertInto('oauth_codes').values(row).execute();
  await rememberSecret(db, 'oauth_code', row.code_hash, row.workspace_id);
}

/**
 * The code with this hash (spent ones too, so a replay is recognised): its workspace from the
 * secret lookup, then the row by (workspace_id, code_hash).
 */
export async function findCode(db: Db, codeHash: string): Promise<OAuthCodesTable | undefined> {
  const workspaceId = await workspaceOfSecret(db, 'oauth_code', codeHash);
  if (!workspaceId) return undefined;
  return db
    .selectFrom('oauth_codes')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('code_hash', '=', codeHash)
    .executeTakeFirst();
}

/** Spends a code once: false when it was already spent (by a concurrent request, or a replay). */
export async function spendCode(db: Db, row: OAuthCodesTable, now: string): Promise<boolean> {
  const result = await db
    .updateTable('oauth_codes')
    .set({ used_at: now })
    .where('workspace_id', '=', row.workspace_id)
    .where('code_hash', '=', row.code_hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function setCodeToken(db: Db, row: OAuthCodesTable, tokenId: string): Promise<void> {
  await db
    .updateTable('oauth_codes')
    .set({ token_id: tokenId })
    .where('workspace_id', '=', row.workspace_id)
    .where('code_hash', '=', row.code_hash)
    .execute();
}

export async function insertGrant(db: Db, row: OAuthGrantsTable): Promise<void> {
  await db.insertInto('oauth_grants').values(row).execute();
}

export async function findGrant(
  db: Db,
  workspaceId: string,
  tokenId: string,
): Promise<OAuthGrantsTable | undefined> {
  return db
    .selectFrom('oauth_grants')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('token_id', '=', tokenId)
    .executeTakeFirst();
}

/** A new refresh token, and the lookup from its hash to its workspace (same transaction). */
export async function insertRefreshToken(db: Db, row: OAuthRefreshTokensTable): Promise<void> {
  await db.insertInto('oauth_refresh_tokens').values(row).execute();
  await rememberSecret(db, 'oauth_refresh', row.token_hash, row.workspace_id);
}

/**
 * The refresh token with this hash (spent ones too, so a replay revokes the family): its workspace
 * from the secret lookup, then the row by (workspace_id, token_hash).
 */
export async function findRefreshToken(
  db: Db,
  tokenHash: string,
): Promise<OAuthRefreshTokensTable | undefined> {
  const workspaceId = await workspaceOfSecret(db, 'oauth_refresh', tokenHash);
  if (!workspaceId) return undefined;
  return db
    .selectFrom('oauth_refresh_tokens')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Spends a refresh token once: false when it was already spent (a replay, or a concurrent refresh). */
export async function spendRefreshToken(db: Db, row: OAuthRefreshTokensTable, now: string): Promise<boolean> {
  const result = await db
    .updateTable('oauth_refresh_tokens')
    .set({ used_at: now })
    .where('workspace_id', '=', row.workspace_id)
    .where('token_hash', '=', row.token_hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Spends every refresh token of a family (when it is revoked), so none can be exchanged later. */
export async function spendFamily(db: Db, workspaceId: string, tokenId: string, now: string): Promise<void> {
  await db
    .updateTable('oauth_refresh_tokens')
    .set({ used_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('token_id', '=', tokenId)
    .where('used_at', 'is', null)
    .execute();
}

/** Drops a family's refresh tokens spent before `usedBefore`: a family keeps a bounded history. */
export async function pruneFamily(
  db: Db,
  workspaceId: string,
  tokenId: string,
  usedBefore: string,
): Promise<void> {
  const pruned = await db
    .deleteFrom('oauth_refresh_tokens')
    .where('workspace_id', '=', workspaceId)
    .where('token_id', '=', tokenId)
    .where('used_at', '<', usedBefore)
    .returning('token_hash')
    .execute();
  await forgetSecrets(
    db,
    'oauth_refresh',
    pruned.map((row) => row.token_hash),
  );
}

/**
 * A new secret for the grant's access token (rotation at refresh): the previous secret stops working,
 * and its hash leaves the secret lookup as the new one enters it.
 */
export async function rotateAccessToken(
  db: Db,
  token: { workspace_id: string; id: string; token_hash: string },
  tokenHash: string,
  secretExpiresAt: string,
  now: string,
): Promise<boolean> {
  authStateChanged();
  const result = await db
    .updateTable('tokens')
    .set({ token_hash: tokenHash, secret_expires_at: secretExpiresAt, last_used_at: now })
    .where('workspace_id', '=', token.workspace_id)
    .where('id', '=', token.id)
    .where('token_hash', '=', token.token_hash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  await forgetSecrets(db, 'token', [token.token_hash]);
  await rememberSecret(db, 'token', tokenHash, token.workspace_id);
  return true;
}

/** An audit row for OAuth events (token issued, family revoked), in the token's workspace. */
export async function insertAuditRow(
  db: Db,
  dialect: Parameters<typeof appendAuditRows>[1],
  row: {
    id: string;
    workspaceId: string;
    at: string;
    userId: string;
    tokenId: string;
    tokenName: string;
    operation: string;
    changes: Record<string, [unknown, unknown]>;
    requestId: string;
  },
): Promise<void> {
  await appendAuditRows(db, dialect, [
    {
      workspace_id: row.workspaceId,
      id: row.id,
      at: row.at,
      actor_type: 'user',
      actor_id: row.userId,
      token_id: row.tokenId,
      token_name: row.tokenName,
      operation: row.operation,
      tool_name: null,
      target: `token/${row.tokenId}`,
      changes: JSON.stringify(row.changes),
      reason: null,
      request_id: row.requestId,
      idempotency_key: null,
      policy_decision: 'allow',
      reason_code: 'policy.allowed',
      record_version: null,
      operation_id: null,
      reverts: null,
    },
  ]);
}
