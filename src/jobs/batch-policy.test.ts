import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { inviteHuman, latestCode, outboxMessages, type Person } from '../../test/mailbox.js';

/**
 * The guide: "Bulk operations above thresholds will be denied or require approval". A batch above
 * bulk_deny_above is a policy denial (bulk.too_large), on any plan and before any plan cap is
 * charged, not a validation error; the schema keeps only a sanity cap far above it.
 */
describe.each(DIALECTS)('batch size as policy on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let human: Person;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app, 'bulk_agent');
    human = await inviteHuman(t.app, t.config.dataDir, agent, 'owner@bulk.dev');
  }, 60_000); // setup runs sign-ups and migrations: slow on a loaded machine
  afterAll(async () => t.close());

  const items = (n: number, prefix = 'Item') =>
    Array.from({ length: n }, (_, i) => ({ name: `${prefix} ${i}` }));
  const batch = (key: string, body: unknown, token = agent.token, json = true) =>
    call(t.app, 'POST', '/contacts/batch', body, { token, json, headers: { 'x-idempotency-key': key } });
  const usedContacts = async () =>
    (await call(t.app, 'GET', '/whoami', undefined, { token: agent.token, json: true })).json.data.usage
      .contacts.used;
  const finished = async (id: string, token: string) =>
    vi.waitFor(
      async () => {
        const reply = await call(t.app, 'GET', `/operations/${id}`, undefined, { token, json: true });
        if (['queued', 'running'].includes(reply.json.data.status)) throw new Error('still running');
        return reply.json.data;
      },
      { timeout: 30_000, interval: 50 },
    );

  const expectTooLarge = async (plan: string) => {
    const before = await usedContacts();
    const reply = await batch(`idem_big_${plan}`, { items: items(1001) });
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({
      outcome: 'denied',
      data: null,
      policy: { decision: 'deny', reason_code: 'bulk.too_large' },
      idempotency_key: `idem_big_${plan}`,
    });
    expect(reply.json.explanation.summary).toContain('1001');
    const text = await batch(`idem_big_text_${plan}`, { items: items(1001) }, agent.token, false);
    expect(text.status).toBe(403);
    expect(text.text).toContain('# policy: deny bulk.too_large');
    expect(text.text).toContain(`# idempotency_key: idem_big_text_${plan}`);
    expect(await usedContacts()).toBe(before);
  };

  it('denies an agent batch of 1,001 with bulk.too_large on the sandbox plan, whose cap it would pass', async () => {
    await expectTooLarge('sandbox');
    // The threshold itself is fine: 1000 items are above bulk_approval_above, so they wait.
    const held = await batch('idem_1000', { items: items(1000) });
    expect(held.status).toBe(202);
    expect(held.json.policy.reason_code).toBe('bulk.requires_approval');
  });

  it('follows a lowered bulk_deny_above, and the same answer on production', async () => {
    await call(
      t.app,
      'PATCH',
      '/policy',
      { bulk_deny_above: 20, bulk_approval_above: 10 },
      { token: human.token },
    );
    const lowered = await batch('idem_low', { items: items(21) });
    expect(lowered.json).toMatchObject({ outcome: 'denied', policy: { reason_code: 'bulk.too_large' } });
    await call(
      t.app,
      'PATCH',
      '/policy',
      { bulk_deny_above: null, bulk_approval_above: null },
      { token: human.token },
    );

    const proposed = await call(t.app, 'POST', '/billing/upgrade', {}, { token: agent.token, json: true });
    const id = proposed.json.data.id;
    await call(t.app, 'POST', `/proposals/${id}/decide`, { decision: 'approve' }, { token: human.token });
    const code = latestCode(await outboxMessages(t.config.dataDir), human.email);
    const approved = await call(
      t.app,
      'POST',
      `/proposals/${id}/decide?code=${code}`,
      { decision: 'approve' },
      {
        token: human.token,
        json: true,
      },
    );
    expect(approved.json.data.status).toBe('applied');
    await expectTooLarge('production');
  });

  it('keeps a sanity cap far above the policy, answered as invalid input with the key echoed', async () => {
    const reply = await batch('idem_huge', { items: items(10_001, 'H') });
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({
      outcome: 'error',
      error: { code: 'invalid_input' },
      idempotency_key: 'idem_huge',
    });
    expect(reply.json.error.message).toContain('at most 10000');
  });

  it('leaves a person batch of 1,001 to the plan caps, not the agent thresholds', async () => {
    const reply = await batch('idem_person', { items: items(1001, 'Person') }, human.token);
    expect(reply.status).toBe(202);
    const done = await finished(reply.json.data.id, human.token);
    expect(done).toMatchObject({ total: 1001, failed: 0 });
  });
});
