import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, oauthFixture, pkce, REDIRECT } from '../../test/fixtures/oauth.js';
import { call, DIALECTS, type TestApp } from '../../test/harness.js';
import { signIn } from '../../test/mailbox.js';
import { Browser, requestHandle, signInThroughPage, workspaceChoices } from '../../test/oauth-browser.js';

describe.each(DIALECTS)('OAuth authorization server on %s', (dialect) => {
  const fx = oauthFixture(dialect);
  const { fetcher, code, register, authorizeUrl, exchange } = fx;
  let t: TestApp;
  beforeAll(async () => {
    ({ t } = await fx.setup());
  });
  afterAll(async () => t.close());

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
