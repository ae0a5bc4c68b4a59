import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import { DEFAULT_OAUTH_SCOPES, insufficientScopeChallenge, scopeUnion } from '../auth/scopes.js';
import { authenticate } from '../auth/tokens.js';
import { toolCatalog } from '../discovery/catalog.js';
import { AppError, isAppError } from '../errors.js';
import type { HttpEnv } from '../http/app.js';
import { clientIp } from '../http/client.js';
import { helpText } from '../http/help.js';
import type { AnyOperation, Caller } from '../operations/define.js';
import type { Services } from '../services.js';
import type { ToolCaller } from './calls.js';
import { listedTools, recordTypes } from './core-tools.js';
import { answerTypedCall } from './direct.js';
import { resolveGenericCall } from './generic-calls.js';
import { createModernMcp } from './modern.js';
import type { InnerRequest } from './request-tool.js';
import { createMcpServer, type McpCatalog } from './server.js';
import { toolName } from './tools.js';

/** RFC 9728 metadata of the /mcp resource; named in every 401 so clients find the authorization server. */
export const protectedResourceMetadataUrl = (publicUrl: string) =>
  `${publicUrl}/.well-known/oauth-protected-resource/mcp`;

const utf8 = new TextDecoder();

const EXPOSED_HEADERS = ['www-authenticate', 'mcp-session-id', 'mcp-protocol-version'];
/** What Hono's cors({origin: '*', exposeHeaders}) adds to every answer that is not a preflight. */
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': EXPOSED_HEADERS.join(','),
};

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

/**
 * A 401 from /mcp names the protected-resource metadata (RFC 9728 §5.1), which is how an MCP
 * client discovers our authorization server and starts OAuth on its own.
 */
async function authenticateMcp(services: Services, authorization: string | undefined): Promise<Caller> {
  try {
    return await authenticate(services, authorization);
  } catch (error) {
    if (!isAppError(error) || error.status !== 401) throw error;
    const metadata = protectedResourceMetadataUrl(services.config.publicUrl);
    // The scope a client should ask for first (MCP's scope selection): an agent's everyday work,
    // not admin; a call that needs more answers the step-up challenge (stepUpChallenge below).
    const scope = `resource_metadata="${metadata}", scope="${DEFAULT_OAUTH_SCOPES.join(' ')}"`;
    const challenge =
      error.code === 'auth_required' ? `Bearer ${scope}` : `Bearer error="invalid_token", ${scope}`;
    throw new AppError(
      error.code,
      error.message,
      `connect through OAuth (the client discovers it at ${metadata}), or send Authorization: Bearer <token>`,
      { headers: { 'www-authenticate': challenge } },
    );
  }
}

/**
 * The answer of a 2026-07-28 /mcp request whose tool call was refused for a scope the person's role
 * allows, made with an OAuth token: 403 with the insufficient_scope challenge naming the wider scope and
 * where to authorize (MCP authorization, step-up), so the client re-authorizes and sends the call
 * again. Nothing ran: scope is the executor's first step, before any idempotency key is claimed.
 */
function stepUpChallenge(services: Services, who: ToolCaller): AppError | undefined {
  const refused = who.stepUp;
  if (!refused) return undefined;
  const scope = scopeUnion(who.caller.scopes, refused.scope);
  return new AppError('scope_insufficient', refused.message, refused.hint, {
    details: { scope: scope.join(' ') },
    headers: {
      'www-authenticate': insufficientScopeChallenge(
        scope,
        protectedResourceMetadataUrl(services.config.publicUrl),
      ),
    },
  });
}

