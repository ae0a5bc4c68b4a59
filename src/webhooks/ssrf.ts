import { BlockList, isIP } from 'node:net';
import { AppError } from '../errors.js';

/**
 * Where a webhook may point (SSRF). Refused: private (RFC 1918, ULA), loopback, link-local
 * (including the cloud metadata address 169.254.169.254), CGNAT, unspecified, multicast, reserved
 * and documentation ranges, and the IPv4-mapped / NAT64 IPv6 forms of them. Loopback is allowed
 * only when the operator sets WEBHOOKS_ALLOW_LOOPBACK (development, tests).
 */
const refused = new BlockList();
const ranges: [string, number, 'ipv4' | 'ipv6', string][] = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'carrier-grade NAT'],
  ['169.254.0.0', 16, 'ipv4', 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'],
  ['192.0.2.0', 24, 'ipv4', 'documentation'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking'],
  ['198.51.100.0', 24, 'ipv4', 'documentation'],
  ['203.0.113.0', 24, 'ipv4', 'documentation'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['64:ff9b::', 96, 'ipv6', 'NAT64'],
  ['64:ff9b:1::', 48, 'ipv6', 'NAT64'],
  ['100::', 64, 'ipv6', 'discard'],
  ['2001:db8::', 32, 'ipv6', 'documentation'],
  ['fc00::', 7, 'ipv6', 'private (ULA)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fec0::', 10, 'ipv6', 'site-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];
for (const [network, prefix, type] of ranges) refused.addSubnet(network, prefix, type);

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** The dotted IPv4 inside an IPv4-mapped (::ffff:a.b.c.d / ::ffff:xxxx:xxxx) IPv6 address. */
function mappedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:0*:)*:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1]!;
  const hex = /^(?:0*:)*:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return null;
  const high = Number.parseInt(hex[1]!, 16);
  const low = Number.parseInt(hex[2]!, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** Why an address may not be reached, or null when it may. */
export function refusedAddress(address: string, allowLoopback: boolean): string | null {
  const family = isIP(address);
  if (!family) return 'not an IP address';
  const v4 = family === 6 ? mappedIpv4(address) : address;
  const [ip, type] = v4 ? [v4, 'ipv4' as const] : [address, 'ipv6' as const];
  if (loopback.check(ip, type)) return allowLoopback ? null : 'loopback';
  if (!refused.check(ip, type)) return null;
  for (const [network, prefix, rangeType, label] of ranges) {
    if (rangeType !== type) continue;
    const one = new BlockList();
    one.addSubnet(network, prefix, rangeType);
    if (one.check(ip, type)) return label;
  }
  return 'reserved';
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
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
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const why = refusedAddress(host, allowLoopback);
    if (why) throw new AppError('invalid_input', `url: ${host} is a ${why} address, refused`, SSRF_HINT);
  }
  return url;
}
