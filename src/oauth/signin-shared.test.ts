import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, DIALECTS, type TestApp } from '../../test/harness.js';
import { latestCode, outboxMessages } from '../../test/mailbox.js';
import { Browser, requestHandle } from '../../test/oauth-browser.js';

const BASE = 'https://crm.example.org';
const REDIRECT = 'https://client.example.com/callback';

/** The OAuth sign-in page signs in with the same email code as the API: one throttle, one lock. */
describe.each(DIALECTS)('OAuth sign-in page shares the one email-code sign-in on %s', (dialect) => {
  let t: TestApp;
  const fetcher = (url: string, init?: RequestInit) => t.app.request(url, init);
  const newestCode = async (email: string) => latestCode(await outboxMessages(t.config.dataDir), email);

  beforeAll(async () => {
    t = await createTestApp(dialect, {
      PUBLIC_URL: BASE,
      RATE_LIMIT_IP_PER_MINUTE: '10000',
      LOGIN_REQUESTS_PER_IP: '10000',
      LOGIN_VERIFIES_PER_IP: '10000',
    });
  });
  afterAll(async () => t.close());

  async function openSignIn(): Promise<{ browser: Browser; url: string; request: string }> {
    const registered = await t.app.request('/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Lock Test',
        redirect_uris: [REDIRECT],
        token_endpoint_auth_method: 'none',
      }),
    });
    const { client_id } = (await registered.json()) as { client_id: string };
    const verifier = randomBytes(32).toString('base64url');
    const url = new URL('/authorize', BASE);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', client_id);
    url.searchParams.set('redirect_uri', REDIRECT);
    url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
    url.searchParams.set('code_challenge_method', 'S256');
    const browser = new Browser(fetcher);
    const opened = await browser.open(url.toString());
    expect(opened.status).toBe(200);
    return { browser, url: url.toString(), request: requestHandle(opened.html) };
  }

  it('refuses the right code on the page once wrong codes through the API locked the address', async () => {
    const email = `oauth.lock.${dialect}@example.com`;
    expect((await call(t.app, 'POST', '/auth/request', { email })).status).toBe(202);
    const sent = await newestCode(email);
    const wrong = sent === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) await call(t.app, 'POST', '/auth/verify', { email, code: wrong });

    const { browser, url, request } = await openSignIn();
    const codePage = await browser.submit(url, { request, step: 'email', email });
    expect(codePage.status).toBe(200);
    const refused = await browser.submit(url, { request, step: 'code', code: await newestCode(email) });
    expect(refused.status).toBe(429);
    expect(refused.html).toContain('wrong codes for this address');
  });

  it('creates the person on a first sign-in through the page, as the API sign-in does', async () => {
    const email = `oauth.first.${dialect}@example.com`;
    const { browser, url, request } = await openSignIn();
    expect((await browser.submit(url, { request, step: 'email', email })).status).toBe(200);
    const consent = await browser.submit(url, { request, step: 'code', code: await newestCode(email) });
    expect(consent.status).toBe(200);
    expect(consent.html).toContain('name="workspace_id"');
  });
});
