import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';

describe.each(DIALECTS)('tasks on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let other: Agent;
  const as = (who: Agent) => ({ token: who.token, json: true });
  let contact: string;
  let deal: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app);
    other = await bootstrapAgent(t.app, 'other_agent');
    contact = (await call(t.app, 'POST', '/contacts', { name: 'Jane' }, as(agent))).json.data.id;
    deal = (await call(t.app, 'POST', '/deals', { title: 'Renewal', contact_id: contact }, as(agent))).json
      .data.id;
  });
  afterAll(async () => t.close());

  it('creates, completes, and lists tasks by due date', async () => {
    const created = await call(
      t.app,
      'POST',
      '/tasks',
      {
        title: 'Send the quote',
        due_at: '2026-03-02T09:00:00Z',
        contact_id: contact,
        deal_id: deal,
        assignee: `agent/${agent.agentId}`,
      },
      { token: agent.token },
    );
    expect(created.status).toBe(201);
    expect(created.text).toMatch(
      new RegExp(
        `^task/t_[0-9a-z]{16} title="Send the quote" due_at=2026-03-02T09:00:00.000Z status=open contact_id=${contact} deal_id=${deal} assignee=${agent.agentId} version=1 `,
      ),
    );
    const id = /^task\/(t_\w+)/.exec(created.text)![1];
    await call(t.app, 'POST', '/tasks', { title: 'Undated' }, as(agent));
    await call(t.app, 'POST', '/tasks', { title: 'Earlier', due_at: '2026-03-01T12:00:00Z' }, as(agent));
    const list = await call(t.app, 'GET', '/tasks', undefined, as(agent));
    expect(list.json.data.map((task: { title: string }) => task.title)).toEqual([
      'Earlier',
      'Send the quote',
      'Undated',
    ]);
    const mine = await call(t.app, 'GET', `/tasks?assignee=agent/${agent.agentId}`, undefined, as(agent));
    expect(mine.json.data.map((task: { title: string }) => task.title)).toEqual(['Send the quote']);

    t.clock.advance(3600_000);
    const done = await call(t.app, 'POST', `/tasks/${id}/complete`, undefined, as(agent));
    expect(done.status).toBe(200);
    expect(done.json.data).toMatchObject({
      status: 'done',
      completed_at: t.clock.now().toISOString(),
      version: 2,
    });
    expect(done.text).toBeDefined();
    const again = await call(t.app, 'POST', `/tasks/task/${id}/complete`, undefined, { token: agent.token });
    expect(again.text).toContain('# unchanged: already done');
    const open = await call(t.app, 'GET', '/tasks?status=open', undefined, as(agent));
    expect(open.json.data.map((task: { title: string }) => task.title)).toEqual(['Earlier', 'Undated']);
    const reopened = await call(t.app, 'PATCH', `/tasks/${id}`, { status: 'open', due_at: null }, as(agent));
    expect(reopened.json.data).toMatchObject({
      status: 'open',
      completed_at: null,
      due_at: null,
      version: 3,
    });
    const got = await call(t.app, 'GET', `/tasks/${id}`, undefined, as(agent));
    expect(got.headers.get('etag')).toBe('W/"3"');
  });

  it('refuses to complete a cancelled task', async () => {
    const { json } = await call(t.app, 'POST', '/tasks', { title: 'Maybe', status: 'cancelled' }, as(agent));
    const reply = await call(t.app, 'POST', `/tasks/${json.data.id}/complete`, undefined, as(agent));
    expect(reply.status).toBe(409);
    expect(reply.json.error.hint).toContain('"status":"open"');
  });

  it('refuses bad input with a hint', async () => {
    const cases: [unknown, string][] = [
      [{ due_at: '2026-03-02T09:00:00Z' }, 'title'],
      [{ title: 'X', status: 'doing' }, 'status: open, done or cancelled'],
      [{ title: 'X', assignee: 'bob' }, 'assignee: an agent (agt_…) or a person (usr_…)'],
      [
        { title: 'X', assignee: 'agt_0000000000000000' },
        'assignee: agent/agt_0000000000000000 is not an agent of this workspace',
      ],
      [
        { title: 'X', assignee: 'user/usr_0000000000000000' },
        'assignee: user/usr_0000000000000000 is not a member of this workspace',
      ],
      [{ title: 'X', priority: 'high' }, 'priority: unknown field'],
      [
        { title: 'X', company_id: 'co_0000000000000000' },
        'company_id: company/co_0000000000000000 does not exist',
      ],
    ];
    for (const [body, message] of cases) {
      const reply = await call(t.app, 'POST', '/tasks', body, as(agent));
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.json.error.message).toContain(message);
      expect(reply.json.error.hint).toBeTruthy();
    }
    expect((await call(t.app, 'GET', '/tasks/t_0000000000000000', undefined, as(agent))).status).toBe(404);
    expect(
      (await call(t.app, 'POST', '/tasks/t_0000000000000000/complete', undefined, as(agent))).status,
    ).toBe(404);
    expect((await call(t.app, 'GET', '/tasks?due_at=like:2026', undefined, as(agent))).status).toBe(400);
  });

  it("cannot assign, link or touch another workspace's records", async () => {
    const assign = await call(t.app, 'POST', '/tasks', { title: 'X', assignee: other.agentId }, as(agent));
    expect(assign.status).toBe(400);
    const link = await call(t.app, 'POST', '/tasks', { title: 'X', deal_id: deal }, as(other));
    expect(link.status).toBe(400);
    const mine = (await call(t.app, 'POST', '/tasks', { title: 'Private' }, as(agent))).json.data;
    for (const [method, path, body] of [
      ['GET', `/tasks/${mine.id}`, undefined],
      ['PATCH', `/tasks/${mine.id}`, { title: 'Hacked' }],
      ['POST', `/tasks/${mine.id}/complete`, undefined],
    ] as const) {
      expect((await call(t.app, method, path, body, as(other))).status, `${method} ${path}`).toBe(404);
    }
    expect((await call(t.app, 'GET', '/tasks', undefined, as(other))).json.data).toEqual([]);
    const after = await call(t.app, 'GET', `/tasks/${mine.id}`, undefined, as(agent));
    expect(after.json.data).toMatchObject({ title: 'Private', status: 'open', version: 1 });
  });
});
