import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';

describe.each(DIALECTS)('activities on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let other: Agent;
  const as = (who: Agent) => ({ token: who.token, json: true });
  let jane: string;
  let bob: string;
  let deal: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app);
    other = await bootstrapAgent(t.app, 'other_agent');
    jane = (await call(t.app, 'POST', '/contacts', { name: 'Jane' }, as(agent))).json.data.id;
    bob = (await call(t.app, 'POST', '/contacts', { name: 'Bob' }, as(agent))).json.data.id;
    deal = (await call(t.app, 'POST', '/deals', { title: 'Renewal', contact_id: jane }, as(agent))).json.data
      .id;
  });
  afterAll(async () => t.close());

  it('logs activities and lists them newest first, per contact and per deal', async () => {
    const first = await call(
      t.app,
      'POST',
      `/contacts/${jane}/activities`,
      { kind: 'call', body: 'Intro call, wants a quote' },
      { token: agent.token },
    );
    expect(first.status).toBe(201);
    expect(first.text).toMatch(
      new RegExp(
        `^activity/a_[0-9a-z]{16} contact_id=${jane} kind=call occurred_at=2026-03-01T09:00:00.000Z body="Intro call, wants a quote" created_by=${agent.agentId} version=1 `,
      ),
    );
    t.clock.advance(60_000);
    await call(
      t.app,
      'POST',
      `/contacts/contact/${jane}/activities`,
      { kind: 'email', body: 'Sent the quote', deal_id: deal },
      as(agent),
    );
    await call(
      t.app,
      'POST',
      `/contacts/${bob}/activities`,
      { kind: 'note', body: 'Met at a fair', occurred_at: '2026-02-01T10:00:00Z' },
      as(agent),
    );

    const forJane = await call(t.app, 'GET', `/contacts/${jane}/activities`, undefined, as(agent));
    expect(forJane.json.data.map((a: { body: string }) => a.body)).toEqual([
      'Sent the quote',
      'Intro call, wants a quote',
    ]);
    const byQuery = await call(t.app, 'GET', `/activities?contact=${jane}&limit=1`, undefined, as(agent));
    expect(byQuery.json.data.map((a: { body: string }) => a.body)).toEqual(['Sent the quote']);
    const next = await call(
      t.app,
      'GET',
      `/activities?contact=${jane}&limit=1&cursor=${byQuery.json.next_cursor}`,
      undefined,
      as(agent),
    );
    expect(next.json.data.map((a: { body: string }) => a.body)).toEqual(['Intro call, wants a quote']);
    expect(next.json.next_cursor).toBeNull();
    const byDeal = await call(t.app, 'GET', `/activities?deal=${deal}`, undefined, as(agent));
    expect(byDeal.json.data).toHaveLength(1);
    const all = await call(t.app, 'GET', '/activities?kind=in:note,call', undefined, as(agent));
    expect(all.json.data.map((a: { body: string }) => a.body)).toEqual([
      'Intro call, wants a quote',
      'Met at a fair',
    ]);
  });

  it('refuses bad input with a hint', async () => {
    const cases: [unknown, string][] = [
      [{ kind: 'sms', body: 'x' }, 'kind: call, email, meeting, note or task'],
      [{ kind: 'note' }, 'body'],
      [{ kind: 'note', body: '   ' }, 'body: say what happened'],
      [{ kind: 'note', body: 'x', when: 'now' }, 'when: unknown field'],
      [
        { kind: 'note', body: 'x', deal_id: 'd_0000000000000000' },
        'deal_id: deal/d_0000000000000000 does not exist',
      ],
    ];
    for (const [body, message] of cases) {
      const reply = await call(t.app, 'POST', `/contacts/${jane}/activities`, body, as(agent));
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.json.error.message).toContain(message);
    }
    const missing = await call(
      t.app,
      'POST',
      '/contacts/c_0000000000000000/activities',
      { kind: 'note', body: 'x' },
      as(agent),
    );
    expect(missing.status).toBe(404);
    expect(
      (await call(t.app, 'GET', '/contacts/c_0000000000000000/activities', undefined, as(agent))).status,
    ).toBe(404);
    expect((await call(t.app, 'GET', '/activities?contact=nope', undefined, as(agent))).status).toBe(400);
    expect((await call(t.app, 'GET', '/activities?mood=happy', undefined, as(agent))).status).toBe(400);
  });

  it("cannot log on, read, or link another workspace's records", async () => {
    const theirs = (await call(t.app, 'POST', '/contacts', { name: 'Mallory' }, as(other))).json.data.id;
    await call(t.app, 'POST', `/contacts/${theirs}/activities`, { kind: 'note', body: 'secret' }, as(other));
    expect(
      (await call(t.app, 'POST', `/contacts/${theirs}/activities`, { kind: 'note', body: 'x' }, as(agent)))
        .status,
    ).toBe(404);
    expect((await call(t.app, 'GET', `/contacts/${theirs}/activities`, undefined, as(agent))).status).toBe(
      404,
    );
    expect((await call(t.app, 'GET', `/activities?contact=${theirs}`, undefined, as(agent))).status).toBe(
      404,
    );
    const link = await call(
      t.app,
      'POST',
      `/contacts/${theirs}/activities`,
      { kind: 'note', body: 'x', deal_id: deal },
      as(other),
    );
    expect(link.status).toBe(400);
    const theirList = await call(t.app, 'GET', '/activities', undefined, as(other));
    expect(theirList.json.data.map((a: { body: string }) => a.body)).toEqual(['secret']);
    const byDeal = await call(t.app, 'GET', `/activities?deal=${deal}`, undefined, as(other));
    expect(byDeal.json.data).toEqual([]);
  });
});
