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

// The test clock starts at 2026-03-01T09:00:00Z.
describe.each(DIALECTS)('reminders on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let other: Agent;
  const as = (who: Agent) => ({ token: who.token, json: true });
  const handles = (reply: { json: { data: { handle: string }[] } }) =>
    reply.json.data.map((item) => item.handle);
  let ids: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app);
    // These tests exercise the mechanics; the policy's rules for agents are tested in src/policy.
    await setPolicy(t.app, t.config.dataDir, agent, { agent_deletes: 'allow' });
    other = await bootstrapAgent(t.app, 'other_agent');
    const make = async (path: string, body: unknown) =>
      (await call(t.app, 'POST', path, body, as(agent))).json.data.handle;
    ids = {
      jane: await make('/contacts', {
        name: 'Jane',
        follow_up_at: '2026-02-27T09:00:00Z',
        follow_up_note: 'Send the renewal quote',
      }),
      bob: await make('/contacts', { name: 'Bob', follow_up_at: '2026-03-05T09:00:00Z' }),
      quiet: await make('/contacts', { name: 'Quiet' }),
      deal: await make('/deals', {
        title: 'Renewal',
        follow_up_at: '2026-03-01T09:00:00Z',
        follow_up_note: 'Chase the PO',
      }),
      later: await make('/deals', { title: 'Later', follow_up_at: '2026-04-01T09:00:00Z' }),
      task: await make('/tasks', { title: 'Call back', due_at: '2026-02-28T12:00:00Z' }),
      sameTime: await make('/tasks', { title: 'Same time', due_at: '2026-03-01T09:00:00Z' }),
      done: await make('/tasks', { title: 'Done already', due_at: '2026-02-01T00:00:00Z', status: 'done' }),
    };
    await call(
      t.app,
      'POST',
      '/contacts',
      { name: 'Theirs', follow_up_at: '2026-01-01T00:00:00Z' },
      as(other),
    );
  });
  afterAll(async () => t.close());

  it('lists what is due or overdue, oldest first', async () => {
    const reply = await call(t.app, 'GET', '/reminders', undefined, { token: agent.token });
    expect(reply.status).toBe(200);
    const lines = reply.text.split('\n');
    expect(lines[0]).toBe(
      `${ids.jane} due=2026-02-27T09:00:00.000Z overdue=true name=Jane follow_up_at=2026-02-27T09:00:00.000Z follow_up_note="Send the renewal quote"`,
    );
    expect(lines[1]).toMatch(
      new RegExp(`^${ids.task} due=2026-02-28T12:00:00.000Z overdue=true title="Call back" due_at=`),
    );
    expect(lines[2]).toMatch(
      new RegExp(`^${ids.deal} due=2026-03-01T09:00:00.000Z overdue=false title=Renewal status=open`),
    );
    expect(lines[3]).toMatch(new RegExp(`^${ids.sameTime} `));
    expect(lines[4]).toBe('# due by 2026-03-01T09:00:00.000Z');
  });

  it('looks ahead with days=, and pages with the cursor', async () => {
    const week = await call(t.app, 'GET', '/reminders?days=7', undefined, as(agent));
    const expected = [ids.jane, ids.task, ids.deal, ids.sameTime, ids.bob];
    expect(handles(week)).toEqual(expected);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const reply = await call(
        t.app,
        'GET',
        `/reminders?days=7&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        undefined,
        as(agent),
      );
      seen.push(...handles(reply));
      cursor = reply.json.next_cursor;
    } while (cursor);
    expect(seen).toEqual(expected);
    const wrongQuery = await call(
      t.app,
      'GET',
      `/reminders?days=1&cursor=${(await call(t.app, 'GET', '/reminders?days=7&limit=1', undefined, as(agent))).json.next_cursor}`,
      undefined,
      as(agent),
    );
    expect(wrongQuery.status).toBe(400);
  });

  it('drops a follow-up cleared with null, a completed task and a deleted contact', async () => {
    await call(t.app, 'PATCH', `/deals/${ids.deal!.split('/')[1]}`, { follow_up_at: null }, as(agent));
    await call(t.app, 'POST', `/tasks/${ids.task!.split('/')[1]}/complete`, undefined, as(agent));
    const jane = ids.jane!.split('/')[1];
    const token = (await call(t.app, 'DELETE', `/contacts/${jane}`, undefined, as(agent))).json.data
      .confirm_token;
    await call(t.app, 'DELETE', `/contacts/${jane}?confirm=${token}`, undefined, as(agent));
    expect(handles(await call(t.app, 'GET', '/reminders', undefined, as(agent)))).toEqual([ids.sameTime]);
  });

  it('refuses bad parameters and shows nothing of another workspace', async () => {
    for (const query of ['days=-1', 'days=soon', 'limit=0', 'stage=lead']) {
      expect((await call(t.app, 'GET', `/reminders?${query}`, undefined, as(agent))).status, query).toBe(400);
    }
    const theirs = await call(t.app, 'GET', '/reminders?days=365', undefined, as(other));
    expect(theirs.json.data.map((item: { name: string }) => item.name)).toEqual(['Theirs']);
  });
});
