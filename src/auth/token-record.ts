import type { TokensTable } from '../store/schema.js';
import { tokenDeadline } from './tokens.js';

export interface TokenRecord {
  handle: string;
  id: string;
  name: string;
  workspace_id: string;
  principal: string;
  scopes: string[];
  current?: boolean;
  created_at: string;
  last_used_at: string;
  /** When it dies if unused from now on: the inactivity deadline or the absolute end, whichever is first. */
  idle_expires_at: string;
  expires_at: string;
}

/** A token as listed: never its secret, never its hash. */
export function toTokenRecord(
  row: TokensTable,
  idleTtlSeconds: number,
  currentTokenId?: string,
): TokenRecord {
  return {
    handle: `token/${row.id}`,
    id: row.id,
    name: row.name,
    workspace_id: row.workspace_id,
    principal: `${row.principal_type}/${row.principal_id}`,
    scopes: row.scopes.split(',').filter(Boolean),
    ...(currentTokenId === row.id ? { current: true } : {}),
    created_at: row.created_at,
    last_used_at: row.last_used_at,
    idle_expires_at: tokenDeadline(row, idleTtlSeconds),
    expires_at: row.expires_at,
  };
}

/**
 * The first fields of every answer that hands out a new token (sign-in, invite acceptance, a new
 * token, a token for another workspace): its handle and id, the secret — shown this once — and its name.
 */
export function issuedToken(token: { id: string; secret: string }, name: string) {
  return { handle: `token/${token.id}`, id: token.id, token: token.secret, name };
}
