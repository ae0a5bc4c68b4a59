import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, body, pkce, REDIRECT } from './fixtures/oauth.js';
import { createTestApp, DIALECTS, type TestApp } from './harness.js';
import { latestCode, outboxMessages } from './mailbox.js';
import { signInThroughPage } from './oauth-browser.js';

/**
 * Client ID Metadata Documents: an MCP client identifies itself by the URL of its metadata
 * document instead of registering. The documents are served here on loopback (the operator's
 * OAUTH_CLIENT_METADATA_ALLOW_LOOPBACK, for development); in production only https on public
 * addresses is fetched.
 */
describe.each(DIALECTS)('OAuth clients identified by a metadata document on %s', (dialect) => {
  let t: TestApp;
  let documents: Server;
  let origin: string;
  const served = new Map<string, { status?: number; body: string }>();
  let fetches = 0;
  const fetcher = (url: string, init?: RequestInit) => t.app.request(url, init);

  const documentFor = (path: string, overrides: Record<string, unknown> = {}) => {
    const clientId = `${origin}${path}`;
    served.set(path, {
      body: JSON.stringify({
        client_id: clientId,
        client_name: 'Metadata Client',
        redirect_uris: [REDIRECT],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'none',
        ...overrides,
      }),
    });
    return clientId;
  };
  const authorizeUrl = (clientId: string, challenge: string) => {
    const url = new URL('/authorize', BASE);
    for (const [key, value] of Object.entries({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'cimd',
      resource: `${BASE}/mcp`,
    }))
      url.searchParams.set(key, value);
    return url.toString();
  };

  beforeAll(async () => {
    documents = createServer((request, response) => {
      fetches += 1;
      const document = served.get(request.url ?? '');
      if (!document) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(document.status ?? 200, { 'content-type': 'application/json' }).end(document.body);
    });
    await new Promise<void>((resolve) => documents.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(documents.address() as AddressInfo).port}`;
    t = await createTestApp(dialect, {
      PUBLIC_URL: BASE,
      OAUTH_CLIENT_METADATA_ALLOW_LOOPBACK: 'true',
      RATE_LIMIT_IP_PER_MINUTE: '10000',
      LOGIN_REQUESTS_PER_IP: '10000',
      LOGIN_VERIFIES_PER_IP: '10000',
    });
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => documents.close(resolve));
  });

  it('advertises metadata documents, and signs a client in by its document URL without registering', async () => {
    const metadata = await body(await t.app.request('/.well-known/oauth-authorization-server'));
    expect(metadata.client_id_metadata_document_supported).toBe(true);

    const clientId = documentFor('/clients/good.json');
    const { verifier, challenge } = pkce();
    const email = 'cimd.person@example.com';
    const { redirect } = await signInThroughPage(fetcher, authorizeUrl(clientId, challenge), {
      email,
      code: async () => latestCode(await outboxMessages(t.config.dataDir), email),
    });
    expect(redirect.searchParams.get('state')).toBe('cimd');
    const exchanged = await t.app.request('/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: redirect.searchParams.get('code')!,
        redirect_uri: REDIRECT,
        client_id: clientId,
        code_verifier: verifier,
      }).toString(),
    });
    expect(exchanged.status).toBe(200);
    const tokens = await body(exchanged);
    expect(tokens.access_token).toMatch(/^ck_/);
    const whoami = await t.app.request('/whoami', {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await whoami.text()).toContain('name="Metadata Client"');

    // Kept for a while: a second sign-in does not fetch the document again.
    const before = fetches;
    const again = await fetcher(authorizeUrl(clientId, pkce().challenge));
    expect(again.status).toBe(200);
    expect(fetches).toBe(before);
  });

  it('refuses a document that names another client, a redirect it does not list, or a secret', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['/clients/other.json', { client_id: 'https://evil.example/client.json' }, /another client_id/],
      ['/clients/secret.json', { token_endpoint_auth_method: 'client_secret_basic' }, /PKCE only/],
      ['/clients/noredirect.json', { redirect_uris: 'https://client.example.com/callback' }, /redirect_uris/],
    ];
    for (const [path, overrides, why] of cases) {
      const reply = await fetcher(authorizeUrl(documentFor(path, overrides), pkce().challenge));
      expect(reply.status, path).toBe(400);
      expect(await reply.text(), path).toMatch(why);
    }
    // A document listing only another redirect: nobody is sent to the one asked for.
    const clientId = documentFor('/clients/elsewhere.json', { redirect_uris: ['https://other.example/cb'] });
    const elsewhere = await fetcher(authorizeUrl(clientId, pkce().challenge));
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers.get('location')).toBeNull();
  });

  it('fetches nothing private, nothing large and nothing missing', async () => {
    served.set('/clients/huge.json', { body: JSON.stringify({ padding: 'x'.repeat(20_000) }) });
    served.set('/clients/gone.json', { status: 410, body: '{}' });
    const cases: [string, RegExp][] = [
      [`${origin}/clients/huge.json`, /larger than 16384 bytes/],
      [`${origin}/clients/gone.json`, /HTTP 410/],
      [`${origin}/clients/absent.json`, /HTTP 404/],
      [`${origin}/`, /must have a path/],
      ['http://example.com/client.json', /must use https/],
      // Private addresses are refused before any connection, loopback allowed or not.
      ['https://10.0.0.1/client.json', /a private address|private/],
      ['https://169.254.169.254/latest/meta-data', /link-local|metadata|refused/],
    ];
    for (const [clientId, why] of cases) {
      const reply = await fetcher(authorizeUrl(clientId, pkce().challenge));
      expect(reply.status, clientId).toBe(400);
      expect(await reply.text(), clientId).toMatch(why);
    }
  });
});
