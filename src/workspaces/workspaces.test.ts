import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from '../../test/harness.js';
import { latestCode, outboxMessages, type Person, signIn } from '../../test/mailbox.js';
import { tenantTables } from '../store/tenant-tables.js';

describe.each(DIALECTS)('workspaces and members on %s', (dialect) => {
  let t: TestApp;
  let admin: Person; // owns the team workspace
  let member: Person; // a member of it
  let outsider: Person; // admin of their own workspace only
  let team: string;
  let adminTeamToken: string;
  let memberTeamToken: string;

  const req = (method: string, path: string, token: string, body?: unknown) =>
    call(t.app, method, path, body, { token, json: true });

  /** Repeats a step-up request with the code mailed to `email`. */
  async function withStepUp(method: string, path: string, token: string, email: string, body?: unknown) {
    const first = await req(method, path, token, body);
    expect(first.status).toBe(403);
    expect(first.json.error.code).toBe('escalation_required');
    const code = latestCode(await outboxMessages(t.config.dataDir), email);
    const sep = path.includes('?') ? '&' : '?';
    return req(method, `${path}${sep}code=${code}`, token, body);
  }

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await signIn(t.app, t.config.dataDir, 'admin@example.com');
    member = await signIn(t.app, t.config.dataDir, 'member@example.com');
    outsider = await signIn(t.app, t.config.dataDir, 'outsider@example.com');
    const created = await req('POST', '/workspaces', admin.token, { name: 'Team' });
    expect(created.status).toBe(201);
    team = created.json.data.id;
    const switched = await req('POST', `/workspaces/${team}/tokens`, admin.token, {});
    expect(switched.status).toBe(201);
    adminTeamToken = switched.json.data.token;
    const invited = await req('POST', `/workspaces/${team}/invites`, adminTeamToken, { email: member.email });
    expect(invited.status).toBe(201);
    // The invitee joins on their next sign-in.
    const again = await signIn(t.app, t.config.dataDir, member.email);
    const list = await req('GET', '/workspaces', again.token);
    expect(list.json.data.map((w: { id: string }) => w.id)).toContain(team);
    memberTeamToken = (await req('POST', `/workspaces/${team}/tokens`, again.token, {})).json.data.token;
  });
  afterAll(async () => t.close());

  it('lists workspaces with roles and marks the current one', async () => {
    const list = await call(t.app, 'GET', '/workspaces', undefined, { token: admin.token });
    expect(list.text).toMatch(new RegExp(`^workspace/${admin.workspaceId} .*role=admin current=true`, 'm'));
    expect(list.text).toMatch(new RegExp(`^workspace/${team} name=Team plan=sandbox role=admin`, 'm'));
  });

  it('shows members and pending invites; the invite emailed sign-in instructions', async () => {
    await req('POST', `/workspaces/${team}/invites`, adminTeamToken, { email: 'later@example.com' });
    const mail = (await outboxMessages(t.config.dataDir)).filter((m) => m.to === 'later@example.com').at(-1)!;
    expect(mail.text).toMatch(/auth\/request/);
    const members = await call(t.app, 'GET', `/workspaces/${team}/members`, undefined, {
      token: memberTeamToken,
    });
    expect(members.status).toBe(200);
    expect(members.text).toMatch(
      new RegExp(`^user/${admin.userId} email=admin@example.com role=admin billing_owner=true`, 'm'),
    );
    expect(members.text).toMatch(
      new RegExp(`^user/${member.userId} email=member@example.com role=member`, 'm'),
    );
    expect(members.text).toMatch(
      /^invite\/inv_\w+ email=later@example.com role=member kind=member status=pending/m,
    );
  });

  it('refuses every admin-only route to a member with 403', async () => {
    const invite = (await req('GET', `/workspaces/${team}/members`, adminTeamToken)).json.data.find(
      (r: { handle: string }) => r.handle.startsWith('invite/'),
    );
    const attempts: [string, string, unknown?][] = [
      ['POST', `/workspaces/${team}/invites`, { email: 'z@example.com' }],
      ['POST', `/workspaces/${team}/members/${admin.userId}/role`, { role: 'member' }],
      ['POST', `/workspaces/${team}/members/${member.userId}/role`, { role: 'admin' }],
      ['DELETE', `/workspaces/${team}/members/${admin.userId}`],
      ['DELETE', `/workspaces/${team}/invites/${invite.id}`],
      ['DELETE', `/workspaces/${team}`],
    ];
    for (const [method, path, body] of attempts) {
      const reply = await req(method, path, memberTeamToken, body);
      expect(reply.status, `${method} ${path}`).toBe(403);
      expect(reply.json.error.code).toBe('forbidden');
    }
    const agent = await bootstrapAgent(t.app, 'agent_x');
    const byAgent = await req('POST', `/workspaces/${agent.workspaceId}/invites`, agent.token, {
      email: 'q@example.com',
    });
    expect(byAgent.status).toBe(403);
    const members = await req('GET', `/workspaces/${team}/members`, adminTeamToken);
    expect(members.json.data.filter((r: { role?: string }) => r.role === 'admin')).toHaveLength(1);
  });

  it("answers 404 for another workspace's ids on every route, and changes nothing", async () => {
    const snapshot = async () =>
      JSON.stringify((await req('GET', `/workspaces/${team}/members`, adminTeamToken)).json.data);
    const before = await snapshot();
    const invite = (await req('GET', `/workspaces/${team}/members`, adminTeamToken)).json.data.find(
      (r: { handle: string }) => r.handle.startsWith('invite/'),
    );
    const attempts: [string, string, unknown?][] = [
      ['GET', `/workspaces/${team}/members`],
      ['POST', `/workspaces/${team}/tokens`, {}],
      ['POST', `/workspaces/${team}/invites`, { email: 'evil@example.com' }],
      ['POST', `/workspaces/${team}/members/${member.userId}/role`, { role: 'admin' }],
      ['POST', `/workspaces/${team}/members/${admin.userId}/role`, { role: 'member' }],
      ['DELETE', `/workspaces/${team}/members/${member.userId}`],
      ['DELETE', `/workspaces/${team}/invites/${invite.id}`],
      ['DELETE', `/workspaces/${team}`],
      [
        'POST',
        '/agent-invite-human',
        { workspace_id: team, agent_id: 'agt_0000000000000000', human_email: 'e@example.com' },
      ],
      ['DELETE', `/tokens/${admin.tokenId}`],
    ];
    for (const [method, path, body] of attempts) {
      const reply = await req(method, path, outsider.token, body);
      expect(reply.status, `${method} ${path}: ${reply.text}`).toBe(404);
      expect(reply.json.error.code).toBe('not_found');
    }
    // The outsider's own workspace id with the team's member id: not found either.
    const crossed = await req(
      'DELETE',
      `/workspaces/${outsider.workspaceId}/members/${member.userId}`,
      outsider.token,
    );
    expect(crossed.status).toBe(404);
    expect(await snapshot()).toBe(before);
    expect((await req('GET', '/whoami', adminTeamToken)).status).toBe(200);
  });

  it('tells a member of two workspaces to switch tokens instead of acting across them', async () => {
    const reply = await req('GET', `/workspaces/${team}/members`, member.token);
    expect(reply.status).toBe(403);
    expect(reply.json.error.hint).toMatch(new RegExp(`POST /workspaces/${team}/tokens`));
  });

  it('keeps the last admin: cannot demote or remove them', async () => {
    const demote = await req('POST', `/workspaces/${team}/members/${admin.userId}/role`, adminTeamToken, {
      role: 'member',
    });
    expect(demote.status).toBe(409);
    const remove = await req('DELETE', `/workspaces/${team}/members/${admin.userId}`, adminTeamToken);
    expect(remove.status).toBe(409);
    const personal = await req(
      'DELETE',
      `/workspaces/${outsider.workspaceId}/members/${outsider.userId}`,
      outsider.token,
    );
    expect(personal.status).toBe(409);
  });

  it('promotes with step-up, demotes without, and a demoted admin loses admin at once', async () => {
    const promoted = await withStepUp(
      'POST',
      `/workspaces/${team}/members/${member.userId}/role`,
      adminTeamToken,
      admin.email,
      { role: 'admin' },
    );
    expect(promoted.status).toBe(200);
    expect(promoted.json.data.role).toBe('admin');
    // The member's existing token (minted as member) does not gain admin; a fresh one does.
    const fresh = (await req('POST', `/workspaces/${team}/tokens`, member.token, {})).json.data;
    expect(fresh.scopes).toEqual(['read', 'write', 'admin']);
    const demoted = await req('POST', `/workspaces/${team}/members/${member.userId}/role`, adminTeamToken, {
      role: 'member',
    });
    expect(demoted.status).toBe(200);
    const denied = await req('POST', `/workspaces/${team}/invites`, fresh.token, { email: 'y@example.com' });
    expect(denied.status).toBe(403);
  });

  it('removes a member: their tokens for the workspace stop working at once', async () => {
    const extra = await signIn(t.app, t.config.dataDir, 'extra@example.com');
    t.clock.advance(1000); // memberships are ordered by time: the personal workspace stays first
    const inv = await req('POST', `/workspaces/${team}/invites`, adminTeamToken, { email: extra.email });
    expect(inv.status, inv.text).toBe(201);
    const joined = await signIn(t.app, t.config.dataDir, extra.email);
    const minted = await req('POST', `/workspaces/${team}/tokens`, joined.token, {});
    expect(minted.status, minted.text).toBe(201);
    const teamToken = minted.json.data.token;
    expect((await req('GET', '/whoami', teamToken)).status).toBe(200);
    const removed = await req('DELETE', `/workspaces/${team}/members/${extra.userId}`, adminTeamToken);
    expect(removed.status).toBe(200);
    expect((await req('GET', '/whoami', teamToken)).status).toBe(401);
    expect((await req('GET', '/whoami', joined.token)).status).toBe(200);
  });

  it('caps workspaces per person and members per workspace', async () => {
    const plenty = await signIn(t.app, t.config.dataDir, 'plenty@example.com');
    expect((await req('POST', '/workspaces', plenty.token, { name: 'Two' })).status).toBe(201);
    expect((await req('POST', '/workspaces', plenty.token, { name: 'Three' })).status).toBe(201);
    const fourth = await req('POST', '/workspaces', plenty.token, { name: 'Four' });
    expect(fourth.status).toBe(403);
    expect(fourth.json.error.code).toBe('plan_limit_reached');
    expect(fourth.json.error.message).toMatch(/3 workspaces/);

    for (let i = 0; i < 4; i++) {
      const invited = await req('POST', `/workspaces/${plenty.workspaceId}/invites`, plenty.token, {
        email: `seat${i}@example.com`,
      });
      expect(invited.status).toBe(201);
    }
    const sixth = await req('POST', `/workspaces/${plenty.workspaceId}/invites`, plenty.token, {
      email: 'seat9@example.com',
    });
    expect(sixth.status).toBe(403);
    expect(sixth.json.error.code).toBe('plan_limit_reached');
  });

  it('deletes a workspace and all its data in one go, after step-up', async () => {
    const doomedOwner = await signIn(t.app, t.config.dataDir, 'doomed@example.com');
    const ws = doomedOwner.workspaceId;
    await req('POST', '/contacts', doomedOwner.token, { name: 'Jane', email: 'jane@acme.com' });
    await req('POST', `/workspaces/${ws}/invites`, doomedOwner.token, { email: 'guest@example.com' });
    await req('POST', '/tokens', doomedOwner.token, { token_name: 'second' });

    const deleted = await withStepUp('DELETE', `/workspaces/${ws}`, doomedOwner.token, doomedOwner.email);
    expect(deleted.status).toBe(200);
    expect(deleted.json.data.deleted).toBe(true);
    for (const table of await tenantTables(t.store.db, t.store.dialect)) {
      const rows = await t.store.db
        // biome-ignore lint/suspicious/noExplicitAny: every tenant table, by name
        .selectFrom(table.name as any)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', ws)
        .executeTakeFirstOrThrow();
      expect(Number(rows.n), table.name).toBe(0);
    }
    expect(
      await t.store.db.selectFrom('workspaces').where('id', '=', ws).selectAll().executeTakeFirst(),
    ).toBeUndefined();
    expect((await req('GET', '/whoami', doomedOwner.token)).status).toBe(401);
    // Other tenants are untouched.
    expect((await req('GET', '/whoami', adminTeamToken)).status).toBe(200);
    // Signing in again gives the person a fresh personal workspace.
    const back = await signIn(t.app, t.config.dataDir, doomedOwner.email);
    expect(back.workspaceId).not.toBe(ws);
  });
});
