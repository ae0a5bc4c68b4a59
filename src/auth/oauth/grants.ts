import { createHash, timingSafeEqual } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { hashSecret, newSecret } from '../../ids.js';
import type { Services } from '../../services.js';
import type { Database } from '../../store/schema.js';
import { findToken, revokeToken } from '../tokens.repository.js';
import { OAuthError } from './errors.js';
import { insertAuditRow, insertRefreshToken, spendFamily } from './oauth.repository.js';
import { isOurResource } from './resource.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * What both grants share: the token answer, expiries, PKCE, refresh tokens and revoking a family.
 * The grants themselves are in code-exchange.ts and refresh.ts.
 */

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
export const KEEP_USED_MS = 7 * 24 * 3600_000;

export const invalidGrant = (description: string) =>
  new OAuthError(
    'invalid_grant',
    description,
    'start the authorization again (GET /authorize); codes work once, for minutes, and refresh tokens once each',
  );

export function checkResource(services: Services, params: URLSearchParams): void {
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
export function verifierMatches(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

/** A refresh token's life: the idle period from now, never past the family's absolute end. */
function refreshExpiry(services: Services, now: Date, familyEnd: string): string {
  const idle = new Date(now.getTime() + services.config.tokenIdleTtlSeconds * 1000).toISOString();
  return idle < familyEnd ? idle : familyEnd;
}

export function accessExpiry(services: Services, now: Date, familyEnd: string): string {
  const end = new Date(now.getTime() + services.config.oauthAccessTokenTtlSeconds * 1000).toISOString();
  return end < familyEnd ? end : familyEnd;
}

export const secondsUntil = (iso: string, now: Date) =>
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
  const token = await findToken(db, grant.workspace_id, grant.token_id);
  if (!token || !(await revokeToken(db, grant.workspace_id, grant.token_id, now))) return;
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

export async function newRefreshToken(
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
