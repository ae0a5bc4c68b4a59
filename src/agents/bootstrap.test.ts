import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, DIALECTS, type TestApp } from '../../test/harness.js';

describe.each(DIALECTS)('agent bootstrap on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  const body = {
    agent_name: 'sophie_outreach_agent',
    agent_kind: 'llm_agent',
    intended_use: 'manage_contacts_and_followups',
  };

  it('creates a sandbox workspace, an agent and a working token', async () => {
    const reply = await call(
      t.app,
      'POST',
      '/functions/v1/agent-bootstrap',
      { ...body, requested_plan: 'sandbox' },
      { json: true },
    );
    expect(reply.status).toBe(201);
    expect(reply.json.outcome).toBe('applied');
    const { data } = reply.json;
    expect(data.workspace_id).toMatch(/^wrk_/);
    expect(data.agent_id).toMatch(/^agt_/);
    expect(data.handle).toBe(`agent/${data.agent_id}`);
    expect(data.token).toMatch(/^ck_[A-Za-z0-9_-]{43}$/);
    expect(data.bootstrap_token).toBe(data.token);
    expect(data.plan).toBe('sandbox');
    const use = await call(t.app, 'GET', '/contacts', undefined, { token: data.token });
    expect(use.status).toBe(200);
  });

  it('answers in text with the handle first', async () => {
    const reply = await call(t.app, 'POST', '/agent-bootstrap', { agent_name: 'texty' });
    expect(reply.status).toBe(201);
    expect(reply.text).toMatch(
      /^agent\/agt_\S+ agent_id=agt_\S+ workspace_id=wrk_\S+ plan=sandbox token=ck_\S+/,
    );
  });

  it('denies a production plan with the stable reason code and creates nothing', async () => {
    const before = await t.store.db
      .selectFrom('workspaces')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const reply = await call(
      t.app,
      'POST',
      '/agent-bootstrap',
      { ...body, requested_plan: 'production' },
      { json: true },
    );
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({
      outcome: 'denied',
      data: null,
      policy: { decision: 'deny', reason_code: 'billing.human_owner_required_for_production' },
    });
    expect(reply.json.next_actions.map((a: { tool_name: string }) => a.tool_name)).toContain(
      'humans.invite_billing_owner',
    );
    const after = await t.store.db
      .selectFrom('workspaces')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const text = await call(t.app, 'POST', '/agent-bootstrap', { ...body, requested_plan: 'production' });
    expect(text.text).toContain('# outcome: denied');
    expect(text.text).toContain('# policy: deny billing.human_owner_required_for_production');
  });

  it('validates its input', async () => {
    const missing = await call(t.app, 'POST', '/agent-bootstrap', {}, { json: true });
    expect(missing.status).toBe(400);
    expect(missing.json.error.message).toContain('agent_name');
    const extra = await call(
      t.app,
      'POST',
      '/agent-bootstrap',
      { agent_name: 'x', role: 'admin' },
      { json: true },
    );
    expect(extra.status).toBe(400);
    expect(extra.json.error.message).toContain('role: unknown field');
  });

  it('stores only a hash of the token and audits the signup', async () => {
    const reply = await call(t.app, 'POST', '/agent-bootstrap', { agent_name: 'hashed' }, { json: true });
    const { token, workspace_id } = reply.json.data;
    const rows = await t.store.db
      .selectFrom('tokens')
      .selectAll()
      .where('workspace_id', '=', workspace_id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(JSON.stringify(rows)).not.toContain(token.slice(3));
    const audit = await t.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('workspace_id', '=', workspace_id)
      .execute();
    expect(audit).toEqual([expect.objectContaining({ operation: 'account.bootstrap', actor_type: 'agent' })]);
  });
});
