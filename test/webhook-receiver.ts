import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read payloads freely
  json: any;
  /** When the request arrived and when the answer was sent (ms, performance clock). */
  startedAt: number;
  endedAt: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** How to answer a request: status (default 200) and an optional delay; set by the test. */
  respond: (request: Received) => { status?: number; delayMs?: number; headers?: Record<string, string> };
  /** webhook-ids seen being delivered by two requests at the same moment. */
  overlaps: string[];
  /** Requests whose sender went away before the answer (a killed server): not counted as received. */
  cutOff: Received[];
  /** Requests being answered right now. */
  inFlight(): number;
  close(): Promise<void>;
}

/** A real HTTP receiver on 127.0.0.1 that records every delivery and tracks in-flight ids. */
export async function startReceiver(): Promise<Receiver> {
  const inFlight = new Map<string, number>();
  const receiver: Receiver = {
    url: '',
    received: [],
    respond: () => ({ status: 200 }),
    overlaps: [],
    cutOff: [],
    inFlight: () => [...inFlight.values()].reduce((sum, n) => sum + n, 0),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {}
      const record: Received = {
        path: request.url ?? '',
        headers: request.headers,
        body,
        json,
        startedAt: performance.now(),
        endedAt: 0,
      };
      const id = String(request.headers['webhook-id'] ?? '');
      const count = (inFlight.get(id) ?? 0) + 1;
      inFlight.set(id, count);
      if (count > 1) receiver.overlaps.push(id);
      const answer = receiver.respond(record);
      const reply = () => {
        if (record.endedAt) return;
        inFlight.set(id, (inFlight.get(id) ?? 1) - 1);
        record.endedAt = performance.now();
        receiver.received.push(record);
        response.writeHead(answer.status ?? 200, { 'content-type': 'text/plain', ...answer.headers });
        response.end(`ok ${answer.status ?? 200}`);
      };
      request.socket.once('close', () => {
        if (!record.endedAt) {
          inFlight.set(id, (inFlight.get(id) ?? 1) - 1);
          record.endedAt = performance.now();
          receiver.cutOff.push(record);
        }
      });
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  receiver.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return receiver;
}

/**
 * Verifies a Standard Webhooks signature, written from the specification rather than with the
 * server's code: HMAC-SHA256 over `{id}.{timestamp}.{body}` keyed with the base64 secret after
 * `whsec_`, compared in constant time against each `v1,` signature in the header.
 */
export function verifySignature(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const id = String(headers['webhook-id']);
  const timestamp = String(headers['webhook-timestamp']);
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return String(headers['webhook-signature'])
    .split(' ')
    .some((part) => {
      const [version, signature] = part.split(',');
      const given = Buffer.from(signature ?? '', 'base64');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
}
