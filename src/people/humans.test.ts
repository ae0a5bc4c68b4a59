import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { latestCode, type Mail, type SmtpMailbox, startSmtpMailbox } from '../../test/mailbox.js';

describe.each(DIALECTS)('an agent invites its human on %s', (dialect) => {
  let t: TestApp;
  let smtp: SmtpMailbox;
  let agent: Agent;
  beforeAll(async () => {
    smtp = await startSmtpMailbox();
    t = await createTestApp(dialect, { SMTP_URL: smtp.url, PUBLIC_URL: 'https://crm.example.org' });
    agent = await bootstrapAgent(t.app, 'sophie_outreach_agent');
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const invite = (token: string, body: Record<string, unknown>, path = '/agent-invite-human') =>
    call(t.app, 'POST', path, body, {
      token,
      json: true,
      headers: { 'x-agent-tool-name': 'humans.invite_billing_owner' },
    });
  const linkIn = (mail: Mail) => mail.text.match(/https:\/\/crm\.example\.org\/human\?invite=(\S+)/)?.[1];

  it('emails a one-time link; accepting with the emailed code makes the human billing owner and admin', async () => {
    const sent = await invite(
      agent.token,
      {
        workspace_id: agent.workspaceId,
        agent_id: agent.agentId,
        human_email: 'alex@example.com',
        human_name: 'Alex',
      },
      '/functions/v1/agent-invite-human',
    );
    expect(sent.status).toBe(201);
    expect(sent.json.data.kind).toBe('billing_owner');
    expect(sent.json.data.plan).toBe('sandbox');
    expect(JSON.stringify(sent.json)).not.toMatch(/hi_/);
    const mail = smtp.messages.at(-1)!;
    expect(mail.to).toBe('alex@example.com');
    expect(mail.text).toContain('sophie_outreach_agent');
    const secret = decodeURIComponent(linkIn(mail)!);
    expect(secret).toMatch(/^hi_[A-Za-z0-9_-]{43}$/);

    const shown = await call(t.app, 'POST', '/human/invites/inspect', { invite: secret }, { json: true });
    expect(shown.status).toBe(200);
    expect(shown.json.data.agent_name).toBe('sophie_outreach_agent');
    expect(shown.json.data.email).toBe('a***@example.com');

    const who = await call(t.app, 'GET', '/whoami', undefined, { token: agent.token });
    expect(who.text).toContain('plan=sandbox');
    expect(who.text).toContain('# no billing owner yet');

    const step1 = await call(t.app, 'POST', '/human/invites/accept', { invite: secret }, { json: true });
    expect(step1.status).toBe(202);
    const code = latestCode(smtp.messages, 'alex@example.com');
    const wrong = await call(
      t.app,
      'POST',
      '/human/invites/accept',
      { invite: secret, code: code === '000000' ? '111111' : '000000' },
      { json: true },
    );
    expect(wrong.status).toBe(400);
    const accepted = await call(
      t.app,
      'POST',
      '/human/invites/accept',
      { invite: secret, code },
      { json: true },
    );
    expect(accepted.status).toBe(201);
    expect(accepted.json.data.billing_owner).toBe(true);
    expect(accepted.json.data.role).toBe('admin');
    expect(accepted.json.data.workspace_id).toBe(agent.workspaceId);
    expect(accepted.json.data.plan).toBe('sandbox');

    const human = accepted.json.data.token as string;
    const members = await call(t.app, 'GET', `/workspaces/${agent.workspaceId}/members`, undefined, {
      token: human,
    });
    expect(members.text).toMatch(
      /^user\/usr_\w+ email=alex@example.com name=Alex role=admin billing_owner=true/m,
    );
    const after = await call(t.app, 'GET', '/whoami', undefined, { token: agent.token });
    expect(after.text).toMatch(/billing_owner=user\/usr_/);

    const again = await call(
      t.app,
      'POST',
      '/human/invites/accept',
      { invite: secret, code },
      { json: true },
    );
    expect(again.status).toBe(410);
    expect(again.json.error.code).toBe('invite_invalid');
    expect(again.json.error.details.state).toBe('accepted');

    const twice = await invite(agent.token, {
      workspace_id: agent.workspaceId,
      agent_id: agent.agentId,
      human_email: 'other@example.com',
    });
    expect(twice.status).toBe(409);

    // Step-up for this workspace now goes to the human.
    const bob = await call(
      t.app,
      'POST',
      `/workspaces/${agent.workspaceId}/invites`,
      { email: 'bob@example.com' },
      { token: human },
    );
    expect(bob.status).toBe(201);
  });

  it('refuses unknown, replaced and expired invites', async () => {
    const other = await bootstrapAgent(t.app, 'second_agent');
    const body = { workspace_id: other.workspaceId, agent_id: other.agentId, human_email: 'sam@example.com' };
    await invite(other.token, body);
    const first = decodeURIComponent(linkIn(smtp.messages.at(-1)!)!);
    await invite(other.token, body);
    const second = decodeURIComponent(linkIn(smtp.messages.at(-1)!)!);
    const replaced = await call(t.app, 'POST', '/human/invites/accept', { invite: first }, { json: true });
    expect(replaced.status).toBe(410);
    expect(replaced.json.error.details.state).toBe('revoked');
    const unknown = await call(
      t.app,
      'POST',
      '/human/invites/inspect',
      { invite: `hi_${'x'.repeat(43)}` },
      { json: true },
    );
    expect(unknown.status).toBe(410);
    t.clock.advance(7 * 24 * 3600 * 1000 + 1000);
    const expired = await call(t.app, 'POST', '/human/invites/accept', { invite: second }, { json: true });
    expect(expired.status).toBe(410);
    expect(expired.json.error.details.state).toBe('expired');
  });

  it("refuses another workspace's ids and another agent's id", async () => {
    const mine = await bootstrapAgent(t.app, 'mine');
    const theirs = await bootstrapAgent(t.app, 'theirs');
    const crossWorkspace = await invite(mine.token, {
      workspace_id: theirs.workspaceId,
      agent_id: theirs.agentId,
      human_email: 'x@example.com',
    });
    expect(crossWorkspace.status).toBe(404);
    const crossAgent = await invite(mine.token, {
      workspace_id: mine.workspaceId,
      agent_id: theirs.agentId,
      human_email: 'x@example.com',
    });
    expect(crossAgent.status).toBe(404);
    const members = await call(t.app, 'GET', `/workspaces/${theirs.workspaceId}/members`, undefined, {
      token: theirs.token,
      json: true,
    });
    expect(members.json.data).toEqual([]);
  });

  it('is listed in /help and /openapi.json under its tool name', async () => {
    const help = await call(t.app, 'GET', '/help');
    expect(help.text).toContain('POST /agent-invite-human');
    expect(help.text).toContain('humans.invite_billing_owner');
    const openapi = await call(t.app, 'GET', '/openapi.json', undefined, { json: true });
    expect(openapi.json.paths['/agent-invite-human'].post.operationId).toBe('humans.invite_billing_owner');
  });
});
