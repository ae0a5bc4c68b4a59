import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';
import { inviteHuman, type Person } from './mailbox.js';

/** The policy setting approve_agent_operations: every agent call of a listed write waits for a human. */
describe.each(DIALECTS)('approve_agent_operations on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let human: Person;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app, 'listed_agent');
    human = await inviteHuman(t.app, t.config.dataDir, agent, 'owner@listed.dev');
  }, 60_000);
  afterAll(async () => t.close());

  const setPolicy = (body: unknown) =>
    call(t.app, 'PATCH', '/policy', body, { token: human.token, json: true });

  it('refuses names that are not writes an agent proposes, each with a hint, and keeps the policy', async () => {
    for (const name of ['deals.creat', 'contacts.search', 'billing.set_budget']) {
      const reply = await setPolicy({ approve_agent_operations: [name] });
      expect(reply.status).toBe(400);
      expect(reply.json.error.code).toBe('invalid_input');
      expect(reply.json.error.message).toContain(name);
      expect(reply.json.error.hint).toContain('deals.create');
    }
    const policy = await call(t.app, 'GET', '/policy', undefined, { token: human.token, json: true });
    expect(policy.json.data.approve_agent_operations).toEqual([]);
  });

  it("makes an agent's call of a listed write a proposal, and leaves a person's call alone", async () => {
    expect((await setPolicy({ approve_agent_operations: ['companies.create'] })).status).toBe(200);
    const byAgent = await call(
      t.app,
      'POST',
      '/companies',
      { name: 'Listed Inc' },
      { token: agent.token, json: true },
    );
    expect(byAgent.json.outcome).toBe('proposed');
    expect(byAgent.json.policy.reason_code).toBe('policy.operation_requires_approval');
    const byPerson = await call(
      t.app,
      'POST',
      '/companies',
      { name: 'Listed Inc' },
      { token: human.token, json: true },
    );
    expect(byPerson.json.outcome).toBe('applied');
    expect((await setPolicy({ approve_agent_operations: null })).json.data.approve_agent_operations).toEqual(
      [],
    );
  });
});
