import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { cors } from 'hono/cors';
import { authenticateClient, registerClient } from '../auth/oauth/clients.js';
import { exchangeCode } from '../auth/oauth/code-exchange.js';
import { isOAuthError, OAuthError } from '../auth/oauth/errors.js';
import { refreshGrant } from '../auth/oauth/refresh.js';
import { revokeForClient } from '../auth/oauth/revoke.js';
import { limit } from '../auth/oauth/throttle.js';
import { isAppError } from '../errors.js';
import type { HttpEnv } from '../http/app.js';
import { clientIp } from '../http/client.js';
import type { Services } from '../services.js';
import {
  type AuthorizeOutcome,
  BINDING_COOKIE,
  continueAuthorization,
  startAuthorization,
} from './authorize.js';
import { authorizationServerMetadata, protectedResourceMetadata } from './metadata.js';
import { ErrorPage } from './pages.js';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** Headers of every HTML page: no framing (clickjacking), no script, no referrer leaking the URL. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
};

/** JSON answers; tokens and errors must never be cached (RFC 6749 §5.1), metadata may be. */
function json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** Our own failures (throttles, mail down, bugs) in the RFC error shape; nothing leaks a stack. */
function asOAuthError(services: Services, error: unknown, requestId: string): OAuthError {
  if (isOAuthError(error)) return error;
  if (isAppError(error) && error.code === 'rate_limited') {
    return new OAuthError('rate_limited', error.message, error.hint, error.headers ?? {});
  }
  if (isAppError(error) && error.code === 'unavailable') {
    return new OAuthError('temporarily_unavailable', error.message, error.hint);
  }
  services.logger.error({ err: error, request_id: requestId }, 'unexpected error in an OAuth endpoint');
  return new OAuthError(
    'server_error',
    'an unexpected error occurred',
    `retry; if it repeats, report request id ${requestId}`,
  );
}

/** Form parameters (RFC 6749 §3.2): empty values count as absent; a repeated parameter is refused. */
async function readForm(c: Context<HttpEnv>): Promise<URLSearchParams> {
  const params = new URLSearchParams(await c.req.text());
  for (const [key, value] of [...params]) if (value === '') params.delete(key, value);
  const repeated = [...new Set(params.keys())].find(
    (key) => key !== 'resource' && params.getAll(key).length > 1,
  );
  if (repeated)
    throw new OAuthError('invalid_request', `${repeated} appears more than once`, 'send each parameter once');
  return params;
}

