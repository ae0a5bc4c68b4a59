import ipaddr from 'ipaddr.js';
import type { Kysely, Transaction } from 'kysely';
import { hit, rateLimited } from '../ratelimit/limiter.js';
import type { Database } from '../store/schema.js';

const DAY_SECONDS = 24 * 3600;
/** What the operator's own command line gives as the address (agentcrm seed): not a sign-up from outside. */
const OPERATOR_CLI = 'cli';

/**
 * Who the daily sign-up cap counts: an IPv4 address (an IPv4-mapped IPv6 one too), or an IPv6
 * address's /64 — one host usually holds a whole /64 and could otherwise sign up from each of its
 * addresses. Anything unparsable counts as itself.
 */
export function signupAddress(ip: string | null): string {
  if (!ip) return 'unknown';
  if (!ipaddr.isValid(ip)) return ip;
  let address = ipaddr.parse(ip);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress())
    address = (address as ipaddr.IPv6).toIPv4Address();
  if (address.kind() === 'ipv4') return address.toString();
  const prefix = (address as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${prefix.join(':')}::/64`;
}

/**
 * Counts one agent sign-up against the address's daily cap, on top of the per-minute request limit
 * every unauthenticated route has. The count is a row in the database, so it holds across server
 * processes and restarts; it is written in the sign-up's own transaction, so a refused (or failed)
 * sign-up rolls its count back and only workspaces actually created are counted. Throws the 429.
 */
export async function countSignup(
  db: Kysely<Database> | Transaction<Database>,
  now: Date,
  ip: string | null,
  limit: number,
): Promise<void> {
  if (ip === OPERATOR_CLI) return;
  const state = await hit(db, now, {
    policy: 'signup-day',
    key: signupAddress(ip),
    limit,
    windowSeconds: DAY_SECONDS,
  });
  if (!state.allowed) {
    throw rateLimited(
      state,
      `${limit} agent sign-ups per day from one address (UTC day)`,
      `keep using the token your earlier sign-up gave (data.token); a new workspace from this address is possible again in ${state.resetSeconds} seconds (Retry-After)`,
    );
  }
}
