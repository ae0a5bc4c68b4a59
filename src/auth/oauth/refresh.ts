import { hashSecret, newSecret } from '../../ids.js';
import type { Services } from '../../services.js';
import type { OAuthClientsTable } from '../../store/schema.js';
import { settleAuth } from '../auth-cache.js';
import { TOKEN_PREFIX } from '../tokens.js';
import { findToken } from '../tokens.repository.js';
import { clientGrantTypes } from './clients.js';
import { OAuthError } from './errors.js';
import {
  accessExpiry,
  checkResource,
  invalidGrant,
  KEEP_USED_MS,
  newRefreshToken,
  revokeFamily,
  secondsUntil,
  type TokenResponse,
} from './grants.js';
import {
  findGrant,
  findRefreshToken,
  pruneFamily,
  rotateAccessToken,
  spendRefreshToken,
} from './oauth.repository.js';

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
  const token = await findToken(db, grant.workspace_id, grant.token_id);

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
      if (!(await rotateAccessToken(trx, token, hashSecret(secret), expiresAt, nowIso))) {
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
