import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../errors.js';
import type { Database } from '../store/schema.js';
import { countHit, deleteExpiredCounters } from './ratelimit.repository.js';

export interface Limit {
  /** Names the policy in the RateLimit headers: `token`, `ip`, `login-email`, … */
  policy: string;
  /** What is counted; hashed before it is stored. */
  key: string;
  limit: number;
  windowSeconds: number;
}

export interface LimitState {
  allowed: boolean;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
  /** The IETF httpapi RateLimit-Policy / RateLimit header fields for this limit. */
  headers: Record<string, string>;
}

/** Removes stale counters about once every this many hits per process. */
const SWEEP_EVERY = 1000;
let hitsSinceSweep = 0;

/**
 * Counts a hit against a fixed-window limit stored in the database, so every server process sees
 * the same count. Pass the operation's transaction when inside one (SQLite has one connection).
 */
export async function hit(
  db: Kysely<Database> | Transaction<Database>,
  now: Date,
  limit: Limit,
): Promise<LimitState> {
  const windowMs = limit.windowSeconds * 1000;
  const start = Math.floor(now.getTime() / windowMs) * windowMs;
  const end = start + windowMs;
  const key = `${limit.policy}:${createHash('sha256').update(limit.key).digest('base64url')}`;
  const hits = await countHit(db, key, new Date(start).toISOString(), new Date(end).toISOString());
  if (++hitsSinceSweep >= SWEEP_EVERY) {
    hitsSinceSweep = 0;
    await deleteExpiredCounters(db, now.toISOString());
  }
  return stateOf(limit, hits, end, now);
}

function stateOf(limit: Limit, hits: number, end: number, now: Date): LimitState {
  const remaining = Math.max(0, limit.limit - hits);
  const resetSeconds = Math.max(1, Math.ceil((end - now.getTime()) / 1000));
  return {
    allowed: hits <= limit.limit,
    remaining,
    resetSeconds,
    headers: {
      'ratelimit-policy': `"${limit.policy}";q=${limit.limit};w=${limit.windowSeconds}`,
      ratelimit: `"${limit.policy}";r=${remaining};t=${resetSeconds}`,
    },
  };
}

/**
 * The same fixed-window count kept in memory: exact when this process is the only one counting
 * (SQLite, where one server process owns the database), and free of the database write a hit
 * costs otherwise (on SQLite, a durable commit per request). Keys are kept as given (never
 * stored); a window's counters are dropped once it has ended.
 */
export class MemoryLimiter {
  readonly #windows = new Map<string, { start: number; end: number; hits: number }>();
  #sweepAt = 0;

  hit(now: Date, limit: Limit): LimitState {
    const windowMs = limit.windowSeconds * 1000;
    const nowMs = now.getTime();
    const start = Math.floor(nowMs / windowMs) * windowMs;
    const key = `${limit.policy}:${limit.key}`;
    const counter = this.#windows.get(key);
    let hits: number;
    if (counter && counter.start === start) hits = ++counter.hits;
    else {
      hits = 1;
      this.#windows.set(key, { start, end: start + windowMs, hits });
    }
    if (nowMs >= this.#sweepAt) {
      this.#sweepAt = nowMs + 10_000;
      for (const [k, c] of this.#windows) if (c.end <= nowMs) this.#windows.delete(k);
    }
    return stateOf(limit, hits, start + windowMs, now);
  }
}

/** The 429 for a limit that was passed, with Retry-After and the RateLimit headers. */
export function rateLimited(state: LimitState, what: string, hint?: string): AppError {
  return new AppError(
    'rate_limited',
    `too many requests: ${what}; the limit resets in ${state.resetSeconds}s`,
    hint ??
      `wait ${state.resetSeconds} seconds (Retry-After), then retry; pace requests by the RateLimit header`,
    { headers: { ...state.headers, 'retry-after': String(state.resetSeconds) } },
  );
}
