import { createHmac } from 'node:crypto';
import { derive, open, seal } from '../secrets/keyring.js';
import type { Keyring, MasterKey } from '../secrets/types.js';
import type { RowScope } from './idempotency.repository.js';

/** What a caller's key is scoped to: its workspace and principal (token id, or anon:<address>). */
export interface KeyScope {
  workspaceId: string;
  principal: string;
  /** The raw idempotency key: never stored, only its keyed hash. */
  key: string;
}

const scopeText = (scope: KeyScope) => `${scope.workspaceId}\n${scope.principal}\n${scope.key}`;

/**
 * The row address under one master key: an HMAC of (workspace, principal, key), so a copy of the
 * table shows no key, and with an external server key nobody can test guesses against it. A call
 * without a token is scoped to its client's address, which is personal data: the row keeps only
 * a keyed hash of it (`anon:<hash>`).
 */
export function rowScope(master: MasterKey, scope: KeyScope): RowScope {
  const keyHash = createHmac('sha256', derive(master, 'idempotency lookup'))
    .update(scopeText(scope))
    .digest('base64url');
  return { workspaceId: scope.workspaceId, principal: storedPrincipal(master, scope.principal), keyHash };
}

const ANONYMOUS = 'anon:';

function storedPrincipal(master: MasterKey, principal: string): string {
  if (!principal.startsWith(ANONYMOUS)) return principal;
  const address = principal.slice(ANONYMOUS.length);
  const hash = createHmac('sha256', derive(master, 'idempotency address'))
    .update(address)
    .digest('base64url');
  return `${ANONYMOUS}${hash.slice(0, 22)}`;
}

// The answer may hold a secret shown once (a new token), so its key needs both the raw idempotency
// key (only the caller has it; the row holds a hash of it under another derived key) and the
// server key (so even a short key cannot be guessed from a copy of the database alone).
function answerKey(scope: KeyScope) {
  return (master: MasterKey) =>
    createHmac('sha256', derive(master, 'idempotency answer')).update(scopeText(scope)).digest();
}

export function sealAnswer(master: MasterKey, scope: KeyScope, row: RowScope, answer: string): string {
  return seal(master, answerKey(scope)(master), answer, row.keyHash);
}

export function openAnswer(
  keyring: Keyring,
  scope: KeyScope,
  row: RowScope,
  sealed: string,
): Promise<string> {
  return open(keyring, sealed, answerKey(scope), row.keyHash);
}
