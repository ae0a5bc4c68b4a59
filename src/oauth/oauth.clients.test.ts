import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, body, oauthFixture, pkce, REDIRECT } from '../../test/fixtures/oauth.js';
import { DIALECTS, type TestApp } from '../../test/harness.js';
import { Browser } from '../../test/oauth-browser.js';

describe.each(DIALECTS)('OAuth authorization server on %s', (dialect) => {
  const fx = oauthFixture(dialect);
  const { fetcher, register, authorizeUrl } = fx;
  let t: TestApp;
  beforeAll(async () => {
    ({ t } = await fx.setup());
  });
  afterAll(async () => t.close());

  it('publishes RFC 8414 and RFC 9728 metadata, with CORS', async () => {
    const as = await t.app.request('/.well-known/oauth-authorization-server', {
      headers: { origin: 'https://app.example' },
    });
    expect(as.status).toBe(200);
    expect(as.headers.get('access-control-allow-origin')).toBe('*');
    const metadata = await body(as);
    expect(metadata).toMatchObject({
      issuer: BASE,
      authorization_endpoint: `${BASE}/authorize`,
      token_endpoint: `${BASE}/token`,
      registration_endpoint: `${BASE}/register`,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
      authorization_response_iss_parameter_supported: true,
    });
    for (const path of [
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/mcp',
    ]) {
      const prm = await body(await t.app.request(path));
      expect(prm.resource).toBe(`${BASE}/mcp`);
      expect(prm.authorization_servers).toEqual([BASE]);
    }
    const preflight = await t.app.request('/token', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers 401 from /mcp with the resource metadata URL and the scope to ask for first, exposed to browsers', async () => {
    const reply = await t.app.request('/mcp', { method: 'POST', headers: { origin: 'https://app.example' } });
    expect(reply.status).toBe(401);
    // The scope an MCP client asks for when it starts: least privilege; admin comes by step-up.
    expect(reply.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${BASE}/.well-known/oauth-protected-resource/mcp", scope="read write"`,
    );
    expect(reply.headers.get('access-control-expose-headers')).toContain('www-authenticate');
    const bad = await t.app.request('/mcp', { method: 'POST', headers: { authorization: 'Bearer ck_nope' } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token", resource_metadata="/);
  });

  it('registers clients strictly: RFC 7591 errors as 400 JSON, never 500', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ redirect_uris: [] }, 'invalid_redirect_uri'],
      [{ redirect_uris: ['http://evil.example.com/cb'] }, 'invalid_redirect_uri'],
      [{ redirect_uris: ['javascript:alert(1)'] }, 'invalid_redirect_uri'],
      [{ redirect_uris: ['https://a.example/cb#frag'] }, 'invalid_redirect_uri'],
      [{ redirect_uris: 'https://a.example/cb' }, 'invalid_client_metadata'],
      [{ redirect_uris: ['not a url'] }, 'invalid_redirect_uri'],
      [{ token_endpoint_auth_method: 'private_key_jwt' }, 'invalid_client_metadata'],
      [{ grant_types: ['client_credentials'] }, 'invalid_client_metadata'],
      [{ grant_types: ['refresh_token'] }, 'invalid_client_metadata'],
      [{ response_types: ['token'] }, 'invalid_client_metadata'],
      [{ scope: 'read everything' }, 'invalid_client_metadata'],
      [{ client_name: 'x'.repeat(500) }, 'invalid_client_metadata'],
      [{ client_name: 42 }, 'invalid_client_metadata'],
      [{ client_uri: 'http://insecure.example' }, 'invalid_client_metadata'],
    ];
    for (const [metadata, error] of cases) {
      const reply = await register(metadata);
      expect(reply.status, JSON.stringify(metadata)).toBe(400);
      expect(reply.body.error, JSON.stringify(metadata)).toBe(error);
      expect(reply.body.error_description).toBeTruthy();
    }
    for (const raw of ['not json', '[]', 'null']) {
      const reply = await t.app.request('/register', { method: 'POST', body: raw });
      expect(reply.status).toBe(400);
      expect((await body(reply)).error).toBe('invalid_client_metadata');
    }
  });

  it('registers public and confidential clients, loopback and native redirect URIs', async () => {
    const publicClient = await register({
      redirect_uris: ['http://127.0.0.1:33418/callback', 'cursor://anysphere.cursor-mcp/oauth/callback'],
      unknown_member: 'ignored',
    });
    expect(publicClient.status).toBe(201);
    expect(publicClient.body).toMatchObject({
      client_id: expect.stringMatching(/^ocl_/),
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    });
    expect(publicClient.body.client_secret).toBeUndefined();
    expect(publicClient.body.unknown_member).toBeUndefined();
    expect(publicClient.headers.get('cache-control')).toBe('no-store');

    const confidential = await register({ token_endpoint_auth_method: undefined });
    expect(confidential.status).toBe(201);
    expect(confidential.body.token_endpoint_auth_method).toBe('client_secret_basic');
    expect(confidential.body.client_secret).toMatch(/^cks_/);
  });

  it('refuses bad authorization requests: unknown client or redirect on our page, the rest back to the client', async () => {
    const client = (await register()).body;
    const { challenge } = pkce();
    const base = {
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'xyz',
    };
    const browser = new Browser(fetcher);

    // Not our client, or a redirect URI it did not register: an error page, never a redirect.
    for (const params of [
      { ...base, client_id: 'ocl_unknown' },
      { ...base, redirect_uri: 'https://evil.example.com/callback' },
      { ...base, redirect_uri: `${REDIRECT}/extra` },
      { ...base, client_id: undefined },
    ]) {
      const page = await browser.open(authorizeUrl(params));
      expect(page.status).toBe(400);
      expect(page.location).toBeNull();
      expect(page.html).toContain('Cannot sign in');
    }

    const expectRedirectError = async (params: Record<string, string | undefined>, error: string) => {
      const page = await browser.open(authorizeUrl(params));
      expect(page.status, JSON.stringify(params)).toBe(302);
      const location = new URL(page.location!);
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('state')).toBe('xyz');
      expect(location.searchParams.get('iss')).toBe(BASE);
    };
    await expectRedirectError(
      { ...base, code_challenge: undefined, code_challenge_method: undefined },
      'invalid_request',
    );
    await expectRedirectError({ ...base, code_challenge_method: 'plain' }, 'invalid_request');
    await expectRedirectError({ ...base, code_challenge_method: undefined }, 'invalid_request');
    await expectRedirectError({ ...base, code_challenge: 'short' }, 'invalid_request');
    await expectRedirectError({ ...base, response_type: 'token' }, 'unsupported_response_type');
    await expectRedirectError({ ...base, scope: 'read superuser' }, 'invalid_scope');
    await expectRedirectError({ ...base, resource: 'https://other.example/mcp' }, 'invalid_target');

    // The trailing-slash form of the resource is accepted.
    const ok = await browser.open(authorizeUrl({ ...base, resource: `${BASE}/mcp/` }));
    expect(ok.status).toBe(200);
  });
});
