import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, DIALECTS, type TestApp } from '../../test/harness.js';
import { latestCode, outboxMessages, signIn } from '../../test/mailbox.js';
import { Browser, requestHandle, signInThroughPage, workspaceChoices } from '../../test/oauth-browser.js';

const BASE = 'https://crm.example.org';
const REDIRECT = 'https://client.example.com/callback';

// biome-ignore lint/suspicious/noExplicitAny: tests read JSON freely
const body = async (reply: Response): Promise<any> => reply.json();

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

describe.each(DIALECTS)('OAuth authorization server on %s', (dialect) => {
  let t: TestApp;
  const fetcher = (url: string, init?: RequestInit) => t.app.request(url, init);
  const code = (email: string) => async () => latestCode(await outboxMessages(t.config.dataDir), email);

  beforeAll(async () => {
    // Every request here comes from one (in-process) address: lift the per-address throttles.
    t = await createTestApp(dialect, {
      PUBLIC_URL: BASE,
      RATE_LIMIT_IP_PER_MINUTE: '10000',
      LOGIN_REQUESTS_PER_IP: '10000',
      LOGIN_VERIFIES_PER_IP: '10000',
    });
  });
  afterAll(async () => t.close());

  async function register(metadata: Record<string, unknown> = {}) {
    const reply = await t.app.request('/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Test Client',
        redirect_uris: [REDIRECT],
        token_endpoint_auth_method: 'none',
        ...metadata,
      }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: tests read JSON freely
    return { status: reply.status, body: (await reply.json()) as any, headers: reply.headers };
  }

  function authorizeUrl(params: Record<string, string | undefined>) {
    const url = new URL('/authorize', BASE);
    for (const [key, value] of Object.entries(params))
      if (value !== undefined) url.searchParams.set(key, value);
    return url.toString();
  }

  async function token(params: Record<string, string>, headers: Record<string, string> = {}) {
    const reply = await t.app.request('/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(params).toString(),
    });
    // biome-ignore lint/suspicious/noExplicitAny: tests read JSON freely
    return { status: reply.status, body: (await reply.json()) as any, headers: reply.headers };
  }

  /** Registers a client and runs the whole sign-in; returns what the token endpoint needs. */
  async function authorized(email: string, extra: Record<string, string> = {}) {
    const client = (await register()).body;
    const { verifier, challenge } = pkce();
    const url = authorizeUrl({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'st-123',
      resource: `${BASE}/mcp`,
      ...extra,
    });
    const { redirect, consentHtml } = await signInThroughPage(fetcher, url, { email, code: code(email) });
    return { client, verifier, redirect, consentHtml, code: redirect.searchParams.get('code')! };
  }

  const exchange = (clientId: string, authCode: string, verifier: string) =>
    token({
      grant_type: 'authorization_code',
      client_id: clientId,
      code: authCode,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
      resource: `${BASE}/mcp`,
    });

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

  it('answers 401 from /mcp with the resource metadata URL, exposed to browsers', async () => {
    const reply = await t.app.request('/mcp', { method: 'POST', headers: { origin: 'https://app.example' } });
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${BASE}/.well-known/oauth-protected-resource/mcp"`,
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

  it('signs a person in by emailed code and issues an ordinary token named after the client', async () => {
    const email = 'ann@example.com';
    const { client, verifier, redirect, consentHtml, code: authCode } = await authorized(email);
    expect(consentHtml).toContain('Allow Test Client?');
    expect(consentHtml).toContain('client.example.com');
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT);
    expect(redirect.searchParams.get('state')).toBe('st-123');
    expect(redirect.searchParams.get('iss')).toBe(BASE);
    expect(authCode).toMatch(/^oac_/);

    const tokens = await exchange(client.client_id, authCode, verifier);
    expect(tokens.status).toBe(200);
    expect(tokens.headers.get('cache-control')).toBe('no-store');
    expect(tokens.body).toMatchObject({
      token_type: 'Bearer',
      access_token: expect.stringMatching(/^ck_/),
      refresh_token: expect.stringMatching(/^ckr_/),
      scope: 'read write admin',
      expires_in: 3600,
    });
    const listed = await call(t.app, 'GET', '/tokens', undefined, {
      token: tokens.body.access_token,
      json: true,
    });
    expect(listed.status).toBe(200);
    expect(listed.json.data).toEqual([
      expect.objectContaining({ name: 'Test Client', current: true, scopes: ['read', 'write', 'admin'] }),
    ]);
    const audit = await call(t.app, 'GET', '/audit?operation=oauth.authorize', undefined, {
      token: tokens.body.access_token,
      json: true,
    });
    expect(audit.json.data).toHaveLength(1);
  });

  it('refuses a wrong verifier with invalid_grant, and a reused code revokes what it issued', async () => {
    const { client, verifier, code: authCode } = await authorized('bob@example.com');
    const wrong = await exchange(client.client_id, authCode, pkce().verifier);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');
    const noVerifier = await token({
      grant_type: 'authorization_code',
      client_id: client.client_id,
      code: authCode,
    });
    expect(noVerifier.body.error).toBe('invalid_request');
    const otherRedirect = await token({
      grant_type: 'authorization_code',
      client_id: client.client_id,
      code: authCode,
      code_verifier: verifier,
      redirect_uri: 'https://client.example.com/other',
    });
    expect(otherRedirect.body.error).toBe('invalid_grant');

    const first = await exchange(client.client_id, authCode, verifier);
    expect(first.status).toBe(200);
    expect((await call(t.app, 'GET', '/whoami', undefined, { token: first.body.access_token })).status).toBe(
      200,
    );

    const again = await exchange(client.client_id, authCode, verifier);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
    expect((await call(t.app, 'GET', '/whoami', undefined, { token: first.body.access_token })).status).toBe(
      401,
    );
    const refresh = await token({
      grant_type: 'refresh_token',
      client_id: client.client_id,
      refresh_token: first.body.refresh_token,
    });
    expect(refresh.body.error).toBe('invalid_grant');
  });

  it('refuses a code for another client and an expired code', async () => {
    const { verifier, code: authCode } = await authorized('cat@example.com');
    const other = (await register()).body;
    const stolen = await exchange(other.client_id, authCode, verifier);
    expect(stolen.body.error).toBe('invalid_grant');

    const late = await authorized('cat@example.com');
    t.clock.advance(6 * 60_000);
    const expired = await exchange(late.client.client_id, late.code, late.verifier);
    expect(expired.body.error).toBe('invalid_grant');
    expect(expired.body.error_description).toContain('expired');
  });

  it('rotates refresh tokens; a replayed refresh token revokes the whole family', async () => {
    const { client, verifier, code: authCode } = await authorized('dan@example.com');
    const first = (await exchange(client.client_id, authCode, verifier)).body;
    const refresh = (refreshToken: string) =>
      token({ grant_type: 'refresh_token', client_id: client.client_id, refresh_token: refreshToken });

    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body.access_token).not.toBe(first.access_token);
    // Rotation: the old access secret is dead, the new one works, and it is the same session.
    expect((await call(t.app, 'GET', '/whoami', undefined, { token: first.access_token })).status).toBe(401);
    const listed = await call(t.app, 'GET', '/tokens', undefined, {
      token: second.body.access_token,
      json: true,
    });
    expect(listed.json.data).toHaveLength(1);

    const replay = await refresh(first.refresh_token);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    expect((await call(t.app, 'GET', '/whoami', undefined, { token: second.body.access_token })).status).toBe(
      401,
    );
    expect((await refresh(second.body.refresh_token)).body.error).toBe('invalid_grant');

    const otherClient = (await register()).body;
    const stolen = await token({
      grant_type: 'refresh_token',
      client_id: otherClient.client_id,
      refresh_token: second.body.refresh_token,
    });
    expect(stolen.body.error).toBe('invalid_grant');
  });

  it('stops refreshes once the token is revoked with DELETE /tokens/{id}', async () => {
    const { client, verifier, code: authCode } = await authorized('eve@example.com');
    const tokens = (await exchange(client.client_id, authCode, verifier)).body;
    const listed = await call(t.app, 'GET', '/tokens', undefined, { token: tokens.access_token, json: true });
    const id = listed.json.data[0].id;
    const revoked = await call(t.app, 'DELETE', `/tokens/${id}`, undefined, { token: tokens.access_token });
    expect(revoked.status).toBe(200);
    const refresh = await token({
      grant_type: 'refresh_token',
      client_id: client.client_id,
      refresh_token: tokens.refresh_token,
    });
    expect(refresh.status).toBe(400);
    expect(refresh.body.error).toBe('invalid_grant');
  });

  it('expires the access secret after its life; the session stays listed and revocable, refresh revives it', async () => {
    const email = 'fay@example.com';
    const { client, verifier, code: authCode } = await authorized(email);
    const tokens = (await exchange(client.client_id, authCode, verifier)).body;
    const refresh = (refreshToken: string) =>
      token({ grant_type: 'refresh_token', client_id: client.client_id, refresh_token: refreshToken });
    t.clock.advance(3601_000);
    const expired = await call(t.app, 'GET', '/whoami', undefined, {
      token: tokens.access_token,
      json: true,
    });
    expect(expired.status).toBe(401);
    expect(expired.json.error.code).toBe('token_expired');
    const refreshed = await refresh(tokens.refresh_token);
    expect(refreshed.status).toBe(200);
    expect(
      (await call(t.app, 'GET', '/whoami', undefined, { token: refreshed.body.access_token })).status,
    ).toBe(200);

    // A day later the access secret is long dead, but the person still sees the session and ends it.
    t.clock.advance(24 * 3600_000);
    const laptop = await signIn(t.app, t.config.dataDir, email, 'laptop');
    const listed = await call(t.app, 'GET', '/tokens', undefined, { token: laptop.token, json: true });
    const session = listed.json.data.find((entry: { name: string }) => entry.name === 'Test Client');
    expect(session).toBeDefined();
    expect(
      (await call(t.app, 'DELETE', `/tokens/${session.id}`, undefined, { token: laptop.token })).status,
    ).toBe(200);
    const afterRevoke = await refresh(refreshed.body.refresh_token);
    expect(afterRevoke.body.error).toBe('invalid_grant');
  });

  it('authenticates confidential clients (Basic and post) and revokes through RFC 7009', async () => {
    const registered = (await register({ token_endpoint_auth_method: 'client_secret_basic' })).body;
    const { verifier, challenge } = pkce();
    const url = authorizeUrl({
      response_type: 'code',
      client_id: registered.client_id,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const email = 'gus@example.com';
    const { redirect } = await signInThroughPage(fetcher, url, { email, code: code(email) });
    const params = {
      grant_type: 'authorization_code',
      code: redirect.searchParams.get('code')!,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
    };
    const basic = (secret: string) => ({
      authorization: `Basic ${Buffer.from(`${registered.client_id}:${secret}`).toString('base64')}`,
    });
    const noSecret = await token({ ...params, client_id: registered.client_id });
    expect(noSecret.status).toBe(401);
    expect(noSecret.body.error).toBe('invalid_client');
    const wrongSecret = await token(params, basic('cks_wrong'));
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.headers.get('www-authenticate')).toMatch(/^Basic/);
    const viaPost = await token({
      ...params,
      client_id: registered.client_id,
      client_secret: registered.client_secret,
    });
    expect(viaPost.body.error).toBe('invalid_client');
    const ok = await token(params, basic(registered.client_secret));
    expect(ok.status).toBe(200);

    const revoke = await t.app.request('/revoke', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...basic(registered.client_secret) },
      body: new URLSearchParams({ token: ok.body.refresh_token }).toString(),
    });
    expect(revoke.status).toBe(200);
    expect((await call(t.app, 'GET', '/whoami', undefined, { token: ok.body.access_token })).status).toBe(
      401,
    );
  });

  it('refuses unsupported grants and repeated parameters at /token', async () => {
    const client = (await register()).body;
    const password = await token({ grant_type: 'password', client_id: client.client_id });
    expect(password.body.error).toBe('unsupported_grant_type');
    const missing = await token({ client_id: client.client_id });
    expect(missing.body.error).toBe('invalid_request');
    const repeated = await t.app.request('/token', {
      method: 'POST',
      body: `grant_type=authorization_code&code=a&code=b&client_id=${client.client_id}`,
    });
    expect((await body(repeated)).error).toBe('invalid_request');
  });

  it('binds the sign-in forms to the browser that opened them (CSRF)', async () => {
    const client = (await register()).body;
    const url = authorizeUrl({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
    });
    const victim = new Browser(fetcher);
    const opened = await victim.open(url);
    expect(opened.html).not.toContain('<script');
    const request = requestHandle(opened.html);
    const attacker = new Browser(fetcher);
    const forged = await attacker.submit(url, { request, step: 'email', email: 'victim@example.com' });
    expect(forged.status).toBe(400);
    expect(forged.html).toContain('does not belong to this browser');
    const noHandle = await victim.submit(url, { step: 'email', email: 'victim@example.com' });
    expect(noHandle.status).toBe(400);
  });

  it('escapes what clients and people type into the pages', async () => {
    const client = (await register({ client_name: '<img src=x onerror=alert(1)>' })).body;
    const url = authorizeUrl({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
    });
    const browser = new Browser(fetcher);
    const opened = await browser.open(url);
    expect(opened.html).not.toContain('<img');
    expect(opened.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const bad = await browser.submit(url, {
      request: requestHandle(opened.html),
      step: 'email',
      email: '"><b>x',
    });
    expect(bad.status).toBe(400);
    expect(bad.html).not.toContain('"><b>');
  });

  it('shows a wrong code on the page and counts it', async () => {
    const client = (await register()).body;
    const url = authorizeUrl({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
    });
    const browser = new Browser(fetcher);
    const request = requestHandle((await browser.open(url)).html);
    await browser.submit(url, { request, step: 'email', email: 'hal@example.com' });
    const good = await code('hal@example.com')();
    const wrong = await browser.submit(url, {
      request,
      step: 'code',
      code: good === '000000' ? '111111' : '000000',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('4 tries left');
    const right = await browser.submit(url, { request, step: 'code', code: good });
    expect(right.status).toBe(200);
    expect(right.html).toContain('Allow');
  });

  it('lets the person pick the workspace, or deny', async () => {
    const email = 'ivy@example.com';
    const person = await signIn(t.app, t.config.dataDir, email);
    const team = await call(
      t.app,
      'POST',
      '/workspaces',
      { name: 'Ivy Team' },
      { token: person.token, json: true },
    );
    const teamId = team.json.data.id;
    const client = (await register()).body;
    const { verifier, challenge } = pkce();
    const url = authorizeUrl({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      scope: 'read',
    });
    const { redirect, consentHtml } = await signInThroughPage(fetcher, url, {
      email,
      code: code(email),
      workspaceId: teamId,
    });
    expect(workspaceChoices(consentHtml).sort()).toEqual([person.workspaceId, teamId].sort());
    expect(consentHtml).toContain('Ivy Team');
    const tokens = (await exchange(client.client_id, redirect.searchParams.get('code')!, verifier)).body;
    expect(tokens.scope).toBe('read');
    const whoami = await call(t.app, 'GET', '/whoami', undefined, { token: tokens.access_token, json: true });
    expect(JSON.stringify(whoami.json.data)).toContain(teamId);
    const write = await call(
      t.app,
      'POST',
      '/contacts',
      { name: 'X' },
      { token: tokens.access_token, json: true },
    );
    expect(write.json.error.code).toBe('scope_insufficient');

    const denied = await signInThroughPage(fetcher, url.replace(/state=[^&]*/, ''), {
      email,
      code: code(email),
      decision: 'deny',
    });
    expect(denied.redirect.searchParams.get('error')).toBe('access_denied');
    expect(denied.redirect.searchParams.get('iss')).toBe(BASE);
  });

  it('accepts a loopback redirect on another port (RFC 8252)', async () => {
    const client = (await register({ redirect_uris: ['http://127.0.0.1:1/callback'] })).body;
    const page = await new Browser(fetcher).open(
      authorizeUrl({
        response_type: 'code',
        client_id: client.client_id,
        redirect_uri: 'http://127.0.0.1:45678/callback',
        code_challenge: pkce().challenge,
        code_challenge_method: 'S256',
      }),
    );
    expect(page.status).toBe(200);
  });
});
