import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { authenticate } from '../auth/tokens.js';
import { AppError, isAppError } from '../errors.js';
import { buildHumanConsole } from '../human/console.js';
import type { AnyOperation } from '../operations/define.js';
import { runOperation } from '../operations/pipeline.js';
import type { Services } from '../services.js';
import { clientIp, refuseTokenInQuery } from './client.js';
import { mountDocuments } from './documents.js';
import { allPaths, methodsForPath } from './paths.js';
import { enforceRequestLimit } from './ratelimit.js';
import { type Format, type Rendered, type ResponseMeta, renderError, renderSuccess } from './render.js';
import { collectInput, idempotencyKeyOf, negotiateFormat, readJsonBody, requestIdFrom } from './request.js';

/** The Hono environment of the HTTP surface; transports mounted on it (MCP, OAuth) share it. */
export type HttpEnv = {
  Variables: {
    requestId: string;
    format: Format;
    operationName: string | null;
    rateLimitHeaders: Record<string, string> | null;
  };
};

function respond(c: Context<HttpEnv>, rendered: Rendered): Response {
  return new Response(rendered.body, {
    status: rendered.status,
    headers: {
      ...c.get('rateLimitHeaders'),
      ...rendered.headers,
      'x-request-id': c.get('requestId'),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

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

/** The HTTP surface: probes, documents, and one route per operation of the registry. */
export function buildHttpApp(services: Services, operations: readonly AnyOperation[]): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const meta = (c: {
    req: { header: (name: string) => string | undefined };
    get: <K extends keyof HttpEnv['Variables']>(key: K) => HttpEnv['Variables'][K];
  }): ResponseMeta => ({
    format: c.get('format'),
    requestId: c.get('requestId'),
    idempotencyKey: idempotencyKeyOf(c),
    operationName: c.get('operationName'),
  });

  app.use('*', async (c, next) => {
    const started = performance.now();
    c.set(
      'requestId',
      requestIdFrom(c, () => services.ids.next('req')),
    );
    c.set('format', negotiateFormat(c));
    c.set('operationName', null);
    c.set('rateLimitHeaders', null);
    await next();
    // Nothing is answered before the commits it may show are on disk: the writer's own, and any
    // other request's that a read could have seen (SQLite's group commit; immediate on PostgreSQL).
    try {
      await services.store.durable();
    } catch (error) {
      services.logger.error(
        { err: error, request_id: c.get('requestId') },
        'flushing commits to disk failed',
      );
      c.res = undefined;
      c.res = respond(
        c,
        renderError(
          new AppError(
            'unavailable',
            'the database could not make the change durable',
            'retry shortly with the same Idempotency-Key; if it lasts, the disk of the server needs attention',
            { headers: { 'retry-after': '1' } },
          ),
          meta(c),
        ),
      );
    }
    // Answers built by respond() carry these already; setting a header on a finished response makes
    // Hono copy the whole response (about a tenth of a simple GET's CPU), so only the rest get them.
    if (!c.res.headers.has('x-request-id')) {
      c.header('x-request-id', c.get('requestId'));
      c.header('x-content-type-options', 'nosniff');
    }
    services.logger.info(
      {
        request_id: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        operation: c.get('operationName'),
        duration_ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
  });

  const tooLarge = (c: Context<HttpEnv>) => {
    const error = new AppError(
      'payload_too_large',
      `the request body is larger than ${services.config.maxBodyBytes} bytes`,
      "send fewer records per request (an agent's batch takes up to the policy's bulk_deny_above) or split the body",
    );
    return respond(c, renderError(error, meta(c)));
  };
  const limitBody = bodyLimit({ maxSize: services.config.maxBodyBytes, onError: tooLarge });
  // GET and HEAD bodies are never read (collectInput), and merely asking bodyLimit to look makes
  // the Node adapter build a full web Request: about a sixth of a simple GET's CPU. A body with a
  // Content-Length (and no Transfer-Encoding) is judged by the header, as bodyLimit judges it, without
  // looking at the body: Node's parser never delivers more than the declared length, and the Node
  // adapter can then read the body straight from the socket below instead of through web streams.
  app.use('*', async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return limitBody(c, next);
    if (Number.parseInt(length, 10) > services.config.maxBodyBytes) return tooLarge(c);
    return next();
  });

  // Past capacity, answer at once with 503 and Retry-After instead of queueing until timeouts.
  // A body is read in full (through the cap above) before its request counts as in flight, in a
  // pool of its own (4 × MAX_IN_FLIGHT): clients that send bodies slowly hold a socket and a
  // reading place until HTTP_REQUEST_TIMEOUT_SECONDS, never a handler's slot; memory stays bounded
  // by the two pools times MAX_BODY_BYTES.
  let inFlight = 0;
  let reading = 0;
  const busy = (c: Context<HttpEnv>, what: string) =>
    respond(
      c,
      renderError(
        new AppError(
          'unavailable',
          `the server is at capacity (${what})`,
          'retry after the number of seconds in Retry-After; back off if it repeats',
          { headers: { 'retry-after': '1' } },
        ),
        meta(c),
      ),
    );
  app.use('*', async (c, next) => {
    if (c.req.path === '/healthz') return next();
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && hasBody(c)) {
      if (reading >= services.config.maxInFlight * 4) return busy(c, 'too many request bodies arriving');
      reading++;
      try {
        // From the Node adapter's request this reads the socket directly (no web stream). The bytes
        // go where Hono keeps a body it has read, so c.req.text(), .json(), .arrayBuffer() and
        // .parseBody() answer from them; c.req.raw's body is spent (read it through c.req).
        const body = await c.req.raw.arrayBuffer();
        (c.req.bodyCache as { arrayBuffer?: Promise<ArrayBuffer> }).arrayBuffer = Promise.resolve(body);
      } finally {
        reading--;
      }
    }
    if (inFlight >= services.config.maxInFlight) {
      return busy(c, `${services.config.maxInFlight} requests in flight`);
    }
    inFlight++;
    try {
      await next();
    } finally {
      inFlight--;
    }
  });
  app.use('*', async (c, next) => {
    // Only a query string can carry a token; most requests have none, and parsing a URL costs.
    const url = c.req.url;
    if (url.includes('?')) refuseTokenInQuery(new URL(url));
    await next();
  });

  mountDocuments(app, services, operations);

  /** Runs one operation for an HTTP request and renders its result. */
  const handle = async (
    c: Context<HttpEnv>,
    operation: AnyOperation,
    input: Record<string, unknown>,
    viaTool: boolean,
  ) => {
    c.set('operationName', operation.name);
    const toolName = c.req.header('x-agent-tool-name') ?? null;
    if (toolName !== null && toolName !== operation.name) {
      throw new AppError(
        'invalid_input',
        `X-Agent-Tool-Name is "${toolName}" but ${c.req.method} ${c.req.path} is ${operation.name}`,
        `send X-Agent-Tool-Name: ${operation.name}, or leave the header out`,
      );
    }
    const caller =
      operation.auth === 'none' ? null : await authenticate(services, c.req.header('authorization'));
    // The address is needed only without a token (its rate limit) or by the few operations that
    // ask; reading it from the socket costs a system call, so it is worked out on demand.
    let ip: string | null | undefined;
    const ipOf = () => {
      if (ip === undefined) ip = clientIp(c, services.config.trustProxy);
      return ip;
    };
    c.set('rateLimitHeaders', await enforceRequestLimit(services, caller, caller ? null : ipOf()));
    const idempotencyKey = idempotencyKeyOf(c);
    if (viaTool && operation.mutating && (operation.requiresIdempotencyKey ?? true) && !idempotencyKey) {
      throw new AppError(
        'idempotency_key_required',
        `${operation.name} changes data, so a tool call must carry an idempotency key`,
        'send X-Idempotency-Key: idem_<random>; reuse the same key when you retry this same call',
      );
    }
    const result = await runOperation(services, operation, input, {
      caller,
      requestId: c.get('requestId'),
      idempotencyKey,
      toolName: toolName ?? (viaTool ? operation.name : null),
      reason: c.req.header('x-reason') ?? null,
      clientIpOf: ipOf,
      escalationCode: c.req.header('x-escalation-code') ?? null,
      dryRun: c.req.query('dry_run') === 'true' || c.req.header('x-dry-run') === 'true',
      projection: {
        fields: c.req.query('fields') ?? c.req.header('x-fields'),
        expand: c.req.query('expand') ?? c.req.header('x-expand'),
      },
    });
    return respond(c, renderSuccess(result, meta(c)));
  };

  for (const operation of operations) {
    app.on(operation.http.method, allPaths(operation), async (c) =>
      handle(c, operation, await collectInput(c, operation), false),
    );
  }

  app.post('/tools/:tool_name', async (c) => {
    const name = c.req.param('tool_name');
    const operation = operations.find(
      (candidate) => candidate.name === name || candidate.name.replace(/\./g, '_') === name,
    );
    if (!operation) {
      throw new AppError(
        'not_found',
        `no tool named "${name}"`,
        'GET /agentcrm-tools.json lists every tool with its input schema',
      );
    }
    return handle(c, operation, await readJsonBody(c), true);
  });

  // The human console's pages (after the operations, so /human/invites/* stay API routes).
  app.route('/human', buildHumanConsole(services));

  app.notFound((c) => {
    const allowed = methodsForPath(operations, c.req.path);
    const error = allowed.length
      ? new AppError(
          'method_not_allowed',
          `${c.req.method} is not allowed on ${c.req.path}`,
          `use ${allowed.join(' or ')}`,
          { headers: { allow: allowed.join(', ') } },
        )
      : new AppError('not_found', `no route ${c.req.method} ${c.req.path}`, 'GET /help lists every route');
    return respond(c, renderError(error, meta(c)));
  });

  app.onError((error, c) => {
    if (isAppError(error)) return respond(c, renderError(error, meta(c)));
    services.logger.error(
      { err: error, request_id: c.get('requestId'), path: c.req.path },
      'unexpected error',
    );
    const internal = new AppError(
      'internal',
      'an unexpected error occurred; nothing was changed by this request',
      `retry once; if it repeats, report request id ${c.get('requestId')}`,
    );
    return respond(c, renderError(internal, meta(c)));
  });

  return app;
}
