import type { Kysely, Transaction } from 'kysely';
import type { Database, SecretKind } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The global map from a secret's hash to its workspace (docs/scale.md, migration 0016). A secret
 * arrives before its workspace is known; reading the workspace here first lets the tenant row be
 * read by (workspace_id, hash), which a database sharded by workspace sends to one shard.
 *
 * Rule: a row exists exactly while a tenant row holds that hash and the secret can still be
 * presented (a revoked token's hash leaves it). Every write of a hash writes here in the caller's
 * transaction; every removal of a hash removes it here.
 */

/** Which tenant table holds each kind of secret (workspace deletion removes a table's lookups with it). */
export const SECRET_TABLES: Record<string, SecretKind> = {
  tokens: 'token',
  invites: 'invite',
  oauth_codes: 'oauth_code',
  oauth_refresh_tokens: 'oauth_refresh',
};

export async function rememberSecret(
  db: Db,
  kind: SecretKind,
  hash: string,
  workspaceId: string,
): Promise<void> {
  await db.insertInto('secret_lookups').values({ kind, hash, owner_workspace_id: workspaceId }).execute();
}

export async function forgetSecrets(db: Db, kind: SecretKind, hashes: readonly string[]): Promise<void> {
  if (hashes.length === 0) return;
  await db.deleteFrom('secret_lookups').where('kind', '=', kind).where('hash', 'in', hashes).execute();
}

/** The workspace holding this secret, or undefined when no live secret has this hash. */
export async function workspaceOfSecret(db: Db, kind: SecretKind, hash: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('secret_lookups')
    .select('owner_workspace_id')
    .where('kind', '=', kind)
    .where('hash', '=', hash)
    .executeTakeFirst();
  return row?.owner_workspace_id;
}

/** Every lookup of one kind that points at a workspace (the workspace is being deleted). */
export async function forgetWorkspaceSecrets(db: Db, kind: SecretKind, workspaceId: string): Promise<void> {
  await db
    .deleteFrom('secret_lookups')
    .where('owner_workspace_id', '=', workspaceId)
    .where('kind', '=', kind)
    .execute();
}
