import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient, consoleSignIn, inviteLink, textOf } from '../../test/console.js';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { latestCode, outboxMessages, signIn } from '../../test/mailbox.js';

/** Generous per-address limits: in-process requests have no address, so every test shares one bucket. */
const LIMITS = {
  LOGIN_REQUESTS_PER_IP: '1000',
  LOGIN_VERIFIES_PER_IP: '1000',
  RATE_LIMIT_IP_PER_MINUTE: '10000',
};

describe.each(DIALECTS)('human console on %s', (dialect) => {
  let t: TestApp;
  const outbox = () => outboxMessages(t.config.dataDir);
  beforeAll(async () => {
    t = await createTestApp(dialect, LIMITS);
  });
  afterAll(async () => {
    await t.close();
  });

  /** An agent with a billing owner who accepted through the console; returns both. */
  async function ownedWorkspace(email: string, agentName = 'sophie_outreach_agent') {
    const agent = await bootstrapAgent(t.app, agentName);
    const invited = await call(
      t.app,
      'POST',
      '/agent-invite-human',
      { workspace_id: agent.workspaceId, agent_id: agent.agentId, human_email: email, human_name: 'Alex' },
      { token: agent.token },
    );
    expect(invited.status).toBe(201);
    const owner = new ConsoleClient(t.app);
    const link = new URL(inviteLink(await outbox(), email));
    await owner.get(`${link.pathname}${link.search}`);
    await owner.post('/human/accept', { invite: link.searchParams.get('invite')! });
    const code = latestCode(await outbox(), email);
    const accepted = await owner.post('/human/accept', { invite: link.searchParams.get('invite')!, code });
    expect(accepted.status).toBe(303);
    return { agent, owner, link };
  }

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

  describe('access', () => {
    let owner: ConsoleClient;
    let agent: Agent;
    let member: ConsoleClient;
    beforeAll(async () => {
      ({ owner, agent } = await ownedWorkspace('access-owner@example.com', 'access_agent'));
      await owner.get('/human/members');
      expect(
        (await owner.post('/human/members/invite', { email: 'mel@example.com', role: 'member' })).status,
      ).toBe(303);
      member = new ConsoleClient(t.app);
      await consoleSignIn(member, t.config.dataDir, 'mel@example.com');
    });

    it('shows members read-only pages without admin forms', async () => {
      for (const path of [
        '/human/members',
        '/human/agents',
        '/human/budget',
        '/human/approvals',
        '/human/policy',
      ]) {
        const page = await member.get(path);
        expect(page.status).toBe(200);
        expect(page.html).not.toContain('action="/human/members/invite"');
        expect(page.html).not.toContain('/role"');
        expect(page.html).not.toContain('Send invite');
      }
      const members = await member.get('/human/members');
      expect(textOf(members.html)).toContain('You are a member of this workspace');
    });

    it('refuses admin actions a member posts anyway, and changes nothing', async () => {
      await member.get('/human/members');
      const invite = await member.post('/human/members/invite', { email: 'x@example.com', role: 'member' });
      expect(invite.status).toBe(403);
      expect(textOf(invite.html)).toContain('members.invite is for workspace admins');
      const members = await call(t.app, 'GET', `/workspaces/${agent.workspaceId}/members`, undefined, {
        token: agent.token,
        json: true,
      });
      expect(members.json.data.map((row: { email: string }) => row.email)).not.toContain('x@example.com');
      const ownerId = members.json.data.find((row: { billing_owner?: boolean }) => row.billing_owner).id;
      const remove = await member.post(`/human/members/${ownerId}/remove`, {});
      expect(remove.status).toBe(403);

      // A member can revoke only their own tokens: the agent's is "not found" and keeps working.
      const agentTokens = await t.store.db
        .selectFrom('tokens')
        .select('id')
        .where('principal_id', '=', agent.agentId)
        .execute();
      const revoke = await member.post(`/human/tokens/${agentTokens[0]!.id}/revoke`, {});
      expect(revoke.status).toBe(404);
      expect((await call(t.app, 'GET', '/whoami', undefined, { token: agent.token })).status).toBe(200);
    });

    it('never shows another workspace', async () => {
      const stranger = await ownedWorkspace('stranger@example.com', 'stranger_agent');
      const overview = await stranger.owner.get('/human');
      expect(textOf(overview.html)).toContain('stranger_agent sandbox');
      expect(textOf(overview.html)).not.toContain('access_agent sandbox');
      await stranger.owner.get('/human');
      const switched = await stranger.owner.post('/human/workspace', { workspace_id: agent.workspaceId });
      expect(switched.status).toBe(404);
      const audit = await stranger.owner.get(`/human/audit?actor=${agent.agentId}`);
      expect(textOf(audit.html)).toContain('No entries match');
    });

    it('asks for the emailed code before promoting a member, then promotes', async () => {
      const list = await call(t.app, 'GET', `/workspaces/${agent.workspaceId}/members`, undefined, {
        token: agent.token,
        json: true,
      });
      const mel = list.json.data.find((row: { email: string }) => row.email === 'mel@example.com');
      await owner.get('/human/members');
      const asked = await owner.post(`/human/members/${mel.id}/role`, { role: 'admin' });
      expect(asked.status).toBe(200);
      expect(textOf(asked.html)).toContain('Confirm with the emailed code');
      const code = latestCode(await outbox(), 'access-owner@example.com');
      const wrong = await owner.post(`/human/members/${mel.id}/role`, {
        role: 'admin',
        stepup_code: code === '000000' ? '111111' : '000000',
      });
      expect(wrong.status).toBe(400);
      const done = await owner.post(`/human/members/${mel.id}/role`, { role: 'admin', stepup_code: code });
      expect(done.status).toBe(303);
      const page = await owner.follow(done);
      expect(textOf(page.html)).toContain('The role is changed');
      // The member's session keeps the scopes it was issued with: the page says to sign in again.
      const promoted = await member.get('/human/members');
      expect(textOf(promoted.html)).toContain('You were made an admin since you signed in');
      expect(promoted.html).not.toContain('action="/human/members/invite"');
    });
    it('ends the session of a person removed from the workspace', async () => {
      const list = await call(t.app, 'GET', `/workspaces/${agent.workspaceId}/members`, undefined, {
        token: agent.token,
        json: true,
      });
      const mel = list.json.data.find((row: { email: string }) => row.email === 'mel@example.com');
      const confirm = await owner.get(`/human/members/${mel.id}/remove`);
      expect(textOf(confirm.html)).toContain('Remove mel@example.com?');
      const removed = await owner.post(`/human/members/${mel.id}/remove`, {});
      expect(removed.status).toBe(303);
      const after = await member.get('/human/members');
      expect(after.status).toBe(303);
      expect(after.location).toBe('/human?notice=session_ended');
      expect(textOf((await member.follow(after)).html)).toContain('Sign in');
    });
  });

  describe('escaping', () => {
    it('shows a contact named <script> as text on every page', async () => {
      const { owner, agent } = await ownedWorkspace('xss-owner@example.com', 'xss_agent');
      const payload = '<script>alert("x")</script><img src=x onerror=alert(1)>';
      const created = await call(
        t.app,
        'POST',
        '/contacts',
        {
          name: payload,
          email: 'xss@example.com',
          follow_up_at: '2026-02-01T09:00:00Z',
          follow_up_note: payload,
          stage: 'lead',
        },
        { token: agent.token },
      );
      expect(created.status).toBe(201);
      await call(
        t.app,
        'POST',
        '/deals',
        { title: payload, amount_cents: 125000, currency: 'USD', stage: 'proposal' },
        { token: agent.token },
      );
      for (const path of ['/human', '/human/audit', '/human/activity']) {
        const page = await owner.get(path);
        expect(page.status).toBe(200);
        expect(page.html).not.toMatch(/<script|<img/i);
        expect(page.html).toContain('&lt;script&gt;');
      }
    });
  });
  describe('approvals', () => {
    it('approves with an edited value and rejects with a reason the agent reads', async () => {
      const { owner, agent } = await ownedWorkspace('edits-owner@example.com', 'edits_agent');
      const api = (method: string, path: string, body?: unknown) =>
        call(t.app, method, path, body, { token: agent.token, json: true });
      const person = (await api('POST', '/contacts', { name: 'Edna', email: 'edna@old.example' })).json.data;
      const first = await api('POST', `/contacts/${person.id}/proposals`, {
        changes: { email: 'edna@new.example' },
      });
      expect(first.json.outcome).toBe('proposed');
      const page = await owner.get('/human/approvals');
      expect(page.html).toContain('name="edit.email"');
      const approved = await owner.post(`/human/approvals/${first.json.data.id}`, {
        decision: 'approve',
        'edit.email': 'edna@edited.example',
      });
      expect(approved.status).toBe(303);
      expect((await api('GET', `/contacts/${person.id}`)).json.data.email).toBe('edna@edited.example');
      expect((await api('GET', `/proposals/${first.json.data.id}`)).json.data.edits).toEqual({
        email: ['edna@new.example', 'edna@edited.example'],
      });

      const unfilled = await api('POST', `/contacts/${person.id}/proposals`, {
        changes: { email: 'e@x.example' },
      });
      await owner.get('/human/approvals');
      const rejected = await owner.post(`/human/approvals/${unfilled.json.data.id}`, {
        decision: 'reject',
        note: 'keep the edited address',
        'edit.email': 'ignored@x.example',
      });
      expect(rejected.status).toBe(303);
      const seen = (await api('GET', `/proposals/${unfilled.json.data.id}`)).json.data;
      expect(seen).toMatchObject({
        status: 'rejected',
        decision_note: 'keep the edited address',
        edits: null,
      });
    });
  });
});
