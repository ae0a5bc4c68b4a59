import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../test/harness.js';
import { latestCode, outboxMessages } from '../../test/mailbox.js';
import { Browser, requestHandle, workspaceChoices } from '../../test/oauth-browser.js';

const BASE = 'https://crm.example.org';
const REDIRECT = 'https://client.example.com/callback';

/** Every secret the OAuth flow hands out: client secret, page handle and cookie, code, tokens. */
describe.each(DIALECTS)('no OAuth secret is stored in plain text on %s', (dialect) => {
  let t: TestApp;
  const secrets: { kind: string; value: string }[] = [];
  const keep = (kind: string, value: string) => {
    secrets.push({ kind, value });
    return value;
  };

  beforeAll(async () => {
    t = await createTestApp(dialect, { PUBLIC_URL: BASE });
    const fetcher = (url: string, init?: RequestInit) => t.app.request(url, init);
    const registered = await t.app.request('/register', {
      method: 'POST',
      body: JSON.stringify({
        client_name: 'Keeper',
        redirect_uris: [REDIRECT],
        token_endpoint_auth_method: 'client_secret_post',
      }),
    });
    const client = (await registered.json()) as { client_id: string; client_secret: string };
    keep('client secret', client.client_secret);

    const verifier = randomBytes(32).toString('base64url');
    const url = new URL('/authorize', BASE);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const browser = new Browser(fetcher);
    const request = keep('request handle', requestHandle((await browser.open(url.toString())).html));
    keep('browser binding', browser.cookie!.split('=')[1]!);
    await browser.submit(BASE, { request, step: 'email', email: 'keeper@example.com' });
    const code = latestCode(await outboxMessages(t.config.dataDir), 'keeper@example.com');
    const consent = await browser.submit(BASE, { request, step: 'code', code });
    const done = await browser.submit(BASE, {
      request,
      step: 'consent',
      decision: 'allow',
      workspace_id: workspaceChoices(consent.html)[0]!,
    });
    const authCode = keep('authorization code', new URL(done.location!).searchParams.get('code')!);

    const token = async (params: Record<string, string>) =>
      (await (
        await t.app.request('/token', {
          method: 'POST',
          body: new URLSearchParams({
            client_id: client.client_id,
            client_secret: client.client_secret,
            ...params,
          }),
        })
      ).json()) as { access_token: string; refresh_token: string };
    const first = await token({
      grant_type: 'authorization_code',
      code: authCode,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
    });
    keep('access token', first.access_token);
    keep('refresh token', first.refresh_token);
    const second = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    keep('rotated access token', second.access_token);
    keep('rotated refresh token', second.refresh_token);
    expect(secrets.every((secret) => secret.value && secret.value.length >= 20)).toBe(true);
  });
  afterAll(async () => t.close());

  it('scans the database for every secret issued', async () => {
    let bytes: Buffer[];
    if (dialect === 'sqlite') {
      const dir = path.dirname(t.store.sqlitePath!);
      bytes = readdirSync(dir)
        .filter((name) => name.startsWith('agentcrm.sqlite'))
        .map((file) => readFileSync(path.join(dir, file)));
    } else {
      const url = new URL(t.config.databaseUrl!);
      const schema = url.searchParams.get('options')!.match(/search_path=(\w+)/)![1]!;
      url.searchParams.delete('options');
      const dump = execFileSync('pg_dump', ['--dbname', url.toString(), '-n', schema, '--no-owner'], {
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(dump.toString()).toContain('oauth_refresh_tokens');
      bytes = [dump];
    }
    for (const secret of secrets) {
      for (const chunk of bytes) expect(chunk.includes(Buffer.from(secret.value)), secret.kind).toBe(false);
    }
  });
});
