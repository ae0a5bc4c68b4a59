import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, body, oauthFixture, pkce, REDIRECT } from '../../test/fixtures/oauth.js';
import { call, DIALECTS, type TestApp } from '../../test/harness.js';
import { signIn } from '../../test/mailbox.js';
import { signInThroughPage } from '../../test/oauth-browser.js';

describe.each(DIALECTS)('OAuth authorization server on %s', (dialect) => {
  const fx = oauthFixture(dialect);
  const { fetcher, code, register, authorizeUrl, token, authorized, exchange } = fx;
  let t: TestApp;
  beforeAll(async () => {
    ({ t } = await fx.setup());
  });
  afterAll(async () => t.close());

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
      scope: 'read write',
      expires_in: 3600,
    });
    const listed = await call(t.app, 'GET', '/tokens', undefined, {
      token: tokens.body.access_token,
      json: true,
    });
    expect(listed.status).toBe(200);
    expect(listed.json.data).toEqual([
      expect.objectContaining({ name: 'Test Client', current: true, scopes: ['read', 'write'] }),
    ]);
    const audit = await call(t.app, 'GET', '/audit?operation=oauth.authorize', undefined, {
      token: tokens.body.access_token,
      json: true,
    });
    expect(audit.json.data).toHaveLength(1);
  });

  it('grants least privilege by default; admin only when asked for, and only what the person leaves ticked', async () => {
    // No scope asked: read and write (an admin's token does not carry admin unless the app asks).
    const plain = await authorized('narrow@example.com');
    expect(plain.consentHtml).toContain('name="scope" value="write" checked');
    expect(plain.consentHtml).not.toContain('value="admin"');

    // Asked for everything: the page offers all three; the person unticks write and admin.
    const asked = await authorized('narrow@example.com', { scope: 'read write admin' }, ['read']);
    expect(asked.consentHtml).toContain('name="scope" value="admin" checked');
    const narrowed = await exchange(asked.client.client_id, asked.code, asked.verifier);
    expect(narrowed.body.scope).toBe('read');
    const write = await call(
      t.app,
      'POST',
      '/contacts',
      { name: 'X' },
      { token: narrowed.body.access_token },
    );
    expect(write.status).toBe(403);
    expect(write.text).toMatch(
      /^error scope_insufficient: contacts\.create needs the write scope; this token has read$/m,
    );
    // The RFC 6750 challenge names what to ask for: what the token has plus what the call needs.
    expect(write.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", scope="read write"',
    );
    expect(write.text).toMatch(/^hint: authorize again with scope "read write"/m);

    // Unticking everything is refused on the page, not turned into an empty token.
    const none = await authorized('narrow@example.com', { scope: 'read write' }, []).catch(
      (error: Error) => error,
    );
    expect(String(none)).toMatch(/consent answered 400: .*Tick at least one kind of access/s);

    // Asked for admin and allowed: the token carries it.
    const admin = await authorized('narrow@example.com', { scope: 'read write admin' });
    const full = await exchange(admin.client.client_id, admin.code, admin.verifier);
    expect(full.body.scope).toBe('read write admin');
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
});
