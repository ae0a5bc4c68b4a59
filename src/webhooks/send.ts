import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { refusedAddress } from './address-ranges.js';
import { isLoopbackHost, normalHost } from './ssrf.js';
import type { HostResolver } from './types.js';

export type { HostResolver } from './types.js';

export const systemResolver: HostResolver = (host) => lookup(host, { all: true, verbatim: true });

export interface AttemptResult {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** The first bytes of the answer (the rest is never read). */
  excerpt: string | null;
}

const EXCERPT_BYTES = 512;

/**
 * Resolves the host and checks every address it resolves to (SSRF). The request then connects to
 * exactly the address checked, so a DNS answer that changes between check and connect (DNS
 * rebinding) cannot steer it elsewhere.
 */
async function checkedAddress(
  url: URL,
  allowLoopback: boolean,
  resolve: HostResolver,
): Promise<{ address: string; family: number }> {
  const host = normalHost(url.hostname);
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolve(host);
  if (addresses.length === 0) throw new Error(`${host} does not resolve`);
  for (const { address } of addresses) {
    const why = refusedAddress(address, allowLoopback);
    if (why) throw new Error(`refused: ${host} resolves to ${address}, a ${why} address`);
  }
  // A *.localhost name is loopback whatever a resolver answers (RFC 6761 §6.3).
  if (!allowLoopback && isLoopbackHost(host)) throw new Error(`refused: ${host} is a loopback name`);
  return addresses[0]!;
}

/**
 * POSTs one signed delivery. No redirects are followed (a 3xx is a failure), the whole exchange
 * is bounded by `timeoutMs`, and only an excerpt of the answer is kept.
 */
export async function postDelivery(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: { allowLoopback: boolean; timeoutMs: number; resolve?: HostResolver },
): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let pinned: { address: string; family: number };
  try {
    pinned = await checkedAddress(url, options.allowLoopback, options.resolve ?? systemResolver);
  } catch (error) {
    return { statusCode: null, error: (error as Error).message, durationMs: elapsed(), excerpt: null };
  }
  const pinnedLookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve({ ...result, durationMs: elapsed() });
    };
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'agentcrm-webhooks/1',
        },
        lookup: pinnedLookup,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () =>
          finish({
            statusCode: response.statusCode ?? null,
            error: null,
            excerpt: Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_BYTES) || null,
          });
        response.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk.subarray(0, EXCERPT_BYTES - size));
          size += chunk.length;
          if (size >= EXCERPT_BYTES) done();
        });
        response.on('end', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(
      () => finish({ statusCode: null, error: `timed out after ${options.timeoutMs} ms`, excerpt: null }),
      options.timeoutMs,
    );
    request.on('error', (error) => finish({ statusCode: null, error: error.message, excerpt: null }));
    request.end(body);
  });
}

/**
 * GETs a small public document (an OAuth client's metadata document) with the same guard as a
 * delivery: every address the host resolves to must be public (loopback only when allowed), the
 * connection goes to the address checked, no redirects, at most `maxBytes` read, all within
 * `timeoutMs`. Resolves with the status and body; rejects with a one-line reason.
 */
export async function getDocument(
  url: URL,
  options: { allowLoopback: boolean; timeoutMs: number; maxBytes: number; resolve?: HostResolver },
): Promise<{ statusCode: number; contentType: string; body: string }> {
  const pinned = await checkedAddress(url, options.allowLoopback, options.resolve ?? systemResolver);
  const pinnedLookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'GET',
        headers: { accept: 'application/json', 'user-agent': 'agentcrm-oauth/1' },
        lookup: pinnedLookup,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes)
            fail(new Error(`the document is larger than ${options.maxBytes} bytes`));
          else chunks.push(chunk);
        });
        response.on('end', () => {
          clearTimeout(timer);
          resolve({
            statusCode: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        response.on('error', fail);
      },
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      request.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new Error(`no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    request.on('error', fail);
    request.end();
  });
}
