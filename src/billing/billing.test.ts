import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { inviteHuman, latestCode, outboxMessages, type Person } from '../../test/mailbox.js';

describe.each(DIALECTS)('billing owner, budget and plan on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let human: Person;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app, 'billing_agent');
  });
  afterAll(async () => t.close());

  const upgrade = () => call(t.app, 'POST', '/billing/upgrade', {}, { token: agent.token, json: true });

  it('an upgrade needs a human billing owner first', async () => {
    const denied = await upgrade();
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({
      outcome: 'denied',
      policy: { decision: 'deny', reason_code: 'billing.human_owner_required_for_production' },
    });
    expect(denied.json.next_actions[0].tool_name).toBe('humans.invite_billing_owner');
  });

  it('the billing owner approves the agent’s upgrade request, moving the workspace to production', async () => {
    human = await inviteHuman(t.app, t.config.dataDir, agent, 'payer@billing.dev');
    const proposed = await upgrade();
    expect(proposed.status).toBe(202);
    expect(proposed.json).toMatchObject({
      outcome: 'proposed',
      policy: { reason_code: 'billing.upgrade_requires_approval' },
    });
    expect(proposed.json.data.diff).toEqual({ plan: ['sandbox', 'production'] });
    const id = proposed.json.data.id;
    await call(t.app, 'POST', `/proposals/${id}/decide`, { decision: 'approve' }, { token: human.token });
    const code = latestCode(await outboxMessages(t.config.dataDir), human.email);
    const approved = await call(
      t.app,
      'POST',
      `/proposals/${id}/decide?code=${code}`,
      { decision: 'approve' },
      { token: human.token, json: true },
    );
    expect(approved.json.data.status).toBe('applied');
    const billing = await call(t.app, 'GET', '/billing', undefined, { token: agent.token, json: true });
    expect(billing.json.data).toMatchObject({ plan: 'production', billing_owner: `user/${human.userId}` });
    const who = await call(t.app, 'GET', '/whoami', undefined, { token: agent.token });
    expect(who.text).toContain('plan=production');
    const again = await call(t.app, 'POST', '/billing/upgrade', {}, { token: human.token, json: true });
    expect(again.status).toBe(409);
  });

  it('only the billing owner sets the budget; production writes stop at it', async () => {
    const byAgent = await call(
      t.app,
      'POST',
      '/billing/budget',
      { monthly_budget_cents: 100000 },
      { token: agent.token, json: true },
    );
    expect(byAgent.status).toBe(403);
    await call(t.app, 'POST', '/contacts', { name: 'Billable' }, { token: agent.token });
    const tight = await call(
      t.app,
      'POST',
      '/billing/budget',
      { monthly_budget_cents: 1, currency: 'eur' },
      { token: human.token, json: true },
    );
    expect(tight.json.data).toMatchObject({
      monthly_budget_cents: 1,
      budget_currency: 'EUR',
      over_budget: true,
    });
    expect(tight.json.data.requests).toBeGreaterThan(0);
    expect(tight.json.data.cost_cents).toBeGreaterThanOrEqual(1);

    const blocked = await call(
      t.app,
      'POST',
      '/contacts',
      { name: 'Over Budget' },
      { token: agent.token, json: true },
    );
    expect(blocked.status).toBe(403);
    expect(blocked.json).toMatchObject({
      outcome: 'denied',
      policy: { reason_code: 'billing.budget_exceeded' },
    });
    const reads = await call(t.app, 'GET', '/contacts', undefined, { token: agent.token });
    expect(reads.status).toBe(200);

    const raised = await call(
      t.app,
      'POST',
      '/billing/budget',
      { monthly_budget_cents: 100000 },
      { token: human.token, json: true },
    );
    expect(raised.json.data.over_budget).toBe(false);
    const allowed = await call(t.app, 'POST', '/contacts', { name: 'Within Budget' }, { token: agent.token });
    expect(allowed.status).toBe(201);
  });

  it('meters requests per workspace and month', async () => {
    await t.app.services.meter.flush();
    const before = (await call(t.app, 'GET', '/billing', undefined, { token: agent.token, json: true })).json
      .data.requests;
    for (let i = 0; i < 5; i++) await call(t.app, 'GET', '/contacts', undefined, { token: agent.token });
    await t.app.services.meter.flush();
    const after = (await call(t.app, 'GET', '/billing', undefined, { token: agent.token, json: true })).json
      .data.requests;
    // The five reads and the first GET /billing itself.
    expect(after - before).toBe(6);
  });
});
