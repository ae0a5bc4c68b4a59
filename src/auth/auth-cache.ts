import type { TokensTable } from '../store/schema.js';
import type { AuthFeed, Store } from '../store/types.js';

/**
 * A short in-process cache of what authentication reads (token, workspace plan, member role), by
 * token hash, so a request does not pay a database lookup for it. Revocation-safe:
 *
 * - In this process, every write that changes what authentication would answer (a token revoked
 *   or its secret rotated, a member's role changed or the member removed, a workspace's plan
 *   changed or the workspace deleted) calls `authStateChanged()` from its repository function:
 *   every cached entry is dropped at once (the epoch moves). The transaction that made the change
 *   runs inside `settleAuth()`, which moves the epoch again once it has committed, so a lookup
 *   that read the old row meanwhile (PostgreSQL runs requests side by side) cannot keep it.
 * - Other processes sharing the database (several servers on one PostgreSQL) hear of it from the
 *   database: triggers on tokens, memberships and workspaces (migration 0012) NOTIFY in the
 *   changing transaction, and each process LISTENs (src/store/auth-feed.ts); a notification moves
 *   the epoch there too. `settleAuth()` answers a change only after a barrier (AuthFeed.barrier)
 *   has been acknowledged by every listening process, so by the time the client hears "revoked",
 *   none of them holds the old state (one that does not answer within 1 s: see TTL_MS). While a process is not listening (starting, or its listener connection
 *   lost), it caches nothing and reads every request's authentication from the database.
 * - TTL_MS is the backstop for a listener that died silently (no error yet, found by the feed's
 *   health barrier within seconds) and for a process too stuck to acknowledge a barrier within
 *   1 s: an entry never lives longer than that.
 *
 * Expiry (idle and absolute) is still decided on every request from the cached row, and the
 * idle clock's write (at most once a minute) updates the cached row too.
 */
const TTL_MS = 2_000;
const MAX_ENTRIES = 10_000;

let localEpoch = 0;

/** Drops every cached authentication in this process; call on any write that changes one. */
export function authStateChanged(): void {
  localEpoch++;
}

/**
 * Runs a transaction; if it changed authentication, drops what was cached while it ran, and
 * (PostgreSQL) answers only once its notification has reached the listeners.
 */
export async function settleAuth<T>(store: Store, work: () => Promise<T>): Promise<T> {
  const before = localEpoch;
  const result = await work().finally(() => {
    if (localEpoch !== before) localEpoch++;
  });
  if (localEpoch !== before) await store.authChanges()?.barrier();
  return result;
}

/** What authentication reads of a token (tokens.repository.ts findTokenForAuth), and what is cached. */
export interface TokenForAuth extends TokensTable {
  plan: string;
  /** The user's role in the token's workspace; null for agents, and for users no longer members. */
  role: 'admin' | 'member' | null;
}

interface Entry {
  row: TokenForAuth;
  epoch: number;
  until: number;
}

export class AuthCache {
  readonly #entries = new Map<string, Entry>();
  readonly #feed: AuthFeed | null;

  /** `feed` is null where no other process writes (SQLite). */
  constructor(feed: AuthFeed | null) {
    this.#feed = feed;
  }

  /** Take it before a lookup and hand it to set(): a change seen since then discards the row. */
  epoch(): number {
    // Both counters only grow, so their sum moves whenever either does.
    return localEpoch + (this.#feed?.version ?? 0);
  }

  get(tokenHash: string): TokenForAuth | undefined {
    const entry = this.#entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.epoch !== this.epoch() || performance.now() >= entry.until) {
      this.#entries.delete(tokenHash);
      return undefined;
    }
    return entry.row;
  }

  set(tokenHash: string, row: TokenForAuth, readEpoch: number): void {
    if (this.#feed && !this.#feed.live) return;
    const epoch = this.epoch();
    if (readEpoch !== epoch) return;
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    this.#entries.set(tokenHash, { row, epoch, until: performance.now() + TTL_MS });
  }
}
