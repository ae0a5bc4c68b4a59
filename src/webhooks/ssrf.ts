import { isIP } from 'node:net';
import { AppError } from '../errors.js';
import { refusedAddress } from './address-ranges.js';

/**
 * Where a webhook may point (SSRF): only a public unicast address (address-ranges.ts). Loopback
 * is allowed only when the operator sets WEBHOOKS_ALLOW_LOOPBACK (development, tests).
 */

/**
 * The host as DNS will see it: no brackets, lower case, without the trailing dots of a fully
 * qualified name (`LOCALHOST.` is `localhost`).
 */
export function normalHost(hostname: string): string {
  return hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.+$/, '');
}

/** localhost and every name under it resolve to loopback (RFC 6761 §6.3), whatever DNS says. */
export function isLoopbackHost(hostname: string): boolean {
  const host = normalHost(hostname);
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isIP(host) !== 0 && refusedAddress(host, false) === 'loopback';
}

const SSRF_HINT =
  'give a public https:// URL; for a receiver on this machine during development the operator sets WEBHOOKS_ALLOW_LOOPBACK=true and you use http://127.0.0.1:<port>/…';

/**
 * Checks a webhook URL at creation: https only (http just for loopback when allowed), no
 * credentials, and a literal IP host must not be private, link-local, metadata, … Host names are
 * checked again, on the address they resolve to, at each delivery.
 */
export function checkWebhookUrl(raw: string, allowLoopback: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError(
      'invalid_input',
      'url: not a valid URL',
      'send an absolute URL such as https://example.com/hooks/crm',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('invalid_input', `url: the ${url.protocol} scheme is not allowed`, SSRF_HINT);
  }
  if (url.username || url.password) {
    throw new AppError(
      'invalid_input',
      'url: credentials in the URL are not allowed (they would be stored in plain text)',
      'drop the user:password@ part; the receiver authenticates each delivery by its webhook-signature header',
    );
  }
  const loop = isLoopbackHost(url.hostname);
  if (loop && !allowLoopback) {
    throw new AppError('invalid_input', `url: ${url.hostname} is a loopback address, refused`, SSRF_HINT);
  }
  if (url.protocol === 'http:' && !loop) {
    throw new AppError(
      'invalid_input',
      'url: must use https:// (plain http only for loopback in development)',
      SSRF_HINT,
    );
  }
  const host = normalHost(url.hostname);
  if (isIP(host)) {
    const why = refusedAddress(host, allowLoopback);
    if (why) throw new AppError('invalid_input', `url: ${host} is a ${why} address, refused`, SSRF_HINT);
  }
  return url;
}
