import type { Kysely } from 'kysely';
import { columnTypes } from './types.js';

/**
 * The OAuth 2.1 authorization server behind /mcp. Clients and pending sign-ins belong to no
 * workspace yet; codes, grants and refresh tokens do, so deleting a workspace removes them. Every
 * secret (client secret, page binding, request handle, code, refresh token) is stored as a
 * SHA-256 hash; codes and refresh tokens are looked up by that hash before the workspace is known,
 * so the hash has its own unique index, as tokens.token_hash does.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { text } = columnTypes(db);

  // An OAuth session is one token whose secret is short-lived and replaced at each refresh.
  await db.schema.alterTable('tokens').addColumn('secret_expires_at', text).execute();

  await db.schema
    .createTable('oauth_clients')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('secret_hash', text)
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('redirect_uris', text, (c) => c.notNull())
    .addColumn('grant_types', text, (c) => c.notNull())
    .addColumn('token_endpoint_auth_method', text, (c) => c.notNull())
    .addColumn('scope', text)
    .addColumn('metadata', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('oauth_requests')
    .addColumn('id_hash', text, (c) => c.primaryKey())
    .addColumn('client_id', text, (c) => c.notNull().references('oauth_clients.id'))
    .addColumn('redirect_uri', text, (c) => c.notNull())
    .addColumn('redirect_uri_explicit', 'integer', (c) => c.notNull())
    .addColumn('state', text)
    .addColumn('code_challenge', text, (c) => c.notNull())
    .addColumn('scopes', text)
    .addColumn('resource', text)
    .addColumn('binding_hash', text, (c) => c.notNull())
    .addColumn('email', text)
    .addColumn('user_id', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('expires_at', text, (c) => c.notNull())
    .addColumn('finished_at', text)
    .execute();
  await db.schema.createIndex('oauth_requests_expiry').on('oauth_requests').columns(['expires_at']).execute();

  await db.schema
    .createTable('oauth_codes')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('code_hash', text, (c) => c.notNull().unique())
    .addColumn('client_id', text, (c) => c.notNull())
    .addColumn('user_id', text, (c) => c.notNull())
    .addColumn('redirect_uri', text, (c) => c.notNull())
    .addColumn('redirect_uri_explicit', 'integer', (c) => c.notNull())
    .addColumn('code_challenge', text, (c) => c.notNull())
    .addColumn('scopes', text, (c) => c.notNull())
    .addColumn('resource', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('expires_at', text, (c) => c.notNull())
    .addColumn('used_at', text)
    .addColumn('token_id', text)
    .addPrimaryKeyConstraint('oauth_codes_pk', ['workspace_id', 'code_hash'])
    .execute();
  await db.schema
    .createIndex('oauth_codes_expiry')
    .on('oauth_codes')
    .columns(['workspace_id', 'expires_at'])
    .execute();

  // One grant per connector session: the access token (a row of `tokens`) and its refresh family.
  await db.schema
    .createTable('oauth_grants')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('token_id', text, (c) => c.notNull())
    .addColumn('client_id', text, (c) => c.notNull())
    .addColumn('user_id', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('expires_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('oauth_grants_pk', ['workspace_id', 'token_id'])
    .execute();

  await db.schema
    .createTable('oauth_refresh_tokens')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('token_hash', text, (c) => c.notNull().unique())
    .addColumn('token_id', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('expires_at', text, (c) => c.notNull())
    .addColumn('used_at', text)
    .addPrimaryKeyConstraint('oauth_refresh_tokens_pk', ['workspace_id', 'token_hash'])
    .execute();
  await db.schema
    .createIndex('oauth_refresh_tokens_family')
    .on('oauth_refresh_tokens')
    .columns(['workspace_id', 'token_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oauth_refresh_tokens').execute();
  await db.schema.dropTable('oauth_grants').execute();
  await db.schema.dropTable('oauth_codes').execute();
  await db.schema.dropTable('oauth_requests').execute();
  await db.schema.dropTable('oauth_clients').execute();
  await db.schema.alterTable('tokens').dropColumn('secret_expires_at').execute();
}
