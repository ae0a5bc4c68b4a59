import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../errors.js';
import { hashSecret, newSecret } from '../ids.js';
import type { Caller, Role, Scope } from '../operations/define.js';
import { loginHint } from '../operations/steps.js';
import type { Services } from '../services.js';
import type { Database, TokensTable } from '../store/schema.js';
import { AuthCache } from './auth-cache.js';
import { effectiveScopes } from './scopes.js';
import { findTokenForAuth, insertToken, touchToken } from './tokens.repository.js';

/** A token's inactivity clock is written at most this often, to spare the database. */
const TOUCH_INTERVAL_MS = 60_000;

export const TOKEN_PREFIX = 'ck';

export interface IssuedToken {
  id: string;
  secret: string;
  expiresAt: string;
  scopes: Scope[];
}

export async function issueToken(
  services: Services,
  db: Kysely<Database> | Transaction<Database>,
  input: {
    workspaceId: string;
    principalType: 'agent' | 'user';
    principalId: string;
    name: string;
    scopes: Scope[];
    now: string;
    /** An earlier absolute end than the configured cap (never a later one). */
    expiresAt?: string;
    /** When this first secret stops working (OAuth access tokens; refresh gives a new one). */
    secretExpiresAt?: string;
  },
): Promise<IssuedToken> {
  const secret = newSecret(TOKEN_PREFIX);
  const id = services.ids.next('tok');
  const cap = new Date(Date.parse(input.now) + services.config.tokenMaxTtlSeconds * 1000).toISOString();
  const expiresAt = input.expiresAt && input.expiresAt < cap ? input.expiresAt : cap;
  await insertToken(db, {
    id,
    workspace_id: input.workspaceId,
    token_hash: hashSecret(secret),
    principal_type: input.principalType,
    principal_id: input.principalId,
    name: input.name,
    scopes: input.scopes.join(','),
    created_at: input.now,
    last_used_at: input.now,
    expires_at: expiresAt,
    revoked_at: null,
    secret_expires_at: input.secretExpiresAt ?? null,
  });
  return { id, secret, expiresAt, scopes: input.scopes };
}

/** When an idle token dies: its last use plus the inactivity period, or its absolute end. */
export function tokenDeadline(row: Pick<TokensTable, 'last_used_at' | 'expires_at'>, idleTtlSeconds: number) {
  const idle = new Date(Date.parse(row.last_used_at) + idleTtlSeconds * 1000).toISOString();
  return idle < row.expires_at ? idle : row.expires_at;
}

const authCaches = new WeakMap<Services, AuthCache>();
function authCacheOf(services: Services): AuthCache {
  let cache = authCaches.get(services);
  if (!cache) {
    cache = new AuthCache(
      services.store.authChanges((error) =>
        services.logger.warn(
          { err: error },
          'auth listener lost: authentication is read from the database on every request until it listens again',
        ),
      ),
    );
    authCaches.set(services, cache);
  }
  return cache;
}

/**
 * Starts the authentication cache now rather than at the first request: on PostgreSQL this opens
 * its listening connection, so the process is listening (and known to the others) before it
 * serves. Servers call it at start; elsewhere the first request does.
 */
export function startAuthCache(services: Services): void {
  authCacheOf(services);
}

const unauthorized = (code: 'invalid_token' | 'token_expired', message: string, hint = loginHint) =>
  new AppError(code, message, hint, { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });

/** Resolves an Authorization header to a caller, or throws the 401 that explains why not. */
export async function authenticate(services: Services, authorization: string | undefined): Promise<Caller> {
  if (!authorization) {
    throw new AppError('auth_required', 'this route needs a bearer token', loginHint, {
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw unauthorized('invalid_token', 'the Authorization header is not "Bearer <token>"');
  const { db } = services.store;
  const hash = hashSecret(match[1]!);
  const cache = authCacheOf(services);
  let row = cache.get(hash);
  if (!row) {
    const readEpoch = cache.epoch();
    row = await findTokenForAuth(db, hash);
    if (row && !row.revoked_at) cache.set(hash, row, readEpoch);
  }
  if (!row || row.revoked_at) throw unauthorized('invalid_token', 'this token is unknown or was revoked');
  if (row.principal_type === 'user' && row.role === null) {
    throw unauthorized('invalid_token', 'this token belongs to a workspace you are no longer a member of');
  }
  const now = services.clock.now();
  if (row.secret_expires_at && now.toISOString() >= row.secret_expires_at) {
    throw unauthorized(
      'token_expired',
      'this access token expired',
      'refresh it (POST /token with grant_type=refresh_token), or sign in again',
    );
  }
  if (now.toISOString() >= tokenDeadline(row, services.config.tokenIdleTtlSeconds)) {
    throw unauthorized(
      'token_expired',
      'this token expired',
      `${loginHint}; a token in regular use is renewed by each use`,
    );
  }
  if (now.getTime() - Date.parse(row.last_used_at) >= TOUCH_INTERVAL_MS) {
    const nowIso = now.toISOString();
    await touchToken(
      db,
      row.workspace_id,
      row.id,
      nowIso,
      new Date(now.getTime() - TOUCH_INTERVAL_MS).toISOString(),
    );
    cache.set(hash, { ...row, last_used_at: nowIso }, cache.epoch());
  }
  const role: Role = row.role ?? 'member';
  return {
    workspaceId: row.workspace_id,
    principalType: row.principal_type,
    principalId: row.principal_id,
    tokenId: row.id,
    tokenName: row.name,
    scopes: effectiveScopes(row.scopes, role),
    role,
    plan: row.plan,
    ...(row.secret_expires_at !== null ? { fromOAuth: true } : {}),
  };
}