/** Mounts the OAuth 2.1 authorization server (metadata, registration, authorize, token, revoke). */
export function mountOAuth(app: Hono<HttpEnv>, services: Services): void {
  const { publicUrl } = services.config;
  const secureCookie = publicUrl.startsWith('https:');

  const api = cors({
    origin: '*',
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['authorization', 'content-type', 'mcp-protocol-version'],
    exposeHeaders: ['www-authenticate'],
    maxAge: 600,
  });
  for (const path of ['/.well-known/*', '/register', '/token', '/revoke']) app.use(path, api);

  app.get('/.well-known/oauth-authorization-server', () =>
    json(authorizationServerMetadata(publicUrl), 200, { 'cache-control': 'max-age=300' }),
  );
  for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
    app.get(path, () => json(protectedResourceMetadata(publicUrl), 200, { 'cache-control': 'max-age=300' }));
  }

  /** Runs a JSON endpoint, answering every failure in the RFC shape. */
  const endpoint =
    (handler: (c: Context<HttpEnv>) => Promise<Response>) =>
    async (c: Context<HttpEnv>): Promise<Response> => {
      try {
        return await handler(c);
      } catch (caught) {
        const error = asOAuthError(services, caught, c.get('requestId'));
        return json(error.toJSON(), error.status, { ...NO_STORE, ...error.headers });
      }
    };

  app.post(
    '/register',
    endpoint(async (c) => {
      await limit(services, 'oauth-register', clientIp(c, services.config.trustProxy) ?? 'unknown');
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        throw new OAuthError(
          'invalid_client_metadata',
          'the body is not JSON',
          'send the client metadata as JSON',
        );
      }
      const registration = await registerClient(services, body, services.clock.now().toISOString());
      return json(registration.response, 201, NO_STORE);
    }),
  );

  app.post(
    '/token',
    endpoint(async (c) => {
      const params = await readForm(c);
      const client = await authenticateClient(services, c.req.header('authorization'), params);
      await limit(
        services,
        'oauth-token',
        `${client.id} ${clientIp(c, services.config.trustProxy) ?? 'unknown'}`,
      );
      const grantType = params.get('grant_type');
      const requestId = c.get('requestId');
      if (grantType === 'authorization_code')
        return json(await exchangeCode(services, client, params, requestId), 200, NO_STORE);
      if (grantType === 'refresh_token')
        return json(await refreshGrant(services, client, params, requestId), 200, NO_STORE);
      throw new OAuthError(
        grantType ? 'unsupported_grant_type' : 'invalid_request',
        grantType ? `grant_type ${grantType} is not supported` : 'grant_type is missing',
        'use authorization_code or refresh_token',
      );
    }),
  );

  // RFC 7009: revokes the session (grant) the token belongs to, if it was issued to this client.
  app.post(
    '/revoke',
    endpoint(async (c) => {
      await limit(services, 'oauth-revoke', clientIp(c, services.config.trustProxy) ?? 'unknown');
      const params = await readForm(c);
      const client = await authenticateClient(services, c.req.header('authorization'), params);
      const token = params.get('token');
      if (!token) throw new OAuthError('invalid_request', 'token is missing', 'send the token to revoke');
      await revokeForClient(services, client.id, token, c.get('requestId'));
      return new Response(null, { status: 200, headers: NO_STORE });
    }),
  );

  const render = async (outcome: AuthorizeOutcome, status303: boolean): Promise<Response> => {
    if (outcome.kind === 'redirect') {
      return new Response(null, {
        status: status303 ? 303 : 302,
        headers: {
          location: outcome.location,
          'cache-control': 'no-store',
          'referrer-policy': 'no-referrer',
        },
      });
    }
    const headers = new Headers(PAGE_HEADERS);
    if (outcome.setBinding) {
      headers.append(
        'set-cookie',
        `${BINDING_COOKIE}=${outcome.setBinding}; Path=/authorize; HttpOnly; SameSite=Lax; Max-Age=1800${secureCookie ? '; Secure' : ''}`,
      );
    }
    return new Response(`<!doctype html>${await outcome.page}`, { status: outcome.status, headers });
  };

  /** Runs an HTML step; throttles and unexpected failures become an error page, never a redirect. */
  const pageStep =
    (step: (c: Context<HttpEnv>) => Promise<AuthorizeOutcome>, status303: boolean) =>
    async (c: Context<HttpEnv>): Promise<Response> => {
      try {
        await limit(services, 'oauth-authorize', clientIp(c, services.config.trustProxy) ?? 'unknown');
        return await render(await step(c), status303);
      } catch (caught) {
        const error = asOAuthError(services, caught, c.get('requestId'));
        const page = <ErrorPage title="Cannot sign in right now" message={error.message} hint={error.hint} />;
        const response = await render({ kind: 'page', status: error.status, page }, status303);
        for (const [name, value] of Object.entries(error.headers)) response.headers.set(name, value);
        return response;
      }
    };

  app.get(
    '/authorize',
    pageStep(
      (c) => startAuthorization(services, new URL(c.req.url).searchParams, getCookie(c, BINDING_COOKIE)),
      false,
    ),
  );
  app.post(
    '/authorize',
    pageStep(
      async (c) =>
        continueAuthorization(
          services,
          new URLSearchParams(await c.req.text()),
          getCookie(c, BINDING_COOKIE),
          clientIp(c, services.config.trustProxy),
        ),
      true,
    ),
  );
}