/** Mounts the MCP endpoint (Streamable HTTP, stateless, JSON responses) on the HTTP app. */
export function mountMcp(app: Hono<HttpEnv>, services: Services, operations: readonly AnyOperation[]): void {
  const tools = listedTools(services.config, operations);
  // Every typed tool can be called by name, listed or not (the default list holds a few), unless
  // MCP_TOOLS=request offers only the generic tool.
  const typedOn = services.config.mcpTools !== 'request';
  const typed = new Map(typedOn ? operations.map((op) => [toolName(op), op] as const) : []);
  const byOperationName = new Map(operations.map((op) => [op.name, op] as const));
  const types = recordTypes(operations);
  const generic = services.config.mcpTools === 'core';
  const catalog: McpCatalog = {
    tools,
    operations,
    resolve: (name, args) => {
      const operation = typed.get(name);
      if (operation) return { operation, args: args ?? {} };
      return generic ? resolveGenericCall(name, args ?? {}, types, (n) => byOperationName.get(n)) : undefined;
    },
    manual: once(() => helpText(services, operations)),
    catalog: once(() => JSON.stringify(toolCatalog(operations), null, 2)),
  };
  const origin = new URL(services.config.publicUrl).origin;
  const modern = createModernMcp(services, catalog);

  const allowCors = cors({
    origin: CORS_HEADERS['access-control-allow-origin'],
    allowMethods: ['GET', 'POST', 'DELETE'],
    allowHeaders: [
      'authorization',
      'content-type',
      'accept',
      'mcp-protocol-version',
      'mcp-session-id',
      'last-event-id',
    ],
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
  const handler = async (c: Context<HttpEnv>): Promise<Response> => {
    c.set('operationName', 'mcp');
    const caller = await authenticateMcp(services, c.req.header('authorization'));
    c.set('caller', caller);
    if (c.req.method !== 'POST' && c.req.method !== 'DELETE') {
      throw new AppError(
        'method_not_allowed',
        `${c.req.method} /mcp: this server is stateless and opens no event stream`,
        'send JSON-RPC messages with POST /mcp',
        { headers: { allow: 'POST, DELETE' } },
      );
    }
    const who: ToolCaller = { caller, clientIp: clientIp(c, services.config.trustProxy) };
    let request = c.req.raw;
    let text: string | undefined;
    if (request.method === 'POST') {
      // The body is read once here; what the fast path does not answer goes to the SDK unchanged.
      const body = await c.req.arrayBuffer();
      text = utf8.decode(body);
      // The headers the app and CORS would add later are set here: adding a header to a finished
      // response makes Hono copy it, and the Node adapter then streams the copy instead of writing it.
      const direct = await answerTypedCall(services, catalog, request.headers, text, who, {
        ...CORS_HEADERS,
        'x-request-id': c.get('requestId'),
        'x-content-type-options': 'nosniff',
      });
      if (direct) return direct;
      request = new Request(request.url, { method: 'POST', headers: request.headers, body });
    }
    const forwarded = c.req.header('x-forwarded-for');
    const inner: InnerRequest = {
      fetch: async (innerRequest) => app.fetch(innerRequest, c.env),
      origin,
      headers: {
        authorization: c.req.header('authorization')!,
        ...(forwarded ? { 'x-forwarded-for': forwarded } : {}),
      },
    };
    // A 2026-07-28 request (its _meta envelope or version header says so) goes to the SDK v2 path.
    // Only there does a scope refusal become the 403 step-up challenge: the v1 SDK (2025-11-25)
    // answers that challenge by refreshing its token, which cannot widen the scope, and then fails
    // the call with no text at all; a 2025-11-25 client reads the refusal as a tool result instead,
    // whose hint names the scope to authorize again with.
    if (text !== undefined && (await modern.isModern(request, parsedOrUndefined(text)))) {
      const answer = await modern.fetch(request, { who, inner });
      const challenge = stepUpChallenge(services, who);
      if (challenge) throw challenge;
      return answer;
    }
    const server = createMcpServer(services, catalog, who, inner);
    // Stateless: no session id, and every answer is one JSON body, so nothing outlives the request.
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(request);
    } finally {
      await server.close();
    }
  };
  // The same endpoint with a trailing slash, as some clients are configured.
  // Hono's cors middleware answers preflights; on other requests it sets its headers on an empty
  // response before the handler runs, so Hono merges that into a copy of the real answer (body
  // included) afterwards. Setting the same headers on the answer itself avoids the copy.
  const addCors = async (c: Context<HttpEnv>, next: () => Promise<void>) => {
    if (c.req.method === 'OPTIONS') return allowCors(c, next);
    await next();
    const headers = c.res.headers;
    for (const [name, value] of Object.entries(CORS_HEADERS)) {
      if (headers.get(name) !== value) headers.set(name, value);
    }
  };
  for (const path of ['/mcp', '/mcp/']) {
    app.use(path, addCors);
    app.all(path, handler);
  }
}

/** A body as JSON, or undefined when it is not JSON (the SDK then classifies it as 2025-era). */
function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
