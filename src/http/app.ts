import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { renderError, renderSuccess } from '../answer/render.js';
import { AppError, isAppError } from '../errors.js';
import { buildHumanConsole } from '../human/console.js';
import { callOperation, type KeyRequirement } from '../operations/call.js';
import type { AnyOperation } from '../operations/define.js';
import type { Services } from '../services.js';
import { abortedByClient, limitCapacity } from './capacity.js';
import { clientIp, refuseTokenInQuery } from './client.js';
import { mountDocuments } from './documents.js';
import { type HttpEnv, metaOf, respond } from './env.js';
import { metricsHandler } from './metrics-route.js';
import { recordRequest } from './observe.js';
import { allPaths, methodsForPath } from './paths.js';
import {
  collectInput,
  declaredToolName,
  idempotencyKeyOf,
  negotiateFormat,
  readJsonBody,
  requestIdFrom,
} from './request.js';

export type { HttpEnv } from './env.js';

/** How POST /tools/{name} asks for the idempotency key a write must carry. */
const TOOL_KEY: KeyRequirement = {
  must: 'a tool call must carry an idempotency key',
  hint: 'send X-Idempotency-Key: idem_<random>; reuse the same key when you retry this same call',
};

/** The HTTP surface: probes, documents, and one route per operation of the registry. */
export function buildHttpApp(services: Services, operations: readonly AnyOperation[]): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const meta = metaOf;

  app.use('*', async (c, next) => {
    const started = performance.now();
    c.set(
      'requestId',
      requestIdFrom(c, () => services.ids.next('req')),
    );
    c.set('format', negotiateFormat(c));
    c.set('operationName', null);
    c.set('rateLimitHeaders', null);
    c.set('caller', null);
    c.set('aborted', false);
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
    // Draining before a stop: a client on a kept-alive connection reconnects, and lands elsewhere.
    if (services.readiness.draining) c.header('connection', 'close');
    recordRequest(services, c, started);
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
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) {
      // bodyLimit reads a chunked body itself; a client hanging up meanwhile is an abort, not a 500.
      // (Errors of the handlers after it never reach here: Hono turns them into answers.)
      try {
        return await limitBody(c, next);
      } catch (error) {
        const aborted = abortedByClient(c);
        if (aborted) return aborted;
        throw error;
      }
    }
    if (Number.parseInt(length, 10) > services.config.maxBodyBytes) return tooLarge(c);
    return next();
  });

  app.use('*', limitCapacity(services));
  app.use('*', async (c, next) => {
    // Only a query string can carry a token; most requests have none, and parsing a URL costs.
    const url = c.req.url;
    if (url.includes('?')) refuseTokenInQuery(new URL(url));
    await next();
  });

  mountDocuments(app, services, operations);
  app.get('/metrics', metricsHandler(services));

  /** Runs one operation for an HTTP request and renders its result. */
  const handle = async (
    c: Context<HttpEnv>,
    operation: AnyOperation,
    input: Record<string, unknown>,
    viaTool: boolean,
  ) => {
    c.set('operationName', operation.name);
    const toolName = declaredToolName(c, operation);
    // The address is needed only without a token (its rate limit) or by the few operations that
    // ask; reading it from the socket costs a system call, so it is worked out on demand.
    let ip: string | null | undefined;
    const ipOf = () => {
      if (ip === undefined) ip = clientIp(c, services.config.trustProxy);
      return ip;
    };
    const result = await callOperation(services, operation, input, {
      credentials: { authorization: c.req.header('authorization') },
      rateLimit: 'call',
      onCaller: (caller) => c.set('caller', caller),
      onAdmitted: (headers) => c.set('rateLimitHeaders', headers),
      keyRequirement: viaTool ? TOOL_KEY : undefined,
      requestId: c.get('requestId'),
      idempotencyKey: idempotencyKeyOf(c),
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
        'GET /agentcrm-tools.json lists every tool (?tool=<name> gives its input schema)',
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
