import { createHash, timingSafeEqual } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { settleAuth } from '../auth/auth-cache.js';
import { issueToken, TOKEN_PREFIX } from '../auth/tokens.js';
import { findToken, revokeToken } from '../auth/tokens.repository.js';
import { hashSecret, newSecret } from '../ids.js';
import type { Scope } from '../operations/define.js';
import type { Services } from '../services.js';
import type { Database, OAuthClientsTable, OAuthCodesTable } from '../store/schema.js';
import { clientGrantTypes } from './clients.js';
import { OAuthError } from './errors.js';
import { isOurResource } from './metadata.js';
import {
  findCode,
  findGrant,
  findRefreshToken,
  insertAuditRow,
  insertGrant,
  insertRefreshToken,
  pruneFamily,
  rotateAccessToken,
  setCodeToken,
  spendCode,
  spendFamily,
  spendRefreshToken,
} from './oauth.repository.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The RFC 6749 §5.1 answer. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
}

const REFRESH_PREFIX = 'ckr';
/** Spent refresh tokens are kept this long to recognise a replay (and revoke the family), then pruned. */
const KEEP_USED_MS = 7 * 24 * 3600_000;

const invalidGrant = (description: string) =>
  new OAuthError(
    'invalid_grant',
    description,
    'start the authorization again (GET /authorize); codes work once, for minutes, and refresh tokens once each',
  );

function checkResource(services: Services, params: URLSearchParams): void {
  const resources = params.getAll('resource');
  if (
    resources.length > 1 ||
    (resources.length === 1 && !isOurResource(services.config.publicUrl, resources[0]!))
  ) {
    throw new OAuthError(
      'invalid_target',
      `resource must be ${services.config.publicUrl}/mcp`,
      'send the MCP URL',
    );
  }
}

/** RFC 7636 §4.6: BASE64URL(SHA256(verifier)) must equal the stored challenge. */
function verifierMatches(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

/** A refresh token's life: the idle period from now, never past the family's absolute end. */
function refreshExpiry(services: Services, now: Date, familyEnd: string): string {
  const idle = new Date(now.getTime() + services.config.tokenIdleTtlSeconds * 1000).toISOString();
  return idle < familyEnd ? idle : familyEnd;
}

function accessExpiry(services: Services, now: Date, familyEnd: string): string {
  const end = new Date(now.getTime() + services.config.oauthAccessTokenTtlSeconds * 1000).toISOString();
  return end < familyEnd ? end : familyEnd;
}

const secondsUntil = (iso: string, now: Date) =>
  Math.max(0, Math.floor((Date.parse(iso) - now.getTime()) / 1000));

/** Revokes a grant: its access token (the `tokens` row) and every refresh token of its family. */
export async function revokeFamily(
  db: Db,
  services: Services,
  grant: { workspace_id: string; token_id: string; user_id: string },
  now: string,
  why: string,
  requestId: string,
): Promise<void> {
  await spendFamily(db, grant.workspace_id, grant.token_id, now);
  const token = await findToken(db, grant.token_id);
  if (!token || !(await revokeToken(db, grant.token_id, now))) return;
  await insertAuditRow(db, services.store.dialect, {
    id: services.ids.next('aud'),
    workspaceId: grant.workspace_id,
    at: now,
    userId: grant.user_id,
    tokenId: token.id,
    tokenName: token.name,
    operation: 'oauth.revoke',
    changes: { revoked_at: [null, now], reason: [null, why] },
    requestId,
  });
}

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

async function newRefreshToken(
  db: Db,
  services: Services,
  workspaceId: string,
  tokenId: string,
  now: Date,
  familyEnd: string,
): Promise<string> {
  const secret = newSecret(REFRESH_PREFIX);
  await insertRefreshToken(db, {
    workspace_id: workspaceId,
    token_hash: hashSecret(secret),
    token_id: tokenId,
    created_at: now.toISOString(),
    expires_at: refreshExpiry(services, now, familyEnd),
    used_at: null,
  });
  return secret;
}

/**
 * grant_type=refresh_token: rotation. The refresh token works once and gives a new one; the
 * grant's access token (the same `tokens` row, so one entry in GET /tokens per connector) gets a
 * new secret and a new expiry. A refresh token presented twice means it leaked: the whole family
 * is revoked. A family whose access token was revoked (DELETE /tokens/{id}) cannot refresh.
 */
export async function refreshGrant(
  services: Services,
  client: OAuthClientsTable,
  params: URLSearchParams,
  requestId: string,
): Promise<TokenResponse> {
  const presented = params.get('refresh_token');
  if (!presented)
    throw new OAuthError('invalid_request', 'refresh_token is missing', 'send your refresh token');
  if (!clientGrantTypes(client).includes('refresh_token')) {
    throw new OAuthError(
      'unauthorized_client',
      'this client did not register the refresh_token grant',
      'register again',
    );
  }
  checkResource(services, params);
  const now = services.clock.now();
  const nowIso = now.toISOString();
  const { db } = services.store;
  const row = await findRefreshToken(db, hashSecret(presented));
  if (!row) throw invalidGrant('unknown refresh token');
  const grant = await findGrant(db, row.workspace_id, row.token_id);
  if (!grant || grant.client_id !== client.id) throw invalidGrant('unknown refresh token');
  const token = await findToken(db, grant.token_id);

  return settleAuth(services.store, () =>
    db.transaction().execute(async (trx) => {
      if (row.used_at || !(await spendRefreshToken(trx, row, nowIso))) {
        await revokeFamily(trx, services, grant, nowIso, 'refresh token replayed', requestId);
        return {
          error: invalidGrant('this refresh token was already used; the session was revoked, sign in again'),
        };
      }
      if (!token || token.revoked_at)
        return { error: invalidGrant('this session was revoked; sign in again') };
      if (row.expires_at <= nowIso)
        return { error: invalidGrant('this refresh token expired; sign in again') };
      const requested = params.get('scope');
      const granted = token.scopes.split(',').filter(Boolean);
      if (requested?.split(' ').some((scope) => scope && !granted.includes(scope))) {
        return {
          error: new OAuthError(
            'invalid_scope',
            'a refresh cannot add scopes',
            `ask for at most: ${granted.join(' ')}`,
          ),
        };
      }
      const secret = newSecret(TOKEN_PREFIX);
      const expiresAt = accessExpiry(services, now, grant.expires_at);
      if (!(await rotateAccessToken(trx, token.id, hashSecret(secret), expiresAt, nowIso))) {
        return { error: invalidGrant('this session was revoked; sign in again') };
      }
      await pruneFamily(
        trx,
        row.workspace_id,
        row.token_id,
        new Date(now.getTime() - KEEP_USED_MS).toISOString(),
      );
      const refresh = await newRefreshToken(trx, services, row.workspace_id, token.id, now, grant.expires_at);
      const response: TokenResponse = {
        access_token: secret,
        token_type: 'Bearer',
        expires_in: secondsUntil(expiresAt, now),
        scope: granted.join(' '),
        refresh_token: refresh,
      };
      return { response };
    }),
  ).then((outcome) => {
    // Errors are returned from the transaction, not thrown, so a detected replay's revocation commits.
    if ('error' in outcome) throw outcome.error;
    return outcome.response;
  });
}
