import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';

describe.each(DIALECTS)('deals on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let other: Agent;
  const as = (who: Agent) => ({ token: who.token, json: true });
  let contactId: string;
  let companyId: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app);
    other = await bootstrapAgent(t.app, 'other_agent');
    companyId = (await call(t.app, 'POST', '/companies', { name: 'Acme', domain: 'acme.com' }, as(agent)))
      .json.data.id;
    contactId = (await call(t.app, 'POST', '/contacts', { name: 'Jane', company_id: companyId }, as(agent)))
      .json.data.id;
  });
  afterAll(async () => t.close());

  it('creates a deal linked to a contact and a company', async () => {
    const reply = await call(
      t.app,
      'POST',
      '/deals',
      {
        title: 'Renewal 2026',
        amount_cents: 125000,
        currency: 'usd',
        stage: 'Proposal',
        contact_id: `contact/${contactId}`,
        company_id: companyId,
        expected_close_at: '2026-04-01T00:00:00+02:00',
      },
      { token: agent.token },
    );
    expect(reply.status).toBe(201);
    expect(reply.text).toMatch(
      new RegExp(
        `^deal/d_[0-9a-z]{16} title="Renewal 2026" amount_cents=125000 currency=USD stage=proposal status=open contact_id=${contactId} company_id=${companyId} expected_close_at=2026-03-31T22:00:00.000Z version=1 `,
      ),
    );
    expect(reply.headers.get('etag')).toBe('W/"1"');
  });

  it('wins a deal (closed_at set), reopens it (cleared), and reads it back', async () => {
    const { json } = await call(t.app, 'POST', '/deals', { title: 'Upsell' }, as(agent));
    const id = json.data.id;
    expect(json.data).toMatchObject({ status: 'open', amount_cents: null, closed_at: null });
    t.clock.advance(60_000);
    const won = await call(t.app, 'PATCH', `/deals/${id}`, { stage: 'won', status: 'won' }, as(agent));
    expect(won.json.data).toMatchObject({
      status: 'won',
      stage: 'won',
      closed_at: t.clock.now().toISOString(),
      version: 2,
    });
    const reopened = await call(t.app, 'PATCH', `/deals/deal/${id}`, { status: 'open' }, as(agent));
    expect(reopened.json.data).toMatchObject({ status: 'open', closed_at: null, version: 3 });
    const got = await call(t.app, 'GET', `/deals/${id}`, undefined, as(agent));
    expect(got.json.data.version).toBe(3);
    expect(got.headers.get('etag')).toBe('W/"3"');
  });

  it('refuses bad input with a hint', async () => {
    const cases: [unknown, string][] = [
      [{ title: 'X', amount_cents: 100, currency: 'ABC' }, 'currency: an ISO 4217 currency code'],
      [{ title: 'X', amount_cents: 100 }, 'currency: required when the deal has an amount_cents'],
      [{ title: 'X', amount_cents: -1, currency: 'EUR' }, 'amount_cents'],
      [{ title: 'X', amount_cents: 10.5, currency: 'EUR' }, 'amount_cents'],
      [{ title: 'X', status: 'pending' }, 'status: open, won or lost'],
      [{ amount_cents: 100, currency: 'EUR' }, 'title'],
      [{ title: 'X', probability: 50 }, 'probability: unknown field'],
      [
        { title: 'X', contact_id: 'c_0000000000000000' },
        'contact_id: contact/c_0000000000000000 does not exist',
      ],
      [{ title: 'X', expected_close_at: 'next week' }, 'expected_close_at: an RFC3339 time'],
    ];
    for (const [body, message] of cases) {
      const reply = await call(t.app, 'POST', '/deals', body, as(agent));
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.json.error.message).toContain(message);
      expect(reply.json.error.hint).toBeTruthy();
    }
    const missing = await call(t.app, 'GET', '/deals/d_0000000000000000', undefined, as(agent));
    expect(missing.status).toBe(404);
    const patchMissing = await call(t.app, 'PATCH', '/deals/d_0000000000000000', { title: 'Y' }, as(agent));
    expect(patchMissing.status).toBe(404);
    const badId = await call(t.app, 'GET', '/deals/c_0000000000000000', undefined, as(agent));
    expect(badId.status).toBe(400);
    const clearCurrency = await call(
      t.app,
      'POST',
      '/deals',
      { title: 'Z', amount_cents: 5, currency: 'EUR' },
      as(agent),
    );
    const cleared = await call(
      t.app,
      'PATCH',
      `/deals/${clearCurrency.json.data.id}`,
      { currency: null },
      as(agent),
    );
    expect(cleared.status).toBe(400);
  });

  it("cannot link or touch another workspace's records", async () => {
    const theirContact = (await call(t.app, 'POST', '/contacts', { name: 'Mallory' }, as(other))).json.data
      .id;
    const link = await call(t.app, 'POST', '/deals', { title: 'Steal', contact_id: theirContact }, as(agent));
    expect(link.status).toBe(400);
    expect(link.json.error.message).toContain('does not exist in this workspace');

    const mine = (
      await call(
        t.app,
        'POST',
        '/deals',
        { title: 'Private', amount_cents: 9900, currency: 'EUR' },
        as(agent),
      )
    ).json.data;
    for (const [method, path, body] of [
      ['GET', `/deals/${mine.id}`, undefined],
      ['PATCH', `/deals/${mine.id}`, { title: 'Hacked' }],
      ['DELETE', `/deals/${mine.id}`, undefined],
      ['POST', `/deals/${mine.id}/restore`, undefined],
    ] as const) {
      expect((await call(t.app, method, path, body, as(other))).status, `${method} ${path}`).toBe(404);
    }
    const theirList = await call(t.app, 'GET', '/deals', undefined, as(other));
    expect(theirList.json.data).toEqual([]);
    const after = await call(t.app, 'GET', `/deals/${mine.id}`, undefined, as(agent));
    expect(after.json.data).toMatchObject({ title: 'Private', version: 1 });
  });
});
