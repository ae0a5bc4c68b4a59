import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient, consoleSignIn, inviteLink, textOf } from '../../test/console.js';
import { consoleFixture, LIMITS } from '../../test/fixtures/human-console.js';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { latestCode, signIn } from '../../test/mailbox.js';

describe.each(DIALECTS)('human console on %s', (dialect) => {
  const fx = consoleFixture(dialect);
  const { outbox, ownedWorkspace } = fx;
  let t: TestApp;
  beforeAll(async () => {
    ({ t } = await fx.setup());
  });
  afterAll(async () => t.close());

  describe('sign-in', () => {
    it('serves the sign-in form with strict headers and a presession cookie, and no script anywhere', async () => {
      const client = new ConsoleClient(t.app);
      const page = await client.get('/human');
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toBe(
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      );
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.html).toContain('<label for="email">Email address</label>');
      expect(page.html).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
      expect(client.cookies.has('agentcrm_presession')).toBe(true);
      const css = await client.get('/human/console.css');
      expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    });

    it('tells an unknown address to ask its agent for an invite, and creates nothing', async () => {
      const client = new ConsoleClient(t.app);
      await client.get('/human');
      const asked = await client.post('/human/sign-in', { email: 'Nobody@Example.com' });
      expect(asked.status).toBe(200);
      expect(textOf(asked.html)).toContain('ask your AI agent to invite you');
      const mail = (await outbox()).filter((m) => m.to === 'nobody@example.com').at(-1)!;
      expect(mail.subject).toBe('agentcrm: no account for this address');
      expect(mail.text).not.toMatch(/^\s+\d{6}\s*$/m);
      const tried = await client.post('/human/sign-in/code', { email: 'nobody@example.com', code: '123456' });
      expect(tried.status).toBe(400);
      const { db } = t.store;
      expect(
        await db.selectFrom('users').where('email', '=', 'nobody@example.com').selectAll().execute(),
      ).toEqual([]);
      expect(
        await db.selectFrom('login_codes').where('email', '=', 'nobody@example.com').selectAll().execute(),
      ).toEqual([]);
      expect(client.cookies.has('agentcrm_session')).toBe(false);
    });

    it('signs a member in with the emailed code: an HttpOnly SameSite cookie holding one of our tokens', async () => {
      const person = await signIn(t.app, t.config.dataDir, 'dana@example.com', 'api');
      const client = new ConsoleClient(t.app);
      await client.get('/human');
      await client.post('/human/sign-in', { email: 'dana@example.com' });
      const code = latestCode(await outbox(), 'dana@example.com');
      const wrong = await client.post('/human/sign-in/code', {
        email: 'dana@example.com',
        code: code === '000000' ? '111111' : '000000',
      });
      expect(wrong.status).toBe(400);
      expect(textOf(wrong.html)).toContain('The code was not accepted');
      const done = await client.post('/human/sign-in/code', { email: 'dana@example.com', code });
      expect(done.status).toBe(303);
      expect(done.location).toBe('/human');
      const cookie = done.headers.getSetCookie().find((line) => line.startsWith('agentcrm_session='))!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);
      expect(cookie).toMatch(/agentcrm_session=ck_/);
      const overview = await client.follow(done);
      expect(textOf(overview.html)).toContain("dana@example.com's workspace");
      expect(textOf(overview.html)).toContain('Open pipeline by stage');

      // The session is one of our tokens: listed with the person's tokens, stored hashed, revocable.
      const tokens = await call(t.app, 'GET', '/tokens', undefined, { token: person.token, json: true });
      const session = tokens.json.data.find(
        (token: { name: string }) => token.name === 'human console (browser)',
      );
      expect(session).toBeDefined();
      const secret = client.cookies.get('agentcrm_session')!;
      const stored = await t.store.db
        .selectFrom('tokens')
        .selectAll()
        .where('id', '=', session.id)
        .executeTakeFirst();
      expect(stored!.token_hash).not.toContain(secret);
      expect(JSON.stringify(stored)).not.toContain(secret);
      const revoked = await call(t.app, 'DELETE', `/tokens/${session.id}`, undefined, {
        token: person.token,
      });
      expect(revoked.status).toBe(200);
      const after = await client.get('/human');
      expect(textOf(after.html)).toContain('Your session ended');
      expect(client.cookies.has('agentcrm_session')).toBe(false);
    });

    it('marks the cookie Secure (with the __Host- prefix) when PUBLIC_URL is https', async () => {
      const secure = await createTestApp(dialect, { ...LIMITS, PUBLIC_URL: 'https://crm.example.com' });
      try {
        await signIn(secure.app, secure.config.dataDir, 'erin@example.com');
        const client = new ConsoleClient(secure.app, 'https://crm.example.com');
        await consoleSignIn(client, secure.config.dataDir, 'erin@example.com');
        const name = [...client.cookies.keys()].find((key) => key.endsWith('agentcrm_session'));
        expect(name).toBe('__Host-agentcrm_session');
        const overview = await client.get('/human');
        expect(textOf(overview.html)).toContain('Overview');
      } finally {
        await secure.close();
      }
    });

    it('signs out by revoking the session token', async () => {
      await signIn(t.app, t.config.dataDir, 'fay@example.com');
      const client = new ConsoleClient(t.app);
      await consoleSignIn(client, t.config.dataDir, 'fay@example.com');
      const secret = client.cookies.get('agentcrm_session')!;
      const out = await client.post('/human/sign-out', {});
      expect(out.status).toBe(303);
      expect(client.cookies.has('agentcrm_session')).toBe(false);
      const api = await call(t.app, 'GET', '/whoami', undefined, { token: secret });
      expect(api.status).toBe(401);
    });
  });

  describe('invite acceptance', () => {
    it('shows the workspace and the inviting agent, then makes the person billing owner and asks for a budget', async () => {
      const agent = await bootstrapAgent(t.app, 'sophie_outreach_agent');
      await call(
        t.app,
        'POST',
        '/agent-invite-human',
        {
          workspace_id: agent.workspaceId,
          agent_id: agent.agentId,
          human_email: 'alex@example.com',
          human_name: 'Alex',
        },
        { token: agent.token },
      );
      const link = new URL(inviteLink(await outbox(), 'alex@example.com'));
      const client = new ConsoleClient(t.app);
      const shown = await client.get(`${link.pathname}${link.search}`);
      expect(shown.status).toBe(200);
      expect(textOf(shown.html)).toContain('Alex, you are invited');
      expect(textOf(shown.html)).toContain('sophie_outreach_agent');
      expect(textOf(shown.html)).toContain('sophie_outreach_agent sandbox');
      const secret = link.searchParams.get('invite')!;
      const asked = await client.post('/human/accept', { invite: secret });
      expect(textOf(asked.html)).toContain('We sent a 6-digit code to a***@example.com');
      const code = latestCode(await outbox(), 'alex@example.com');
      const accepted = await client.post('/human/accept', { invite: secret, code });
      expect(accepted.status).toBe(303);
      expect(accepted.location).toBe('/human/budget?notice=welcome');
      const budget = await client.follow(accepted);
      expect(textOf(budget.html)).toContain('Welcome! You are now the billing owner');
      expect(textOf(budget.html)).toContain('Set budget');

      const who = await call(t.app, 'GET', '/whoami', undefined, { token: agent.token, json: true });
      expect(who.json.data.workspace.billing_owner).toMatch(/^user\/usr_/);
      const audit = await call(t.app, 'GET', '/audit?operation=console.accept_invite', undefined, {
        token: agent.token,
        json: true,
      });
      expect(audit.json.data).toHaveLength(1);

      // The link works once.
      const again = await new ConsoleClient(t.app).get(`${link.pathname}${link.search}`);
      expect(again.status).toBe(410);
      expect(textOf(again.html)).toContain('This invite was already accepted');
    });

    it('gives expired and unknown invites a clear page', async () => {
      const agent = await bootstrapAgent(t.app, 'late_agent');
      await call(
        t.app,
        'POST',
        '/agent-invite-human',
        { workspace_id: agent.workspaceId, agent_id: agent.agentId, human_email: 'late@example.com' },
        { token: agent.token },
      );
      const link = new URL(inviteLink(await outbox(), 'late@example.com'));
      t.clock.advance(8 * 24 * 3600_000);
      try {
        const expired = await new ConsoleClient(t.app).get(`${link.pathname}${link.search}`);
        expect(expired.status).toBe(410);
        expect(textOf(expired.html)).toContain('This invite expired');
      } finally {
        t.clock.advance(-8 * 24 * 3600_000);
      }
      const unknown = await new ConsoleClient(t.app).get('/human?invite=hi_notarealinvite0000000000');
      expect(unknown.status).toBe(410);
      expect(textOf(unknown.html)).toContain('This invite link is not valid');
    });
  });

  describe('CSRF', () => {
    let owner: ConsoleClient;
    let agent: Agent;
    beforeAll(async () => {
      ({ owner, agent } = await ownedWorkspace('csrf-owner@example.com', 'csrf_agent'));
      await owner.get('/human/members');
    });
    const invitesFor = async (email: string) => {
      const members = await call(t.app, 'GET', `/workspaces/${agent.workspaceId}/members`, undefined, {
        token: agent.token,
        json: true,
      });
      return members.json.data.filter((row: { email: string }) => row.email === email);
    };

    it('refuses a form post without the token, with a wrong one, or another session’s', async () => {
      const other = new ConsoleClient(t.app);
      await signIn(t.app, t.config.dataDir, 'csrf-other@example.com');
      await consoleSignIn(other, t.config.dataDir, 'csrf-other@example.com');
      const fields = { email: 'eve@example.com', role: 'member' };
      for (const csrf of [false, 'forged', other.csrf()] as const) {
        const forged = await owner.post('/human/members/invite', fields, { csrf });
        expect(forged.status).toBe(403);
        expect(textOf(forged.html)).toContain('This form expired or did not come from this site');
      }
      expect(await invitesFor('eve@example.com')).toEqual([]);
    });

    it('refuses posts from another origin and non-form bodies, even with the right token', async () => {
      const fields = { email: 'eve@example.com', role: 'member' };
      const crossSite = await owner.post('/human/members/invite', fields, { origin: 'https://evil.example' });
      expect(crossSite.status).toBe(403);
      const noOrigin = await owner.post('/human/members/invite', fields, { origin: null });
      expect(noOrigin.status).toBe(403);
      const json = await owner.post('/human/members/invite', fields, { contentType: 'application/json' });
      expect(json.status).toBe(403);
      expect(await invitesFor('eve@example.com')).toEqual([]);
      const real = await owner.post('/human/members/invite', fields);
      expect(real.status).toBe(303);
      expect(await invitesFor('eve@example.com')).toHaveLength(1);
    });

    it('binds sign-in forms to the presession cookie', async () => {
      const client = new ConsoleClient(t.app);
      await client.get('/human');
      const token = client.csrf();
      client.cookies.delete('agentcrm_presession');
      const refused = await client.post('/human/sign-in', { email: 'dana@example.com' }, { csrf: token });
      expect(refused.status).toBe(403);
    });
  });
});
