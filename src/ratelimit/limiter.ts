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
