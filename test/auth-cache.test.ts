import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, DIALECTS, type TestApp } from './harness.js';
import { latestCode, outboxMessages, type Person, signIn } from './mailbox.js';

// Authentication is cached in process for a moment (src/auth/auth-cache.ts). Each test first uses
// a token several times, so its authentication is cached, then changes what it may do, and checks
// the very next request sees the change.
describe.each(DIALECTS)('cached authentication stays revocation-safe on %s', (dialect) => {
  let t: TestApp;
  let admin: Person;
  let team: string;
  let adminTeamToken: string;

  const req = (method: string, path: string, token: string, body?: unknown) =>
    call(t.app, method, path, body, { token, json: true });
  const warm = async (token: string, path = '/whoami') => {
    for (let i = 0; i < 3; i++) expect((await req('GET', path, token)).status).toBe(200);
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await signIn(t.app, t.config.dataDir, 'admin@example.com');
    const created = await req('POST', '/workspaces', admin.token, { name: 'Team' });
    team = created.json.data.id;
    adminTeamToken = (await req('POST', `/workspaces/${team}/tokens`, admin.token, {})).json.data.token;
  });
  afterAll(async () => t.close());

  /** Signs `email` in and makes them a member of the team workspace; returns a token there. */
  async function joinTeam(email: string) {
    await signIn(t.app, t.config.dataDir, email);
    t.clock.advance(1000); // memberships are ordered by time: the personal workspace stays first
    expect((await req('POST', `/workspaces/${team}/invites`, adminTeamToken, { email })).status).toBe(201);
    const person = await signIn(t.app, t.config.dataDir, email);
    const minted = await req('POST', `/workspaces/${team}/tokens`, person.token, {});
    expect(minted.status, minted.text).toBe(201);
    return { person, token: minted.json.data.token as string };
  }

  it('refuses a revoked token on the next request', async () => {
    const temp = (
      await call(t.app, 'POST', '/tokens', { token_name: 'temp' }, { token: admin.token, json: true })
    ).json.data;
    await warm(temp.token);
    expect((await req('DELETE', `/tokens/${temp.id}`, admin.token)).status).toBe(200);
    const after = await req('GET', '/whoami', temp.token);
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe('invalid_token');
  });

  it('refuses a removed member on the next request', async () => {
    const { person, token } = await joinTeam('leaver@example.com');
    await warm(token);
    expect((await req('DELETE', `/workspaces/${team}/members/${person.userId}`, adminTeamToken)).status).toBe(
      200,
    );
    expect((await req('GET', '/whoami', token)).status).toBe(401);
  });

  it('applies a demotion on the next request', async () => {
    const { person } = await joinTeam('climber@example.com');
    const path = `/workspaces/${team}/members/${person.userId}/role`;
    const first = await req('POST', path, adminTeamToken, { role: 'admin' });
    expect(first.json.error.code).toBe('escalation_required');
    const code = latestCode(await outboxMessages(t.config.dataDir), admin.email);
    expect((await req('POST', `${path}?code=${code}`, adminTeamToken, { role: 'admin' })).status).toBe(200);
    const adminToken = (await req('POST', `/workspaces/${team}/tokens`, person.token, {})).json.data
      .token as string;
    const check = await req('GET', '/tokens?all=true', adminToken);
    expect(check.status, check.text).toBe(200);
    await warm(adminToken, '/tokens?all=true');
    expect((await req('POST', path, adminTeamToken, { role: 'member' })).status).toBe(200);
    const denied = await req('GET', '/tokens?all=true', adminToken);
    expect(denied.status).toBe(403);
  });

  it("keeps the idle clock: a cached token's use still renews it, an unused one still expires", async () => {
    const DAY = 24 * 3600_000;
    const mint = async (name: string) =>
      (await call(t.app, 'POST', '/tokens', { token_name: name }, { token: admin.token, json: true })).json
        .data.token as string;
    const busy = await mint('busy');
    const idle = await mint('idle');
    await warm(busy);
    await warm(idle);
    for (let i = 0; i < 3; i++) {
      t.clock.advance(20 * DAY);
      expect((await req('GET', '/whoami', busy)).status).toBe(200);
    }
    const expired = await req('GET', '/whoami', idle);
    expect(expired.status).toBe(401);
    expect(expired.json.error.code).toBe('token_expired');
  });
});
