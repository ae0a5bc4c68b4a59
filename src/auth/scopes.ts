import { AppError } from '../errors.js';
import type { AnyOperation, Caller, Role, Scope } from '../operations/define.js';

export const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

/** What each role may do; a token never carries more than its principal's role allows today. */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  admin: ['read', 'write', 'admin'],
  member: ['read', 'write'],
};

/**
 * What an OAuth client gets when it names no scope and registered none: least privilege for an
 * agent's everyday work. `admin` is granted only when asked for, typically by step-up: a call that
 * needs it answers 403 `insufficient_scope` naming the wider scope, and the client re-authorizes.
 */
export const DEFAULT_OAUTH_SCOPES: readonly Scope[] = ['read', 'write'];

/** The scopes in canonical order (read, write, admin), each once. */
export function scopeUnion(...lists: readonly (readonly string[])[]): Scope[] {
  return SCOPES.filter((scope) => lists.some((list) => list.includes(scope)));
}

/**
 * The RFC 6750 challenge of a call refused for scope: the scope to ask for is what the token has
 * plus what the call needs, so a client that re-authorizes with it loses nothing it had.
 */
export function insufficientScopeChallenge(scope: readonly string[], resourceMetadata?: string): string {
  const metadata = resourceMetadata ? `, resource_metadata="${resourceMetadata}"` : '';
  return `Bearer error="insufficient_scope", scope="${scope.join(' ')}"${metadata}`;
}

/** Stored scopes (comma-separated) narrowed to the role: a demoted admin's old tokens lose `admin` at once. */
export function effectiveScopes(stored: string, role: Role): Scope[] {
  const allowed = ROLE_SCOPES[role];
  return stored.split(',').filter((scope): scope is Scope => allowed.includes(scope as Scope));
}

/** True when the token carries everything its role allows (a full session, not a narrowed one). */
export function isFullSession(caller: Caller): boolean {
  return ROLE_SCOPES[caller.role].every((scope) => caller.scopes.includes(scope));
}

/**
 * 403 when the caller may not run the operation: `forbidden` when the role itself does not allow
 * it (a member calling an admin route), `scope_insufficient` when only the token was narrowed.
 */
export function assertScope(operation: AnyOperation, caller: Caller): void {
  if (caller.scopes.includes(operation.scope)) return;
  if (!ROLE_SCOPES[caller.role].includes(operation.scope)) {
    const who = caller.principalType === 'agent' ? 'agents act as members and' : `your role (${caller.role})`;
    throw new AppError(
      'forbidden',
      `${operation.name} is for workspace admins; ${who} cannot run it`,
      'ask an admin of this workspace to do it, or to make you an admin (POST /workspaces/{id}/members/{userId}/role)',
    );
  }
  const wanted = scopeUnion(caller.scopes, [operation.scope]);
  throw new AppError(
    'scope_insufficient',
    `${operation.name} needs the ${operation.scope} scope; this token has ${caller.scopes.join(', ') || 'none'}`,
    caller.fromOAuth
      ? `authorize again with scope "${wanted.join(' ')}" (an MCP client does it on its own when it sees the 403 insufficient_scope challenge); the person approves the wider access`
      : 'use a token that carries that scope: mint one with POST /auth/verify or, from a full session, POST /tokens',
    {
      details: { required_scope: operation.scope, scope: wanted.join(' ') },
      headers: { 'www-authenticate': insufficientScopeChallenge(wanted) },
    },
  );
}
