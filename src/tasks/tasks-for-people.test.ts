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

/** tasks.create "sometimes" needs approval: when an agent hands a task to a person. */
describe.each(DIALECTS)('agent tasks for people on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let human: Person;
  let stranger: Person;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app, 'task_agent');
    human = await inviteHuman(t.app, t.config.dataDir, agent, 'owner@tasks.dev');
    const other = await bootstrapAgent(t.app, 'other_agent');
    stranger = await inviteHuman(t.app, t.config.dataDir, other, 'owner@elsewhere.dev');
  }, 60_000); // setup runs sign-ups and migrations: slow on a loaded machine
  afterAll(async () => t.close());

  let keys = 0;
  const as = (token: string) => ({ token, json: true, headers: { 'x-idempotency-key': `idem_t_${++keys}` } });
  const byAgent = (method: string, path: string, body?: unknown) =>
    call(t.app, method, path, body, as(agent.token));
  const taskCount = async () =>
    (await call(t.app, 'GET', '/tasks?limit=200', undefined, as(human.token))).json.data.length as number;

  it("holds an agent's task for a person until a human approves it", async () => {
    const before = await taskCount();
    const proposed = await byAgent('POST', '/tasks', {
      title: 'Call Jane back',
      assignee: `user/${human.userId}`,
    });
    expect(proposed.status).toBe(202);
    expect(proposed.json).toMatchObject({
      outcome: 'proposed',
      policy: { decision: 'require_approval', reason_code: 'task.person_assignee_requires_approval' },
      data: { status: 'pending', operation: 'tasks.create' },
    });
    expect(proposed.json.data.diff.assignee).toEqual([null, human.userId]);
    expect(await taskCount()).toBe(before);

    const body = { decision: 'approve' };
    const first = await call(
      t.app,
      'POST',
      `/proposals/${proposed.json.data.id}/decide`,
      body,
      as(human.token),
    );
    expect(first.json.error.code).toBe('escalation_required');
    const code = latestCode(await outboxMessages(t.config.dataDir), human.email);
    const approved = await call(
      t.app,
      'POST',
      `/proposals/${proposed.json.data.id}/decide?code=${code}`,
      body,
      as(human.token),
    );
    expect(approved.json.data.status).toBe('applied');
    expect(await taskCount()).toBe(before + 1);
  });

  it('applies tasks for agents, for nobody, and tasks people create', async () => {
    expect(
      (await byAgent('POST', '/tasks', { title: 'Mine', assignee: `agent/${agent.agentId}` })).status,
    ).toBe(201);
    expect((await byAgent('POST', '/tasks', { title: 'Nobody' })).status).toBe(201);
    const byHuman = await call(
      t.app,
      'POST',
      '/tasks',
      { title: 'Self', assignee: human.userId },
      as(human.token),
    );
    expect(byHuman.status).toBe(201);
  });

  it('refuses a person of another workspace as invalid input, never as a proposal', async () => {
    const reply = await byAgent('POST', '/tasks', { title: 'Outsider', assignee: `user/${stranger.userId}` });
    expect(reply.status).toBe(400);
    expect(reply.json.error.code).toBe('invalid_input');
  });

  it('holds a reassignment to a person too', async () => {
    const created = await byAgent('POST', '/tasks', { title: 'Handover' });
    const id = created.json.data.id;
    const moved = await byAgent('PATCH', `/tasks/${id}`, { assignee: human.userId });
    expect(moved.status).toBe(202);
    expect(moved.json).toMatchObject({
      outcome: 'proposed',
      policy: { reason_code: 'task.person_assignee_requires_approval' },
      data: { target: `task/${id}` },
    });
    const now = await call(t.app, 'GET', `/tasks/${id}`, undefined, as(agent.token));
    expect(now.json.data.assignee ?? null).toBeNull();
    expect((await byAgent('PATCH', `/tasks/${id}`, { title: 'Handover (draft)' })).status).toBe(200);
  });

  it('is published, and a human can switch it off', async () => {
    const document = JSON.parse((await call(t.app, 'GET', '/agentcrm-policy.json')).text);
    expect(document.settings.approve_agent_tasks_for_people).toMatchObject({ default: true });
    expect(document.reason_codes.map((entry: { code: string }) => entry.code)).toContain(
      'task.person_assignee_requires_approval',
    );
    const catalog = JSON.parse((await call(t.app, 'GET', '/agentcrm-tools.json?full=true')).text);
    const create = catalog.tools.find((tool: { name: string }) => tool.name === 'tasks.create');
    expect(create.reason_codes).toContain('task.person_assignee_requires_approval');
    const capabilities = await call(t.app, 'GET', '/policy/capabilities', undefined, as(agent.token));
    expect(
      capabilities.json.data.tools.find((tool: { name: string }) => tool.name === 'tasks.create'),
    ).toMatchObject({ can: 'sometimes_approval', reason_code: 'task.person_assignee_requires_approval' });

    expect((await byAgent('PATCH', '/policy', { approve_agent_tasks_for_people: false })).status).toBe(403);
    const off = await call(
      t.app,
      'PATCH',
      '/policy',
      { approve_agent_tasks_for_people: false },
      as(human.token),
    );
    expect(off.status).toBe(200);
    const direct = await byAgent('POST', '/tasks', { title: 'Direct', assignee: human.userId });
    expect(direct.status).toBe(201);
    expect(direct.json.data.assignee).toBe(human.userId);
  });
});
