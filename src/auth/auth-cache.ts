import type { TokenForAuth } from './tokens.repository.js';

/**
 * A short in-process cache of what authentication reads (token, workspace plan, member role), by
 * token hash, so a request does not pay a database lookup for it. Revocation-safe:
 *
 * - In this process, every write that changes what authentication would answer (a token revoked
 *   or its secret rotated, a member's role changed or the member removed, a workspace's plan
 *   changed or the workspace deleted) calls `authStateChanged()` from its repository function:
 *   every cached entry is dropped at once (the epoch moves). The transaction that made the change
 *   runs inside `settleAuth()`, which moves the epoch again once it has committed, so a lookup
 *   that read the old row meanwhile (PostgreSQL runs requests side by side) cannot keep it. The
 *   next request after a revoke is refused. (The operation pipeline and the OAuth token endpoint
 *   do this; a change made in a transaction opened elsewhere is bounded by TTL_MS like below.)
 * - Another process sharing the database (several servers on one PostgreSQL) is not told: there
 *   an entry lives at most TTL_MS, which bounds how long a revoked token keeps working elsewhere.
 *
 * Expiry (idle and absolute) is still decided on every request from the cached row, and the
 * idle clock's write (at most once a minute) updates the cached row too.
 */
const TTL_MS = 2_000;
const MAX_ENTRIES = 10_000;

let epoch = 0;

/** Drops every cached authentication in this process; call on any write that changes one. */
export function authStateChanged(): void {
  epoch++;
}

/** Runs a transaction; if it changed authentication, drops what was cached while it ran, too. */
export async function settleAuth<T>(work: () => Promise<T>): Promise<T> {
  const before = epoch;
  try {
    return await work();
  } finally {
    if (epoch !== before) epoch++;
  }
}

export function authEpoch(): number {
  return epoch;
}

interface Entry {
  row: TokenForAuth;
  epoch: number;
  until: number;
}

export class AuthCache {
  readonly #entries = new Map<string, Entry>();

  get(tokenHash: string): TokenForAuth | undefined {
    const entry = this.#entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.epoch !== epoch || performance.now() >= entry.until) {
      this.#entries.delete(tokenHash);
      return undefined;
    }
    return entry.row;
  }

  /** `readEpoch` is authEpoch() from before the lookup: a change since then discards the row. */
  set(tokenHash: string, row: TokenForAuth, readEpoch: number): void {
    const now = performance.now();
    if (readEpoch !== epoch) return;
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    this.#entries.set(tokenHash, { row, epoch, until: now + TTL_MS });
  }
}
