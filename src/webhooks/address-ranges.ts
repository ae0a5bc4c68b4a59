import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Which IP addresses a webhook may reach (SSRF). The rule is an allow-list: only a public unicast
 * address passes. Ranges come from ipaddr.js (a maintained table of the IANA special-purpose
 * registries) rather than hand-written prefixes, so a range we did not think of is refused by
 * default instead of let through.
 */

/** Words for ipaddr.js range names, as they appear in error messages. */
const LABELS: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local (cloud metadata)',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
  reserved: 'reserved',
  as112: 'AS112 (reserved)',
  amt: 'AMT (reserved)',
  uniqueLocal: 'private (ULA)',
  deprecatedSiteLocal: 'site-local',
  discard: 'discard',
  rfc6145: 'IPv4-translated',
  rfc6052: 'NAT64',
  '6to4': '6to4',
  teredo: 'Teredo',
  benchmarking: 'benchmarking',
  as112v6: 'AS112 (reserved)',
  deprecatedOrchid: 'ORCHID (reserved)',
  orchid2: 'ORCHID (reserved)',
  droneRemoteIdProtocolEntityTags: 'reserved',
  segmentRouting: 'segment routing (SRv6)',
};

const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parse('2000::');

function v4FromParts(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 255, low >> 8, low & 255]);
}

/**
 * The IPv4 address an IPv6 form carries, and the name of the form: the tunnels and translators
 * (6to4, Teredo, NAT64, SIIT) and the deprecated IPv4-compatible `::a.b.c.d` all reach an IPv4
 * host, so the message names it. Only the IPv4-mapped form is then judged as that IPv4 address,
 * because the operating system connects to `::ffff:a.b.c.d` over IPv4 itself.
 */
function embeddedIpv4(address: ipaddr.IPv6, range: string): ipaddr.IPv4 | null {
  const p = address.parts;
  switch (range) {
    case 'ipv4Mapped':
    case 'rfc6145':
    case 'rfc6052':
      return v4FromParts(p[6]!, p[7]!);
    case '6to4':
      return v4FromParts(p[1]!, p[2]!);
    case 'teredo':
      // The client's address is stored inverted (RFC 4380 §4).
      return v4FromParts(p[6]! ^ 0xffff, p[7]! ^ 0xffff);
    case 'ipv4Compatible':
      return v4FromParts(p[6]!, p[7]!);
    default:
      return null;
  }
}

/** ipaddr.js has no name for the deprecated IPv4-compatible block ::/96 (RFC 4291 §2.5.5.1). */
function rangeOfV6(address: ipaddr.IPv6): string {
  const range = address.range();
  if (range === 'unicast' && address.parts.slice(0, 6).every((part) => part === 0)) return 'ipv4Compatible';
  return range;
}

function judgeV4(address: ipaddr.IPv4, allowLoopback: boolean): string | null {
  const range = address.range();
  if (range === 'unicast') return null;
  if (range === 'loopback' && allowLoopback) return null;
  return LABELS[range] ?? 'reserved';
}

/**
 * The textual IPv6 address made canonical by the WHATWG URL parser (the one every URL we are given
 * went through), so that `::127.0.0.1` and `::7f00:1` are one address; the zone (`%eth0`) is
 * dropped, it changes the interface, not the range.
 */
function parseV6(text: string): ipaddr.IPv6 | null {
  const bare = text.split('%')[0]!;
  try {
    return ipaddr.IPv6.parse(new URL(`http://[${bare}]/`).hostname.slice(1, -1));
  } catch {
    return null;
  }
}

/** Why an address may not be reached, or null when it may. */
export function refusedAddress(address: string, allowLoopback: boolean): string | null {
  const family = isIP(address);
  if (family === 4) return judgeV4(ipaddr.IPv4.parse(address), allowLoopback);
  const v6 = family === 6 ? parseV6(address) : null;
  if (!v6) return 'not an IP address';
  const range = rangeOfV6(v6);
  if (range === 'loopback') return allowLoopback ? null : 'loopback';
  const inner = embeddedIpv4(v6, range);
  if (range === 'ipv4Mapped' && inner) return judgeV4(inner, allowLoopback);
  if (inner) {
    const innerWhy = judgeV4(inner, false);
    const form = range === 'ipv4Compatible' ? 'IPv4-compatible (deprecated)' : LABELS[range];
    return `${form} (embeds ${inner.toString()}${innerWhy ? `, ${innerWhy}` : ''})`;
  }
  if (range !== 'unicast') return LABELS[range] ?? 'reserved';
  // ipaddr.js calls everything outside its special ranges unicast; only 2000::/3 is allocated
  // for global unicast (RFC 4291 §2.4), the rest is reserved by the IETF.
  if (!v6.match(GLOBAL_UNICAST_V6, 3)) return 'reserved';
  return null;
}
