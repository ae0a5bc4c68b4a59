import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../errors.js';
import { hashSecret, newSecret } from '../ids.js';
import type { Caller, Scope } from '../operations/define.js';
import { loginHint } from '../operations/pipeline.js';
import type { Services } from '../services.js';
import type { Database } from '../store/schema.js';
import { findTokenByHash, insertToken, touchToken } from './tokens.repository.js';

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
  },
): Promise<IssuedToken> {
  const secret = newSecret(TOKEN_PREFIX);
  const id = services.ids.next('tok');
  const expiresAt = new Date(Date.parse(input.now) + services.config.tokenMaxTtlSeconds * 1000).toISOString();
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
  });
  return { id, secret, expiresAt, scopes: input.scopes };
}

/** Resolves an Authorization header to a caller, or throws the 401 that explains why not. */
export async function authenticate(services: Services, authorization: string | undefined): Promise<Caller> {
  if (!authorization) {
    throw new AppError('auth_required', 'this route needs a bearer token', loginHint, {
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) {
    throw new AppError('invalid_token', 'the Authorization header is not "Bearer <token>"', loginHint, {
      headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
    });
  }
  const { db } = services.store;
  const row = await findTokenByHash(db, hashSecret(match[1]!));
  if (!row || row.revoked_at) {
    throw new AppError('invalid_token', 'this token is unknown or was revoked', loginHint, {
      headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
    });
  }
  const now = services.clock.now();
  const idleDeadline = Date.parse(row.last_used_at) + services.config.tokenIdleTtlSeconds * 1000;
  if (now.getTime() >= idleDeadline || now.getTime() >= Date.parse(row.expires_at)) {
    throw new AppError(
      'token_expired',
      'this token expired',
      `${loginHint}; a token in regular use is renewed by each use`,
      {
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      },
    );
  }
  if (now.getTime() - Date.parse(row.last_used_at) >= TOUCH_INTERVAL_MS) {
    const nowIso = now.toISOString();
    await touchToken(db, row.id, nowIso, new Date(now.getTime() - TOUCH_INTERVAL_MS).toISOString());
  }
  return {
    workspaceId: row.workspace_id,
    principalType: row.principal_type,
    principalId: row.principal_id,
    tokenId: row.id,
    tokenName: row.name,
    scopes: row.scopes.split(',').filter(Boolean) as Scope[],
  };
}
