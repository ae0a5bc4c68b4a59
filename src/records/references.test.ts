import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { setPolicy } from '../../test/mailbox.js';

describe.each(DIALECTS)('references and retention of deleted records on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let other: Agent;
  const as = (token: string) => ({ token, json: true });
  const post = async (path: string, body: unknown) =>
    (await call(t.app, 'POST', path, body, as(agent.token))).json.data;

  beforeAll(async () => {
    // Tokens outlive the retention period here, so the test can move the clock past it.
    t = await createTestApp(dialect, { TOKEN_IDLE_TTL_SECONDS: String(400 * 24 * 3600) });
    agent = await bootstrapAgent(t.app);
    // These tests exercise the mechanics; the policy's rules for agents are tested in src/policy.
    await setPolicy(t.app, t.config.dataDir, agent, { agent_deletes: 'allow' });
    other = await bootstrapAgent(t.app, 'other_agent');
  });
  afterAll(async () => t.close());

  it('keeps references to a deleted company visible, and refuses a restore whose domain was reused', async () => {
    const company = await post('/companies', { name: 'Initech', domain: 'initech.com' });
    const contact = await post('/contacts', { name: 'Peter', company_id: company.id });
    const token = (await call(t.app, 'DELETE', `/companies/${company.id}`, undefined, as(agent.token))).json
      .data.confirm_token;
    expect(
      (await call(t.app, 'DELETE', `/companies/${company.id}?confirm=${token}`, undefined, as(agent.token)))
        .status,
    ).toBe(200);

    // Another workspace can neither see nor restore it.
    expect(
      (await call(t.app, 'POST', `/companies/${company.id}/restore`, undefined, as(other.token))).status,
    ).toBe(404);
    const seen = await call(t.app, 'GET', `/contacts/${contact.id}`, undefined, { token: agent.token });
    expect(seen.text).toContain(`company_id=${company.id}`);
    expect(seen.text).toContain(`deleted_refs=company/${company.id}`);
    const kept = await call(
      t.app,
      'PATCH',
      `/contacts/${contact.id}`,
      { title: 'Engineer' },
      as(agent.token),
    );
    expect(kept.status).toBe(200);
    const moved = await call(
      t.app,
      'PATCH',
      `/contacts/${contact.id}`,
      { company_id: company.id, name: 'P' },
      as(agent.token),
    );
    expect(moved.status).toBe(200); // company_id itself did not change

    const reused = await post('/companies', { name: 'Initech 2', domain: 'initech.com' });
    expect(reused.id).not.toBe(company.id);
    const conflict = await call(
      t.app,
      'POST',
      `/companies/${company.id}/restore`,
      undefined,
      as(agent.token),
    );
    expect(conflict.status).toBe(409);
    expect(conflict.json.error.message).toContain(`now belongs to company/${reused.id}`);
    await call(t.app, 'PATCH', `/companies/${reused.id}`, { domain: 'initech2.com' }, as(agent.token));
    expect(
      (await call(t.app, 'POST', `/companies/${company.id}/restore`, undefined, as(agent.token))).status,
    ).toBe(200);
  });

  it('restores only within the retention period', async () => {
    const deal = await post('/deals', { title: 'Old' });
    const token = (await call(t.app, 'DELETE', `/deals/${deal.id}`, undefined, as(agent.token))).json.data
      .confirm_token;
    await call(t.app, 'DELETE', `/deals/${deal.id}?confirm=${token}`, undefined, as(agent.token));
    t.clock.advance(31 * 24 * 3600_000);
    const late = await call(t.app, 'POST', `/deals/${deal.id}/restore`, undefined, as(agent.token));
    expect(late.status).toBe(404);
    expect(late.json.error.hint).toContain('can no longer be restored');
  });
});
