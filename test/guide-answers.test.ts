import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';

/**
 * Issue 19, item 16: what an agent reading our answers literally must be able to rely on. Booleans
 * read the same in text as in JSON; the probes speak JSON when asked; /help shows an agent only what
 * it may call; a billing-owner invite that withdraws an earlier one says so.
 */
describe.each(DIALECTS)('answers an agent can take literally on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app, 'literal_agent');
  });
  afterAll(async () => t.close());

  const asAgent = (method: string, path: string, body?: unknown, json = false) =>
    call(t.app, method, path, body, {
      token: agent.token,
      json,
      headers: { 'x-idempotency-key': `idem_${Math.random().toString(36).slice(2)}` },
    });

  it('shows false booleans in text as JSON has them, and leaves absent values out', async () => {
    const created = await asAgent(
      'POST',
      '/contacts',
      { name: 'Flag Frank', email: 'frank@flags.dev' },
      true,
    );
    expect(created.json.data.do_not_contact).toBe(false);
    expect(created.json.data.phone).toBeNull();
    const text = (await asAgent('GET', `/contacts/${created.json.data.id}`)).text;
    const line = text.split('\n')[0]!;
    expect(line).toMatch(/^contact\/c_\S+ /);
    expect(line).toContain(' do_not_contact=false');
    expect(line).not.toContain('phone=');
    // Lists render records the same way.
    const list = (await asAgent('GET', '/contacts?email=frank@flags.dev')).text;
    expect(list).toContain(' do_not_contact=false');
  });

  it('answers /healthz and /readyz in JSON when asked, with ?format=json or Accept', async () => {
    for (const probe of ['/healthz', '/readyz']) {
      const word = probe === '/healthz' ? 'ok' : 'ready';
      expect((await call(t.app, 'GET', probe)).text).toBe(`${word}\n`);
      for (const reply of [
        await call(t.app, 'GET', `${probe}?format=json`),
        await call(t.app, 'GET', probe, undefined, { headers: { accept: 'application/json' } }),
      ]) {
        expect(reply.status).toBe(200);
        expect(reply.headers.get('content-type')).toContain('application/json');
        const envelope = JSON.parse(reply.text);
        expect(envelope).toMatchObject({ outcome: 'applied', data: { status: word } });
        expect(envelope.request_id).toMatch(/^req_/);
      }
    }
  });

  it('/help lists for an agent only the routes it may call; without a token every route, marked', async () => {
    const catalog = JSON.parse((await call(t.app, 'GET', '/agentcrm-tools.json?full=true')).text);
    const refused = catalog.tools.filter((tool: { callers: string }) => tool.callers === 'people');
    expect(refused.map((tool: { name: string }) => tool.name)).toEqual(
      expect.arrayContaining(['workspaces.create', 'proposals.decide', 'members.invite', 'policy.update']),
    );
    const mine = (await asAgent('GET', '/help')).text;
    expect(mine).not.toMatch(/^POST \/workspaces /m);
    expect(mine).toMatch(/^# the routes this token may call \(an agent, scopes read,write\)/m);
    for (const tool of refused) expect(mine, tool.name).not.toContain(`[${tool.name},`);
    expect(mine).toMatch(/^POST \/contacts .*\[contacts\.create,/m);
    expect(mine).toContain('[account.bootstrap,');

    const everyone = (await call(t.app, 'GET', '/help')).text;
    expect(everyone).toMatch(
      /^POST \/workspaces .*\[workspaces\.create, write, mutating, approval never, people only\]$/m,
    );
    expect(everyone).toMatch(/^PATCH \/policy .*admins only\]$/m);
    // A bad token is told so rather than silently shown the public manual.
    const bad = await call(t.app, 'GET', '/help', undefined, { token: 'ck_not_a_token' });
    expect(bad.status).toBe(401);
  });

  it('refuses an agent every route its /help leaves out (the flags cannot drift from the handlers)', async () => {
    const catalog = JSON.parse((await call(t.app, 'GET', '/agentcrm-tools.json?full=true')).text);
    // Valid input for the routes refused by the handler (admin routes are refused before validation).
    const inputs: Record<string, unknown> = {
      'workspaces.create': { name: 'Second' },
      'proposals.decide': { proposal_id: 'p_0000000000000000', decision: 'approve' },
      'proposals.decide_many': { ids: ['p_0000000000000000'], decision: 'approve' },
      'billing.set_budget': { monthly_budget_cents: 1000 },
    };
    const peopleOnly = catalog.tools.filter(
      (tool: { callers: string; scope: string }) => tool.callers === 'people' && tool.scope !== 'admin',
    );
    expect(peopleOnly.map((tool: { name: string }) => tool.name).sort()).toEqual(Object.keys(inputs).sort());
    for (const tool of catalog.tools.filter((entry: { callers: string }) => entry.callers === 'people')) {
      const reply = await asAgent('POST', `/tools/${tool.name}`, inputs[tool.name] ?? {}, true);
      expect(reply.status, tool.name).toBe(403);
      expect(['forbidden', 'approval_requires_human'], tool.name).toContain(reply.json.error.code);
    }
    const capabilities = await asAgent('GET', '/policy/capabilities', undefined, true);
    const judged = new Map(
      capabilities.json.data.tools.map((tool: { name: string; can: string }) => [tool.name, tool.can]),
    );
    for (const tool of catalog.tools.filter((entry: { callers: string }) => entry.callers === 'people')) {
      expect(judged.get(tool.name), tool.name).toBe('no');
    }
  });

  it('says in warnings when a new billing-owner invite withdraws a pending one', async () => {
    const invite = (email: string) =>
      asAgent(
        'POST',
        '/agent-invite-human',
        { workspace_id: agent.workspaceId, agent_id: agent.agentId, human_email: email },
        true,
      );
    const first = await invite('first@owner.dev');
    expect(first.status).toBe(201);
    expect(first.json.warnings).toEqual([]);
    const second = await invite('second@owner.dev');
    expect(second.status).toBe(201);
    expect(second.json.warnings).toEqual([
      expect.objectContaining({
        code: 'invite.withdrawn',
        message: expect.stringContaining(first.json.data.id),
      }),
    ]);
    expect(second.json.warnings[0].message).toContain('first@owner.dev');
    const text = await asAgent('POST', '/agent-invite-human', {
      workspace_id: agent.workspaceId,
      agent_id: agent.agentId,
      human_email: 'third@owner.dev',
    });
    expect(text.text).toMatch(
      /^# warning invite\.withdrawn: the pending invite invite\/inv_\S+ to second@owner\.dev/m,
    );
    // An invite that had expired was not pending: withdrawing it is not news.
    t.clock.advance((t.config.inviteTtlSeconds + 60) * 1000);
    const late = await invite('fourth@owner.dev');
    expect(late.json.warnings).toEqual([]);
    // The code is documented with the others.
    const policy = JSON.parse((await call(t.app, 'GET', '/agentcrm-policy.json')).text);
    expect(policy.warning_codes.map((entry: { code: string }) => entry.code)).toContain('invite.withdrawn');
  });
});
