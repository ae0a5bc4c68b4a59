import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';

describe.each(DIALECTS)('contacts.get_context on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let other: Agent;
  const as = (who: Agent) => ({ token: who.token, json: true });
  const post = async (path: string, body: unknown) =>
    (await call(t.app, 'POST', path, body, as(agent))).json.data;
  let jane: string;
  let company: string;
  let renewal: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app);
    other = await bootstrapAgent(t.app, 'other_agent');
    company = (await post('/companies', { name: 'ACME Corp', domain: 'acme.com', industry: 'Manufacturing' }))
      .id;
    jane = (
      await post('/contacts', {
        name: 'Jane Doe',
        email: 'jane@acme.com',
        company_id: company,
        follow_up_at: '2026-02-28T09:00:00Z',
        follow_up_note: 'Send the renewal quote',
      })
    ).id;
    renewal = (
      await post('/deals', {
        title: 'Renewal',
        amount_cents: 125000,
        currency: 'USD',
        contact_id: jane,
        expected_close_at: '2026-04-01T00:00:00Z',
      })
    ).id;
    await post('/deals', { title: 'Won already', contact_id: jane, status: 'won' });
    await post('/deals', { title: 'Upsell', contact_id: jane, follow_up_at: '2026-03-01T08:00:00Z' });
    await post('/tasks', { title: 'Prepare quote', deal_id: renewal, due_at: '2026-03-01T08:30:00Z' });
    await post('/tasks', { title: 'Thank-you note', contact_id: jane });
    for (let i = 1; i <= 8; i++) {
      t.clock.advance(60_000);
      await post(`/contacts/${jane}/activities`, {
        kind: 'note',
        body: `Note number ${i} ${'x'.repeat(120)}`,
      });
    }
  });
  afterAll(async () => t.close());

  it('gives a compact brief as text', async () => {
    const reply = await call(t.app, 'GET', `/contacts/${jane}/context`, undefined, { token: agent.token });
    expect(reply.status).toBe(200);
    const lines = reply.text.split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^contact/${jane} name="Jane Doe" email=jane@acme.com company_id=${company} `),
    );
    expect(lines[1]).toBe(`company/${company} name="ACME Corp" domain=acme.com industry=Manufacturing`);
    expect(lines[2]).toBe('# due follow-ups: 3');
    expect(lines[3]).toBe(
      `contact/${jane} due=2026-02-28T09:00:00.000Z overdue=true note="Send the renewal quote"`,
    );
    expect(reply.text).toContain('# open deals: 2\n');
    expect(reply.text).not.toContain('Won already');
    expect(reply.text).toContain('# open tasks: 2\n');
    expect(reply.text).toContain(`# last activities: 5 (more: GET /contacts/${jane}/activities)\n`);
    expect(reply.text).toMatch(
      /activity\/a_\w+ contact_id=\S+ kind=note occurred_at=2026-03-01T09:08:00.000Z body="Note number 8/,
    );
    expect(reply.text.length).toBeLessThanOrEqual(4000);
  });

  it('honours max_items and max_chars, dropping old activities first', async () => {
    const small = await call(t.app, 'GET', `/contacts/${jane}/context?max_items=2&max_chars=900`, undefined, {
      token: agent.token,
    });
    expect(small.text.length).toBeLessThanOrEqual(900);
    expect(small.text).toMatch(/# truncated: \d+ items left out to fit max_chars=900/);
    expect(small.text).toContain('# due follow-ups: 2');
    const json = await call(
      t.app,
      'GET',
      `/contacts/${jane}/context?max_items=2&max_chars=900`,
      undefined,
      as(agent),
    );
    expect(json.json.data.contact).toMatchObject({ name: 'Jane Doe', version: 1 });
    expect(json.json.data.company).toMatchObject({ domain: 'acme.com' });
    expect(json.json.data.open_deals.length).toBeLessThanOrEqual(2);
    expect(json.json.data.recent_activities.length).toBeLessThan(2);
    expect(json.json.data.omitted).toBeGreaterThan(0);
    expect(json.json.data.more.open_deals).toBeUndefined();
  });

  it('refuses bad parameters, unknown contacts, and other workspaces', async () => {
    for (const query of ['max_items=0', 'max_chars=10', 'max_items=many', 'depth=2']) {
      expect(
        (await call(t.app, 'GET', `/contacts/${jane}/context?${query}`, undefined, as(agent))).status,
        query,
      ).toBe(400);
    }
    expect(
      (await call(t.app, 'GET', '/contacts/c_0000000000000000/context', undefined, as(agent))).status,
    ).toBe(404);
    const theirs = await call(t.app, 'GET', `/contacts/${jane}/context`, undefined, as(other));
    expect(theirs.status).toBe(404);
  });
});
