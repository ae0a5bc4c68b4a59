import { hashSecret } from '../../ids.js';
import type { Services } from '../../services.js';
import { findTokenForAuth } from '../tokens.repository.js';
import { revokeFamily } from './grants.js';
import { findGrant, findRefreshToken } from './oauth.repository.js';

/**
 * RFC 7009: revokes the session (grant) a presented token belongs to — a refresh token or the
 * access token — if it was issued to this client. Anything else is silently ignored, as the RFC asks.
 */
export async function revokeForClient(
  services: Services,
  clientId: string,
  presented: string,
  requestId: string,
): Promise<void> {
  const { db } = services.store;
  const hash = hashSecret(presented);
  const refresh = await findRefreshToken(db, hash);
  const access = refresh ? undefined : await findTokenForAuth(db, hash);
  const workspaceId = refresh?.workspace_id ?? access?.workspace_id;
  const tokenId = refresh?.token_id ?? access?.id;
  const grant = workspaceId && tokenId ? await findGrant(db, workspaceId, tokenId) : undefined;
  if (!grant || grant.client_id !== clientId) return;
  const now = services.clock.now().toISOString();
  await db
    .transaction()
    .execute((trx) => revokeFamily(trx, services, grant, now, 'revoked by the client', requestId));
}
