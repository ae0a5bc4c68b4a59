/**
 * Redirect URIs a client may register: https anywhere; plain http only to a loopback address
 * (a native app listening on the user's machine, RFC 8252 §7.3); and private-use schemes of
 * native apps (RFC 8252 §7.1, e.g. `cursor://…`), never the schemes a browser would execute or
 * open as a document.
 */
const LOOPBACK_IPS = new Set(['127.0.0.1', '[::1]']);
const LOOPBACK_HOSTS = new Set([...LOOPBACK_IPS, 'localhost']);
const FORBIDDEN_SCHEMES = new Set([
  'javascript:',
  'data:',
  'vbscript:',
  'file:',
  'blob:',
  'about:',
  'filesystem:',
  'ftp:',
  'ws:',
  'wss:',
  'mailto:',
  'tel:',
]);

export const MAX_REDIRECT_URI_LENGTH = 2000;

/** Null when the URI may be registered, or why it may not. */
export function redirectUriProblem(value: string): string | null {
  if (value.length > MAX_REDIRECT_URI_LENGTH) return `longer than ${MAX_REDIRECT_URI_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not an absolute URI';
  }
  if (url.hash || value.includes('#')) return 'a redirect URI must not have a fragment';
  if (url.username || url.password) return 'a redirect URI must not carry credentials';
  if (url.protocol === 'https:') return url.hostname ? null : 'an https URI needs a host';
  if (url.protocol === 'http:') {
    return LOOPBACK_HOSTS.has(url.hostname)
      ? null
      : 'plain http is allowed only to a loopback address (127.0.0.1, [::1], localhost); use https';
  }
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return `the ${url.protocol} scheme cannot be a redirect URI`;
  // A private-use scheme of a native app (RFC 8252 §7.1).
  return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) ? null : 'not a usable URI scheme';
}

/**
 * Exact string match against the registered URIs, except that a loopback IP redirect may use any
 * port (RFC 8252 §7.3, OAuth 2.1 §2.3.1): native apps pick a free port at run time.
 */
export function matchRedirectUri(registered: readonly string[], requested: string): boolean {
  if (registered.includes(requested)) return true;
  let asked: URL;
  try {
    asked = new URL(requested);
  } catch {
    return false;
  }
  if (asked.protocol !== 'http:' || !LOOPBACK_IPS.has(asked.hostname)) return false;
  return registered.some((candidate) => {
    const known = new URL(candidate);
    return (
      known.protocol === 'http:' &&
      known.hostname === asked.hostname &&
      known.pathname === asked.pathname &&
      known.search === asked.search
    );
  });
}
