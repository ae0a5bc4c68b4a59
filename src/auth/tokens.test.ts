import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from '../../test/harness.js';
import { type Person, signIn } from '../../test/mailbox.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe.each(DIALECTS)('tokens on %s', (dialect) => {
  let t: TestApp;
  let ann: Person;
  let bob: Person;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    ann = await signIn(t.app, t.config.dataDir, 'ann@example.com', 'laptop');
    bob = await signIn(t.app, t.config.dataDir, 'bob@example.com', 'phone');
  });
  afterAll(async () => t.close());

  const get = (path: string, token: string) => call(t.app, 'GET', path, undefined, { token, json: true });

  it('lists your own sessions without secrets', async () => {
    const list = await call(t.app, 'GET', '/tokens', undefined, { token: ann.token });
    expect(list.status).toBe(200);
    expect(list.text).toMatch(/^token\/tok_\w+ name=laptop .*scopes=read,write,admin current=true /m);
    expect(list.text).not.toContain('ck_');
    expect(list.text).not.toContain('phone');
  });

  it('mints a narrower token that cannot go past its scopes', async () => {
    const minted = await call(
      t.app,
      'POST',
      '/tokens',
      { token_name: 'reader', scopes: ['read'] },
      { token: ann.token, json: true },
    );
    expect(minted.status).toBe(201);
    const reader = minted.json.data.token as string;
    expect(minted.json.data.scopes).toEqual(['read']);
    expect((await get('/contacts', reader)).status).toBe(200);

    const write = await call(t.app, 'POST', '/contacts', { name: 'X' }, { token: reader, json: true });
    expect(write.status).toBe(403);
    expect(write.json.error.code).toBe('scope_insufficient');
    expect(write.json.error.hint).toBeTruthy();

    const widen = await call(
      t.app,
      'POST',
      '/tokens',
      { token_name: 'w', scopes: 'read,write' },
      { token: reader, json: true },
    );
    expect(widen.status).toBe(403);
    expect(widen.json.error.code).toBe('scope_insufficient');

    const invite = await call(
      t.app,
      'POST',
      `/workspaces/${ann.workspaceId}/invites`,
      { email: 'x@example.com' },
      { token: reader, json: true },
    );
    expect(invite.status).toBe(403);
    expect(invite.json.error.code).toBe('scope_insufficient');
  });

  it("revokes a token at once; revoking it again or someone else's is not found", async () => {
    const minted = await call(
      t.app,
      'POST',
      '/tokens',
      { token_name: 'temp' },
      { token: ann.token, json: true },
    );
    const temp = minted.json.data;
    expect((await get('/whoami', temp.token)).status).toBe(200);

    const byBob = await call(t.app, 'DELETE', `/tokens/${temp.id}`, undefined, {
      token: bob.token,
      json: true,
    });
    expect(byBob.status).toBe(404);
    expect((await get('/whoami', temp.token)).status).toBe(200);

    const revoked = await call(t.app, 'DELETE', `/tokens/${temp.id}`, undefined, { token: ann.token });
    expect(revoked.status).toBe(200);
    expect(revoked.text).toContain('# revoked');
    const after = await get('/whoami', temp.token);
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe('invalid_token');
    expect(after.json.error.hint).toMatch(/auth\/request/);
    expect((await call(t.app, 'DELETE', `/tokens/${temp.id}`, undefined, { token: ann.token })).status).toBe(
      404,
    );
  });

  it('answers 401 auth_required and invalid_token with the login hint', async () => {
    const none = await call(t.app, 'GET', '/whoami', undefined, { json: true });
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('auth_required');
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const bogus = await get('/whoami', `ck_${'a'.repeat(43)}`);
    expect(bogus.status).toBe(401);
    expect(bogus.json.error.code).toBe('invalid_token');
  });

  it('refuses tokens in the query string', async () => {
    const inQuery = await call(t.app, 'GET', `/whoami?access_token=${ann.token}`, undefined, { json: true });
    expect(inQuery.status).toBe(400);
    expect(inQuery.json.error.message).toMatch(/query string/);
    const disguised = await call(t.app, 'GET', `/contacts?search=${ann.token}`, undefined, {
      token: ann.token,
    });
    expect(disguised.status).toBe(400);
  });

  it('expires an idle token, renews one in use, and enforces the absolute cap', async () => {
    const clock = t.clock;
    const idle = (
      await call(t.app, 'POST', '/tokens', { token_name: 'idle' }, { token: ann.token, json: true })
    ).json.data.token as string;
    const busy = (
      await call(t.app, 'POST', '/tokens', { token_name: 'busy' }, { token: ann.token, json: true })
    ).json.data.token as string;
    for (let i = 0; i < 3; i++) {
      clock.advance(20 * DAY);
      expect((await get('/whoami', busy)).status).toBe(200);
    }
    const expired = await get('/whoami', idle);
    expect(expired.status).toBe(401);
    expect(expired.json.error.code).toBe('token_expired');

    const short = (
      await call(
        t.app,
        'POST',
        '/tokens',
        { token_name: 'short', expires_in_seconds: 3600 },
        { token: busy, json: true },
      )
    ).json.data.token as string;
    clock.advance(59 * MINUTE);
    expect((await get('/whoami', short)).status).toBe(200);
    clock.advance(2 * MINUTE);
    expect((await get('/whoami', short)).json.error.code).toBe('token_expired');
    // keep the shared sessions alive for the other tests
    ann = await signIn(t.app, t.config.dataDir, 'ann@example.com', 'laptop');
    bob = await signIn(t.app, t.config.dataDir, 'bob@example.com', 'phone');
  });

  it('writes last_used_at at most once a minute', async () => {
    const read = async () =>
      (
        await t.store.db
          .selectFrom('tokens')
          .select('last_used_at')
          .where('id', '=', ann.tokenId)
          .executeTakeFirstOrThrow()
      ).last_used_at;
    const before = await read();
    t.clock.advance(30_000);
    await get('/whoami', ann.token);
    expect(await read()).toBe(before);
    t.clock.advance(31_000);
    await get('/whoami', ann.token);
    expect(await read()).toBe(t.clock.now().toISOString());
  });

  it('lets an admin list and revoke every token of the workspace, and a member only their own', async () => {
    const agent = await bootstrapAgent(t.app, 'helper');
    const agentTokens = await get('/tokens', agent.token);
    expect(agentTokens.json.data).toHaveLength(1);
    const forbidden = await get('/tokens?all=true', agent.token);
    expect(forbidden.status).toBe(403);
    const all = await get('/tokens?all=true', ann.token);
    expect(all.status).toBe(200);
    expect(all.json.data.every((row: { workspace_id: string }) => row.workspace_id === ann.workspaceId)).toBe(
      true,
    );
  });
});
