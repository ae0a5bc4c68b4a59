import { hit } from '../../ratelimit/limiter.js';
import type { Services } from '../../services.js';
import { OAuthError } from './errors.js';

/** Counts one request of an OAuth endpoint per key (a client address, or client and address); throws the 429. */
export async function limit(services: Services, policy: string, key: string): Promise<void> {
  const state = await hit(services.store.db, services.clock.now(), {
    policy,
    key,
    limit: services.config.rateLimitIpPerMinute,
    windowSeconds: 60,
  });
  if (!state.allowed) {
    throw new OAuthError(
      'rate_limited',
      `too many requests; the limit resets in ${state.resetSeconds}s`,
      `wait ${state.resetSeconds} seconds, then retry`,
      { ...state.headers, 'retry-after': String(state.resetSeconds) },
    );
  }
}
