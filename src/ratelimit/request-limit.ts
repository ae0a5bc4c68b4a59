import type { Caller } from '../operations/define.js';
import { planNamed } from '../plans/plans.js';
import type { Services } from '../services.js';
import { hit, type Limit, type LimitState, MemoryLimiter, rateLimited } from './limiter.js';

const memoryLimiters = new WeakMap<Services, MemoryLimiter>();

/**
 * On SQLite one server process owns the database, so its counters live in memory (exact, and no
 * durable write per request); on PostgreSQL several processes may share the database, so they
 * count in it, through the store's countersDb (commits that do not wait for the WAL flush).
 */
async function count(services: Services, now: Date, limit: Limit): Promise<LimitState> {
  if (services.store.dialect.name !== 'sqlite') return hit(services.store.countersDb, now, limit);
  let limiter = memoryLimiters.get(services);
  if (!limiter) {
    limiter = new MemoryLimiter();
    memoryLimiters.set(services, limiter);
  }
  return limiter.hit(now, limit);
}

/**
 * Every operation call counts against one limit before it runs: per token (the plan's request
 * rate) when authenticated, per client IP for the routes that need no token (signup, sign-in).
 * Throws the 429; otherwise returns the headers to add to the answer.
 */
export async function enforceRequestLimit(
  services: Services,
  caller: Caller | null,
  ip: string | null,
): Promise<Record<string, string>> {
  const now = services.clock.now();
  let state: LimitState;
  if (caller) {
    const plan = planNamed(services.config.plans, caller.plan);
    state = await count(services, now, {
      policy: 'token',
      key: caller.tokenId,
      limit: plan.requestsPerMinute,
      windowSeconds: 60,
    });
    if (!state.allowed)
      throw rateLimited(state, `${plan.requestsPerMinute} requests per minute per token (${plan.name} plan)`);
  } else {
    state = await count(services, now, {
      policy: 'ip',
      // In-process calls (tests, embedding) have no address and share one bucket.
      key: ip ?? 'unknown',
      limit: services.config.rateLimitIpPerMinute,
      windowSeconds: 60,
    });
    if (!state.allowed) {
      throw rateLimited(
        state,
        `${services.config.rateLimitIpPerMinute} unauthenticated requests per minute per address`,
      );
    }
  }
  return state.headers;
}
