import type { Context } from 'hono';
import { AppError } from '../errors.js';

/**
 * The client's address: the socket's peer, or with TRUST_PROXY the last X-Forwarded-For entry
 * (the one our own proxy appended; earlier entries are whatever the client claimed). Null for
 * in-process requests, which have no socket.
 */
export function clientIp(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? null;
}

const TOKEN_PARAMS = new Set([
  'token',
  'access_token',
  'bearer',
  'api_key',
  'apikey',
  'auth',
  'authorization',
]);
const TOKEN_SHAPE = /(^|[^A-Za-z0-9_])ck_[A-Za-z0-9_-]{43}/;

/**
 * Bearer tokens never travel in a URL: URLs end up in logs, proxies and browser history. A
 * request that tries is refused before it reaches any route.
 */
export function refuseTokenInQuery(url: URL): void {
  for (const [key, value] of url.searchParams) {
    if (TOKEN_PARAMS.has(key.toLowerCase()) || TOKEN_SHAPE.test(value)) {
      throw new AppError(
        'invalid_input',
        `a token was sent in the query string (${key}=…); tokens are accepted only in the Authorization header`,
        'send Authorization: Bearer <token>; this token may now sit in logs, so revoke it (DELETE /tokens/{id}) and mint another',
      );
    }
  }
}
