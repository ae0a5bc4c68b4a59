import type { Kysely, Transaction } from 'kysely';
import { hashSecret } from '../../ids.js';
import type { Scope } from '../../operations/define.js';
import type { Services } from '../../services.js';
import type { Database, OAuthClientsTable, OAuthCodesTable } from '../../store/schema.js';
import { settleAuth } from '../auth-cache.js';
import { issueToken } from '../tokens.js';
import { clientGrantTypes } from './clients.js';
import { OAuthError } from './errors.js';
import {
  accessExpiry,
  checkResource,
  invalidGrant,
  newRefreshToken,
  revokeFamily,
  secondsUntil,
  type TokenResponse,
  verifierMatches,
} from './grants.js';
import { findCode, insertAuditRow, insertGrant, setCodeToken, spendCode } from './oauth.repository.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * grant_type=authorization_code: the code works once, within minutes, for the client it was
 * issued to, with the same redirect URI, and only with the PKCE verifier of its challenge. A code
 * presented again revokes what it issued (RFC 6749 §4.1.2).
 */
export async function exchangeCode(
  services: Services,
  client: OAuthClientsTable,
  params: URLSearchParams,
  requestId: string,
): Promise<TokenResponse> {
  const code = params.get('code');
  const verifier = params.get('code_verifier');
  if (!code) throw new OAuthError('invalid_request', 'code is missing', 'send the code from the redirect');
  if (!verifier) {
    throw new OAuthError(
      'invalid_request',
      'code_verifier is missing (PKCE)',
      'send the verifier of your challenge',
    );
  }
  checkResource(services, params);
  const now = services.clock.now();
  const nowIso = now.toISOString();
  const { db } = services.store;
  const row = await findCode(db, hashSecret(code));
  if (!row || row.client_id !== client.id) throw invalidGrant('unknown authorization code');
  if (row.used_at) {
    await settleAuth(services.store, () =>
      db.transaction().execute(async (trx) => {
        if (row.token_id) await revokeIssued(trx, services, row, nowIso, requestId);
      }),
    );
    throw invalidGrant('this authorization code was already used; the tokens it gave were revoked');
  }
  if (row.expires_at <= nowIso) throw invalidGrant('this authorization code expired');
  const redirectUri = params.get('redirect_uri');
  if (
    row.redirect_uri_explicit
      ? redirectUri !== row.redirect_uri
      : redirectUri !== null && redirectUri !== row.redirect_uri
  ) {
    throw invalidGrant('redirect_uri differs from the authorization request');
  }
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || !verifierMatches(verifier, row.code_challenge)) {
    throw invalidGrant('code_verifier does not match the code_challenge');
  }

  return db.transaction().execute(async (trx) => {
    if (!(await spendCode(trx, row, nowIso))) {
      // A concurrent exchange won; this one is a replay.
      throw invalidGrant('this authorization code was already used');
    }
    const familyEnd = new Date(now.getTime() + services.config.tokenMaxTtlSeconds * 1000).toISOString();
    const scopes = row.scopes.split(',') as Scope[];
    // The session (the `tokens` row) lives as long as any token; its secret only for the access life.
    const secretExpiresAt = accessExpiry(services, now, familyEnd);
    const token = await issueToken(services, trx, {
      workspaceId: row.workspace_id,
      principalType: 'user',
      principalId: row.user_id,
      name: client.name,
      scopes,
      now: nowIso,
      expiresAt: familyEnd,
      secretExpiresAt,
    });
    await setCodeToken(trx, row, token.id);
    await insertGrant(trx, {
      workspace_id: row.workspace_id,
      token_id: token.id,
      client_id: client.id,
      user_id: row.user_id,
      created_at: nowIso,
      expires_at: familyEnd,
    });
    await insertAuditRow(trx, services.store.dialect, {
      id: services.ids.next('aud'),
      workspaceId: row.workspace_id,
      at: nowIso,
      userId: row.user_id,
      tokenId: token.id,
      tokenName: client.name,
      operation: 'oauth.authorize',
      changes: { name: [null, client.name], scopes: [null, scopes.join(',')], client_id: [null, client.id] },
      requestId,
    });
    const response: TokenResponse = {
      access_token: token.secret,
      token_type: 'Bearer',
      expires_in: secondsUntil(secretExpiresAt, now),
      scope: scopes.join(' '),
    };
    if (clientGrantTypes(client).includes('refresh_token')) {
      response.refresh_token = await newRefreshToken(
        trx,
        services,
        row.workspace_id,
        token.id,
        now,
        familyEnd,
      );
    }
    return response;
  });
}

async function revokeIssued(
  db: Db,
  services: Services,
  row: OAuthCodesTable,
  now: string,
  requestId: string,
) {
  await revokeFamily(
    db,
    services,
    { workspace_id: row.workspace_id, token_id: row.token_id!, user_id: row.user_id },
    now,
    'authorization code replayed',
    requestId,
  );
}
