import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient, consoleSignIn, textOf } from '../../test/console.js';
import { consoleFixture } from '../../test/fixtures/human-console.js';
import { type Agent, call, DIALECTS, type TestApp } from '../../test/harness.js';
import { latestCode } from '../../test/mailbox.js';

describe.each(DIALECTS)('human console on %s', (dialect) => {
  const fx = consoleFixture(dialect);
  const { outbox, ownedWorkspace } = fx;
  let t: TestApp;
  beforeAll(async () => {
    ({ t } = await fx.setup());
  });
  afterAll(async () => t.close());

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
