import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { derive } from '../secrets/keyring.js';
import type { Services } from '../services.js';

/**
 * The console's defences that do not depend on a page: response headers, cookies, and CSRF
 * tokens. Pages never run script, so the Content-Security-Policy allows none at all.
 */

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('content-security-policy', CONTENT_SECURITY_POLICY);
    c.header('x-frame-options', 'DENY');
    c.header('referrer-policy', 'no-referrer');
    c.header('cross-origin-opener-policy', 'same-origin');
    c.header('cross-origin-resource-policy', 'same-origin');
    c.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
  };
}

/** Served over https (PUBLIC_URL): cookies get Secure and the __Host- prefix. */
export function isSecure(services: Services): boolean {
  return services.config.publicUrl.startsWith('https://');
}

const cookiePrefix = (services: Services) => (isSecure(services) ? ('host' as const) : undefined);

export const SESSION_COOKIE = 'agentcrm_session';
/** Before sign-in, forms are bound to this random value instead of a session. */
export const PRESESSION_COOKIE = 'agentcrm_presession';

export function readCookie(c: Context, services: Services, name: string): string | undefined {
  return getCookie(c, name, cookiePrefix(services));
}

export function writeCookie(
  c: Context,
  services: Services,
  name: string,
  value: string,
  maxAgeSeconds: number,
): void {
  setCookie(c, name, value, {
    httpOnly: true,
    secure: isSecure(services),
    sameSite: 'Lax',
    path: '/',
    maxAge: maxAgeSeconds,
    ...(cookiePrefix(services) ? { prefix: cookiePrefix(services) } : {}),
  });
}

export function clearCookie(c: Context, services: Services, name: string): void {
  writeCookie(c, services, name, '', 0);
}

export function newPresession(): string {
  return randomBytes(24).toString('base64url');
}

const keys = new WeakMap<Services, Promise<Buffer>>();

/**
 * The CSRF key, derived from the server key (so every instance agrees) under its own label,
 * so a CSRF token can never be mistaken for a delete confirmation.
 */
function csrfKey(services: Services): Promise<Buffer> {
  let key = keys.get(services);
  if (!key) {
    key = services.keyring.current().then((master) => derive(master, 'human console csrf v1'));
    key.catch(() => keys.delete(services));
    keys.set(services, key);
  }
  return key;
}

/** A form token bound to the session (its token id) or, before sign-in, to the presession cookie. */
export async function csrfToken(services: Services, binding: string): Promise<string> {
  return createHmac('sha256', await csrfKey(services))
    .update(binding)
    .digest('base64url');
}

export async function csrfMatches(services: Services, binding: string, sent: string | undefined) {
  if (!sent) return false;
  const expected = Buffer.from(await csrfToken(services, binding));
  const given = Buffer.from(sent);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Whether a request's Origin (sent by browsers on every form post) is ours. */
export function allowedOrigin(services: Services, origin: string, requestUrl: string): boolean {
  return origin === new URL(requestUrl).origin || origin === new URL(services.config.publicUrl).origin;
}
