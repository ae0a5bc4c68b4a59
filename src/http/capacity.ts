import type { Context, MiddlewareHandler } from 'hono';
import { renderError } from '../answer/render.js';
import { AppError } from '../errors.js';
import type { Services } from '../services.js';
import { type HttpEnv, metaOf, respond } from './env.js';

/**
 * Whether a request carries a body, asked without making the Node adapter build a web Request
 * (reading `.body` does): over HTTP/1.1 a body comes with Content-Length or Transfer-Encoding.
 * A request with neither (one made in-process with app.fetch, or a bodiless POST) is asked itself.
 */
function hasBody(c: Context<HttpEnv>): boolean {
  if (c.req.header('transfer-encoding') !== undefined) return true;
  const length = c.req.header('content-length');
  if (length !== undefined) return length !== '0';
  return c.req.raw.body !== null;
}

/** The Node request behind `c`, when there is one (not for in-process app.request calls). */
function incomingOf(c: Context<HttpEnv>): { readableEnded: boolean } | undefined {
  return (c.env as { incoming?: { readableEnded: boolean } } | undefined)?.incoming;
}

/**
 * After reading the body failed: when the client hung up mid-body, the "answer" for the log (status
 * 499, aborted) — no server error, nobody is left to answer, nothing to page an operator about.
 * Null when the failure was something else.
 */
export function abortedByClient(c: Context<HttpEnv>): Response | null {
  const incoming = incomingOf(c);
  if (!incoming || incoming.readableEnded) return null;
  c.set('aborted', true);
  return new Response(null, { status: 499 });
}

/**
 * Past capacity, answer at once with 503 and Retry-After instead of queueing until timeouts.
 * A body is read in full (through the size cap before this) before its request counts as in
 * flight, in a pool of its own (4 × MAX_IN_FLIGHT): clients that send bodies slowly hold a socket
 * and a reading place until HTTP_REQUEST_TIMEOUT_SECONDS, never a handler's slot; memory stays
 * bounded by the two pools times MAX_BODY_BYTES.
 */
export function limitCapacity(services: Services): MiddlewareHandler<HttpEnv> {
  const { maxInFlight } = services.config;
  let inFlight = 0;
  let reading = 0;
  services.metrics.inFlightFrom(() => inFlight);
  const busy = (c: Context<HttpEnv>, reason: 'in_flight' | 'bodies', what: string) => {
    services.metrics.shed(reason);
    return respond(
      c,
      renderError(
        new AppError(
          'unavailable',
          `the server is at capacity (${what})`,
          'retry after the number of seconds in Retry-After; back off if it repeats',
          { headers: { 'retry-after': '1' } },
        ),
        metaOf(c),
      ),
    );
  };
  return async (c, next) => {
    if (c.req.path === '/healthz') return next();
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && hasBody(c)) {
      if (reading >= maxInFlight * 4) return busy(c, 'bodies', 'too many request bodies arriving');
      reading++;
      try {
        // From the Node adapter's request this reads the socket directly (no web stream). The bytes
        // go where Hono keeps a body it has read, so c.req.text(), .json(), .arrayBuffer() and
        // .parseBody() answer from them; c.req.raw's body is spent (read it through c.req).
        const body = await c.req.raw.arrayBuffer();
        (c.req.bodyCache as { arrayBuffer?: Promise<ArrayBuffer> }).arrayBuffer = Promise.resolve(body);
      } catch (error) {
        const aborted = abortedByClient(c);
        if (aborted) return aborted;
        throw error;
      } finally {
        reading--;
      }
    }
    if (inFlight >= maxInFlight) return busy(c, 'in_flight', `${maxInFlight} requests in flight`);
    inFlight++;
    try {
      await next();
    } finally {
      inFlight--;
    }
  };
}
