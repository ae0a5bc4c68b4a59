import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as approvals from '../src/store/migrations/0009_approvals.js';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type Reply,
  type TestApp,
} from './harness.js';
import { inviteHuman, latestCode, outboxMessages, type Person } from './mailbox.js';

/**
 * Field-level holds and richer approvals (docs/governance.md): an agent's change to a field a
 * person wrote last waits for a human while the rest applies; people approve with edits, reject
 * with a reason, in bundles; proposals expire; auto-approve per operation; deal close approval.
 */
describe.each(DIALECTS)('field holds and richer approvals on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let human: Person;
  let other: Agent;
  let otherHuman: Person;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app, 'held_agent');
    human = await inviteHuman(t.app, t.config.dataDir, agent, 'owner@holds.dev');
    other = await bootstrapAgent(t.app, 'other_agent');
    otherHuman = await inviteHuman(t.app, t.config.dataDir, other, 'owner@elsewhere.dev');
    const policy = await call(
      t.app,
      'PATCH',
      '/policy',
      { hold_human_edited_fields: true, approve_deal_close: true, proposal_expiry_hours: 24 },
      { token: human.token, json: true },
    );
    expect(policy.status).toBe(200);
    expect(policy.json.data).toMatchObject({ hold_human_edited_fields: true, proposal_expiry_hours: 24 });
  });
  afterAll(async () => t.close());

  let keys = 0;
  const as = (token: string, method: string, path: string, body?: unknown) =>
    call(t.app, method, path, body, {
      token,
      json: true,
      headers: { 'x-idempotency-key': `idem_${dialect}_${++keys}` },
    });
  const asAgent = (method: string, path: string, body?: unknown) => as(agent.token, method, path, body);

  /** A person's sensitive call over the API: the first answer emails a step-up code, the second uses it. */
  async function stepUp(method: string, path: string, body: unknown, person = human): Promise<Reply> {
    const first = await as(person.token, method, path, body);
    if (first.json.error?.code !== 'escalation_required') return first;
    const code = latestCode(await outboxMessages(t.config.dataDir), person.email);
    return as(person.token, method, `${path}${path.includes('?') ? '&' : '?'}code=${code}`, body);
  }
  const decide = (id: string, body: Record<string, unknown>) =>
    stepUp('POST', `/proposals/${id}/decide`, body);

  /** A contact a person wrote: every field of it has a human last writer. */
  async function humanContact(fields: Record<string, unknown>) {
    const created = await as(human.token, 'POST', '/contacts', fields);
    expect(created.status).toBe(201);
    return created.json.data as { id: string; email: string };
  }
  const getContact = async (id: string) => (await asAgent('GET', `/contacts/${id}`)).json.data;
  const proposal = async (id: string, token = agent.token) => as(token, 'GET', `/proposals/${id}`);

  async function waitForJob(id: string) {
    for (let attempt = 0; attempt < 200; attempt++) {
      const job = await asAgent('GET', `/operations/${id}`);
      if (!['queued', 'running'].includes(job.json.data.status)) return job.json.data;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`operation ${id} did not finish`);
  }

  it('holds the field a person wrote, applies the rest, and says per field why and where', async () => {
    const person = await humanContact({ name: 'Ann Hold', email: 'ann@holds.dev', title: 'CEO' });
    const reply = await asAgent('PATCH', `/contacts/${person.id}`, {
      title: 'CTO',
      follow_up_note: 'call her',
    });
    expect(reply.status).toBe(200);
    expect(reply.json.outcome).toBe('applied');
    expect(reply.json.policy).toEqual({
      decision: 'require_approval',
      reason_code: 'policy.field_held_human_edit',
    });
    expect(reply.json.data).toMatchObject({ title: 'CEO', follow_up_note: 'call her' });
    expect(reply.json.warnings).toHaveLength(1);
    const [held] = reply.json.warnings;
    expect(held).toMatchObject({ code: 'policy.field_held_human_edit', field: 'title' });
    expect(held.message).toContain(`user/${human.userId}`);
    expect(reply.json.next_actions[0].tool_name).toBe('proposals.get_status');

    const waiting = await proposal(held.proposal_id);
    expect(waiting.json.data).toMatchObject({
      status: 'pending',
      operation: 'contacts.update',
      reason_code: 'policy.field_held_human_edit',
      target: `contact/${person.id}`,
      diff: { title: ['CEO', 'CTO'] },
      proposed_by: `agent/${agent.agentId}`,
    });
    expect(waiting.json.data.expires_at).toBe('2026-03-02T09:00:00.000Z');
    // The text rendering names the held field too.
    const text = await call(
      t.app,
      'PATCH',
      `/contacts/${person.id}`,
      { title: 'CTO', follow_up_note: 'x' },
      {
        token: agent.token,
      },
    );
    expect(text.text).toContain('# warning policy.field_held_human_edit: title was held');

    // The agent's own field is no longer a person's: its next change applies directly.
    const again = await asAgent('PATCH', `/contacts/${person.id}`, { follow_up_note: 'call her twice' });
    expect(again.json.policy.reason_code).toBe('policy.allowed');
    expect(again.json.warnings).toEqual([]);

    // Only held fields: the answer is the proposal itself.
    const only = await asAgent('PATCH', `/contacts/${person.id}`, { title: 'CFO' });
    expect(only.status).toBe(202);
    expect(only.json.outcome).toBe('proposed');
    expect(only.json.data).toMatchObject({ status: 'pending', diff: { title: ['CEO', 'CFO'] } });

    // With a projection the applied record is shaped; the held fields are still reported.
    const shaped = await asAgent('PATCH', `/contacts/${person.id}?fields=name,title`, {
      title: 'COO',
      follow_up_note: 'shaped',
    });
    expect(shaped.json.data.title).toBe('CEO');
    expect(shaped.json.data.follow_up_note).toBeUndefined();
    expect(shaped.json.warnings.map((w: { field?: string }) => w.field)).toContain('title');
    const shapedProposal = await asAgent('PATCH', `/contacts/${person.id}?fields=name`, { title: 'COO' });
    expect(shapedProposal.json.data).toMatchObject({ status: 'pending', diff: { title: ['CEO', 'COO'] } });

    // The capabilities say so before the agent tries.
    const capabilities = (await asAgent('GET', '/policy/capabilities')).json.data.tools;
    const tool = (name: string) => capabilities.find((entry: { name: string }) => entry.name === name);
    expect(tool('contacts.update')).toMatchObject({
      can: 'sometimes_approval',
      reason_code: 'policy.field_held_human_edit',
    });
    expect(tool('deals.update').reason_code).toBe('deal.close_requires_approval');
    expect(tool('proposals.decide_many')).toMatchObject({
      can: 'no',
      reason_code: 'approval_requires_human',
    });

    // A person's own write is never held.
    const own = await as(human.token, 'PATCH', `/contacts/${person.id}`, { name: 'Ann Holder' });
    expect(own.json.warnings).toEqual([]);
    expect((await getContact(person.id)).title).toBe('CEO');
  });

  it('never applies a held field without a decision: update, upsert, tools, bulk update, task status', async () => {
    const person = await humanContact({
      name: 'Bo Never',
      email: 'bo@holds.dev',
      title: 'Founder',
      tags: ['vip'],
    });
    // POST /tools (as MCP calls it) and the upsert by email.
    const tool = await asAgent('POST', '/tools/contacts.update', { contact_id: person.id, title: 'Intern' });
    expect(tool.json.outcome).toBe('proposed');
    expect(tool.json.warnings[0]).toMatchObject({ code: 'policy.field_held_human_edit', field: 'title' });
    const upsert = await asAgent('POST', '/contacts', {
      email: 'bo@holds.dev',
      title: 'Intern',
      follow_up_note: 'ask about the renewal',
    });
    expect(upsert.status).toBe(200);
    expect(upsert.json.warnings.map((w: { field: string }) => w.field)).toEqual(['title']);
    expect(upsert.json.data).toMatchObject({ title: 'Founder', follow_up_note: 'ask about the renewal' });
    const propose = await asAgent('POST', `/contacts/${person.id}/proposals`, {
      changes: { tags: ['cold'] },
    });
    expect(propose.json.outcome).toBe('proposed');
    expect(propose.json.data.reason_code).toBe('policy.field_held_human_edit');

    // A bulk update goes through contacts.update per record: held there as well.
    const bulk = await asAgent('POST', '/contacts/bulk-update', {
      where: { email: 'bo@holds.dev' },
      changes: { title: 'Janitor' },
    });
    expect(bulk.status).toBe(202);
    const job = await waitForJob(bulk.json.data.operation_id);
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ held: 1 });
    expect(await getContact(person.id)).toMatchObject({ title: 'Founder', tags: ['vip'] });

    // Tasks: changing the status a person wrote is held; completing the task with tasks.complete is
    // not (the guide's tool table: tasks.complete never requires approval).
    const task = await as(human.token, 'POST', '/tasks', { title: 'Call Bo', status: 'open' });
    const patched = await asAgent('PATCH', `/tasks/${task.json.data.id}`, { status: 'cancelled' });
    expect(patched.json.outcome).toBe('proposed');
    expect((await asAgent('GET', `/tasks/${task.json.data.id}`)).json.data.status).toBe('open');
    const done = await asAgent('POST', `/tasks/${task.json.data.id}/complete`, {});
    expect(done.json.outcome).toBe('applied');
    expect((await asAgent('GET', `/tasks/${task.json.data.id}`)).json.data.status).toBe('done');

    const pending = await asAgent('GET', `/proposals?status=pending&agent_id=${agent.agentId}&limit=200`);
    const mine = pending.json.data.filter((p: { target: string }) => p.target === `contact/${person.id}`);
    expect(mine.length).toBe(4);
    expect((await getContact(person.id)).title).toBe('Founder');
  });

  it('approving a hold applies it; with edits the edited value, shown with who edited it', async () => {
    const person = await humanContact({ name: 'Cy Edit', email: 'cy@holds.dev', title: 'Head of Sales' });
    const first = await asAgent('PATCH', `/contacts/${person.id}`, { title: 'VP Sales' });
    const second = await asAgent('PATCH', `/contacts/${person.id}`, { name: 'Cyrus Edit' });
    // Bad edits are refused before any code is sent.
    const notProposed = await as(human.token, 'POST', `/proposals/${first.json.data.id}/decide`, {
      decision: 'approve',
      edits: { email: 'x@holds.dev' },
    });
    expect(notProposed.status).toBe(400);
    expect(notProposed.json.error.code).toBe('invalid_input');
    expect(notProposed.json.error.hint).toContain('title');
    const invalid = await as(human.token, 'POST', `/proposals/${first.json.data.id}/decide`, {
      decision: 'approve',
      edits: { title: 42 },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.message).toContain('title');

    const edited = await decide(first.json.data.id, {
      decision: 'approve',
      edits: { title: 'Chief Revenue Officer' },
    });
    expect(edited.status).toBe(200);
    expect(edited.json.data).toMatchObject({
      status: 'applied',
      edits: { title: ['VP Sales', 'Chief Revenue Officer'] },
      decided_by: `user/${human.userId}`,
    });
    expect((await getContact(person.id)).title).toBe('Chief Revenue Officer');
    const audit = await as(human.token, 'GET', `/audit?target=proposal/${first.json.data.id}`);
    const editEntry = audit.json.data.find((entry: { operation: string; changes: object }) =>
      JSON.stringify(entry.changes).includes('Chief Revenue Officer'),
    );
    expect(editEntry).toMatchObject({
      actor_type: 'user',
      actor_id: human.userId,
      changes: { title: { before: 'VP Sales', after: 'Chief Revenue Officer' } },
    });

    const plain = await decide(second.json.data.id, { decision: 'approve' });
    expect(plain.json.data.status).toBe('applied');
    expect((await getContact(person.id)).name).toBe('Cyrus Edit');
    // The approved value was the agent's (as proposer): its next change is no longer held.
    const next = await asAgent('PATCH', `/contacts/${person.id}`, { name: 'Cyrus E.' });
    expect(next.json.outcome).toBe('applied');
    expect(next.json.warnings).toEqual([]);
  });

  it('a rejection carries a reason the agent reads on the proposal and in the change feed', async () => {
    const person = await humanContact({ name: 'Di Reject', email: 'di@holds.dev', title: 'Owner' });
    const held = await asAgent('PATCH', `/contacts/${person.id}`, { title: 'Ex-owner' });
    const rejected = await decide(held.json.data.id, { decision: 'reject', note: 'she still owns it' });
    expect(rejected.json.policy.reason_code).toBe('proposal.rejected');
    const seen = await proposal(held.json.data.id);
    expect(seen.json.data).toMatchObject({ status: 'rejected', decision_note: 'she still owns it' });
    expect(seen.json.data.result).toEqual({ reason_code: 'proposal.rejected', reason: 'she still owns it' });
    const events = await asAgent('GET', '/events?since=0&types=proposal.rejected&limit=500');
    const event = events.json.data.find(
      (e: { target: string }) => e.target === `proposal/${held.json.data.id}`,
    );
    expect(event.changes).toEqual({
      status: ['pending', 'rejected'],
      decision_note: [null, 'she still owns it'],
    });
    expect((await getContact(person.id)).title).toBe('Owner');
  });

  it('an expired proposal cannot be approved and says so', async () => {
    const person = await humanContact({ name: 'Ed Expire', email: 'ed@holds.dev', title: 'CTO' });
    const held = await asAgent('PATCH', `/contacts/${person.id}`, { title: 'Retired' });
    const id = held.json.data.id;
    t.clock.advance(25 * 3600 * 1000);
    const read = await proposal(id);
    expect(read.json.data.status).toBe('expired');
    expect(read.json.data.result).toMatchObject({ reason_code: 'proposal.expired' });
    expect(read.json.next_actions).toEqual([]);
    const pending = await asAgent('GET', '/proposals?status=pending&limit=200');
    expect(pending.json.data.map((p: { id: string }) => p.id)).not.toContain(id);
    const expiredList = await asAgent('GET', '/proposals?status=expired&limit=200');
    expect(expiredList.json.data.map((p: { id: string }) => p.id)).toContain(id);

    const refused = await as(human.token, 'POST', `/proposals/${id}/decide`, { decision: 'approve' });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('proposal_expired');
    expect(refused.json.error.hint).toContain('propose the change again');
    expect(refused.json.error.details).toMatchObject({ reason_code: 'proposal.expired' });
    const again = await as(human.token, 'POST', `/proposals/${id}/decide`, { decision: 'approve' });
    expect(again.json.error.code).toBe('proposal_expired');
    expect((await getContact(person.id)).title).toBe('CTO');
    const events = await asAgent('GET', '/events?since=0&types=proposal.expired&limit=500');
    expect(events.json.data.some((e: { target: string }) => e.target === `proposal/${id}`)).toBe(true);
  });

  it('bundles apply each proposal exactly once, and a concurrent double approval applies once', async () => {
    const people = [];
    for (const n of [1, 2, 3])
      people.push(await humanContact({ name: `Fay ${n}`, email: `fay${n}@holds.dev`, title: 'Lead' }));
    const ids: string[] = [];
    for (const person of people) {
      ids.push((await asAgent('PATCH', `/contacts/${person.id}`, { title: 'Manager' })).json.data.id);
    }
    const bundle = await stepUp('POST', '/proposals/decide', { decision: 'approve', ids });
    expect(bundle.status).toBe(200);
    expect(bundle.json.data.counts).toEqual({ applied: 3 });
    expect(bundle.json.data.results.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual(
      ids.map((id) => [id, 'applied']),
    );
    for (const person of people) expect((await getContact(person.id)).title).toBe('Manager');
    const repeat = await stepUp('POST', '/proposals/decide', { decision: 'approve', ids, note: 'again' });
    expect(repeat.json.data.counts).toEqual({ error: 3 });
    expect(repeat.json.data.results[0].error.code).toBe('conflict');
    const applied = await as(human.token, 'GET', '/audit?operation=contacts.update&limit=100');
    for (const person of people) {
      expect(
        applied.json.data.filter(
          (entry: { target: string; reason_code: string }) =>
            entry.target === `contact/${person.id}` && entry.reason_code === 'proposal.approved',
        ),
      ).toHaveLength(1);
    }

    // By agent: every pending proposal of one agent (this one's), rejecting them.
    const gus = await humanContact({ name: 'Gus', email: 'gus@holds.dev', title: 'Lead' });
    await asAgent('PATCH', `/contacts/${gus.id}`, { title: 'Boss' });
    const byAgent = await stepUp('POST', '/proposals/decide', {
      decision: 'reject',
      agent_id: agent.agentId,
      note: 'cleanup',
    });
    expect(byAgent.json.data.counts.rejected).toBeGreaterThanOrEqual(1);
    expect((await asAgent('GET', `/proposals?status=pending&agent_id=${agent.agentId}`)).json.data).toEqual(
      [],
    );

    // Two approvals of the same proposal at once (each with its own code): it applies once.
    const hal = await humanContact({ name: 'Hal', email: 'hal@holds.dev', title: 'Lead' });
    const heldHal = (await asAgent('PATCH', `/contacts/${hal.id}`, { title: 'Director' })).json.data.id;
    const bodies = [
      { path: `/proposals/${heldHal}/decide`, body: { decision: 'approve', note: 'one' } },
      { path: '/proposals/decide', body: { decision: 'approve', ids: [heldHal] } },
    ];
    const codes: string[] = [];
    for (const { path, body } of bodies) {
      const first = await as(human.token, 'POST', path, body);
      expect(first.json.error.code).toBe('escalation_required');
      codes.push(latestCode(await outboxMessages(t.config.dataDir), human.email));
    }
    const [single, many] = await Promise.all(
      bodies.map(({ path, body }, index) => as(human.token, 'POST', `${path}?code=${codes[index]}`, body)),
    );
    const appliedBySingle = single!.status === 200 && single!.json.data.status === 'applied';
    const bundled = many!.json.data?.results?.[0];
    const appliedByBundle = bundled && !bundled.error && bundled.status === 'applied';
    expect([appliedBySingle, appliedByBundle].filter(Boolean)).toHaveLength(1);
    const halAudit = await as(human.token, 'GET', `/audit?target=contact/${hal.id}`);
    expect(
      halAudit.json.data.filter(
        (entry: { reason_code: string }) => entry.reason_code === 'proposal.approved',
      ),
    ).toHaveLength(1);
  });

  it('auto-approve per operation applies at once while on, and records who switched it', async () => {
    const put = await as(human.token, 'PUT', '/policy/auto-approve/contacts.update', { enabled: true });
    expect(put.status).toBe(200);
    expect(put.json.data.auto_approve['contacts.update']).toEqual({
      enabled_by: `user/${human.userId}`,
      enabled_at: expect.any(String),
    });
    expect((await asAgent('GET', '/policy')).json.data.auto_approve).toHaveProperty('contacts.update');

    const ivy = await humanContact({ name: 'Ivy', email: 'ivy@holds.dev', title: 'Lead' });
    const auto = await asAgent('PATCH', `/contacts/${ivy.id}`, { title: 'Partner' });
    expect(auto.json.outcome).toBe('applied');
    expect(auto.json.policy).toEqual({ decision: 'allow', reason_code: 'policy.auto_approved' });
    expect(auto.json.data.title).toBe('Partner');
    const audit = await as(human.token, 'GET', `/audit?target=contact/${ivy.id}`);
    expect(
      audit.json.data.find((entry: { actor_id: string }) => entry.actor_id === agent.agentId),
    ).toMatchObject({
      reason_code: 'policy.auto_approved',
      changes: { title: { before: 'Lead', after: 'Partner' } },
    });

    // Deal close: auto-approve switched for deals.update applies it too; off again, it waits.
    await as(human.token, 'PUT', '/policy/auto-approve/deals.update', { enabled: true });
    const deal = (await asAgent('POST', '/deals', { title: 'Auto deal' })).json.data;
    const won = await asAgent('PATCH', `/deals/${deal.id}`, { status: 'won' });
    expect(won.json.policy.reason_code).toBe('policy.auto_approved');
    expect(won.json.data.status).toBe('won');
    await as(human.token, 'PUT', '/policy/auto-approve/deals.update', { enabled: false });

    const off = await as(human.token, 'PUT', '/policy/auto-approve/contacts.update', { enabled: false });
    expect(off.json.data.auto_approve).toEqual({});
    const heldAgain = await asAgent('PATCH', `/contacts/${ivy.id}`, { name: 'Ivy Z' });
    // Ivy's name is still the person's: held again now that the switch is off.
    expect(heldAgain.json.outcome).toBe('proposed');
    expect(heldAgain.json.policy.reason_code).toBe('policy.field_held_human_edit');

    const unknown = await as(human.token, 'PUT', '/policy/auto-approve/contacts.search', { enabled: true });
    expect(unknown.status).toBe(400);
    const billing = await as(human.token, 'PUT', '/policy/auto-approve/billing.request_upgrade', {
      enabled: true,
    });
    expect(billing.status).toBe(400);
    const changes = await as(human.token, 'GET', '/events?since=0&types=policy.updated&limit=500');
    expect(
      changes.json.data.some(
        (e: { changes: Record<string, unknown>; actor: string }) =>
          'auto_approve.contacts.update' in e.changes && e.actor === `user/${human.userId}`,
      ),
    ).toBe(true);
  });

  it('deals moving to won or lost need approval; other stage moves go through', async () => {
    const deal = (await asAgent('POST', '/deals', { title: 'Big one', stage: 'qualified' })).json.data;
    const moved = await asAgent('PATCH', `/deals/${deal.id}`, { stage: 'proposal' });
    expect(moved.json.outcome).toBe('applied');
    expect(moved.json.data.stage).toBe('proposal');
    const win = await asAgent('PATCH', `/deals/${deal.id}`, { status: 'won', stage: 'closed' });
    expect(win.status).toBe(202);
    expect(win.json.policy).toEqual({
      decision: 'require_approval',
      reason_code: 'deal.close_requires_approval',
    });
    const byStage = await asAgent('PATCH', `/deals/${deal.id}`, { stage: 'Lost' });
    expect(byStage.json.policy.reason_code).toBe('deal.close_requires_approval');
    expect((await asAgent('GET', `/deals/${deal.id}`)).json.data).toMatchObject({
      status: 'open',
      stage: 'proposal',
    });
    // A person closes directly.
    const person = await as(human.token, 'PATCH', `/deals/${deal.id}`, { status: 'lost' });
    expect(person.json.outcome).toBe('applied');
    // Approving the agent's win after that finds status changed: stale, not overwritten.
    const stale = await decide(win.json.data.id, { decision: 'approve' });
    expect(stale.json.data.status).toBe('stale');
    expect((await asAgent('GET', `/deals/${deal.id}`)).json.data.status).toBe('lost');

    const deal2 = (await asAgent('POST', '/deals', { title: 'Second' })).json.data;
    const lose = await asAgent('PATCH', `/deals/${deal2.id}`, { status: 'lost' });
    const approved = await decide(lose.json.data.id, { decision: 'approve' });
    expect(approved.json.data.status).toBe('applied');
    expect((await asAgent('GET', `/deals/${deal2.id}`)).json.data.status).toBe('lost');
  });

  it('refuses agents and other workspaces: no approving, editing, bundling or switching; foreign ids are 404', async () => {
    const person = await humanContact({ name: 'Jo Guard', email: 'jo@holds.dev', title: 'Chair' });
    const held = await asAgent('PATCH', `/contacts/${person.id}`, { title: 'Member' });
    const id = held.json.data.id;
    for (const [path, body] of [
      [`/proposals/${id}/decide`, { decision: 'approve' }],
      [`/proposals/${id}/decide`, { decision: 'approve', edits: { title: 'Agent pick' } }],
      ['/proposals/decide', { decision: 'approve', ids: [id] }],
      ['/proposals/decide', { decision: 'approve', agent_id: agent.agentId }],
    ] as const) {
      const refused = await asAgent('POST', path, body);
      expect(refused.status, `${path} ${refused.text}`).toBe(403);
      expect(refused.json.error.code).toBe('approval_requires_human');
    }
    const toggle = await asAgent('PUT', '/policy/auto-approve/contacts.update', { enabled: true });
    expect(toggle.status).toBe(403);
    const policy = await asAgent('PATCH', '/policy', { hold_human_edited_fields: false });
    expect(policy.status).toBe(403);

    // Another workspace's admin: the proposal does not exist for them.
    const foreign = await stepUp('POST', `/proposals/${id}/decide`, { decision: 'approve' }, otherHuman);
    expect(foreign.status).toBe(404);
    const foreignBundle = await stepUp(
      'POST',
      '/proposals/decide',
      { decision: 'approve', ids: [id] },
      otherHuman,
    );
    expect(foreignBundle.status).toBe(404);
    expect((await as(other.token, 'GET', `/proposals/${id}`)).status).toBe(404);
    // A bundle naming a foreign id next to one's own decides nothing.
    await as(otherHuman.token, 'PATCH', '/policy', { hold_human_edited_fields: true });
    const kim = await as(otherHuman.token, 'POST', '/contacts', { name: 'Kim', title: 'Boss' });
    const own = (await as(other.token, 'PATCH', `/contacts/${kim.json.data.id}`, { title: 'Temp' })).json.data
      .id;
    const mixed = await stepUp(
      'POST',
      '/proposals/decide',
      { decision: 'reject', ids: [own, id] },
      otherHuman,
    );
    expect(mixed.status).toBe(404);
    expect((await as(other.token, 'GET', `/proposals/${own}`)).json.data.status).toBe('pending');
    expect((await proposal(id)).json.data.status).toBe('pending');
    expect((await getContact(person.id)).title).toBe('Chair');
  });
  it('the migration fills the last writers from the audit log, so older human edits are held too', async () => {
    const fresh = await createTestApp(dialect);
    try {
      const bot = await bootstrapAgent(fresh.app, 'migrated_agent');
      const owner = await inviteHuman(fresh.app, fresh.config.dataDir, bot, 'owner@migrated.dev');
      const send = (token: string, method: string, path: string, body?: unknown) =>
        call(fresh.app, method, path, body, { token, json: true });
      const made = await send(owner.token, 'POST', '/contacts', {
        name: 'Old Edit',
        email: 'old@migrated.dev',
      });
      await send(bot.token, 'PATCH', `/contacts/${made.json.data.id}`, { title: 'Agent title' });
      await send(owner.token, 'PATCH', `/contacts/${made.json.data.id}`, { name: 'Old Edit Sr' });
      // Rebuild field_writers from the audit log alone, as on a database migrated with history.
      const db = fresh.store.db as unknown as Kysely<unknown>;
      await approvals.down(db);
      await approvals.up(db);
      await send(owner.token, 'PATCH', '/policy', { hold_human_edited_fields: true });
      const reply = await send(bot.token, 'PATCH', `/contacts/${made.json.data.id}`, {
        name: 'Renamed',
        title: 'Agent title 2',
      });
      expect(reply.json.warnings.map((w: { field: string }) => w.field)).toEqual(['name']);
      expect(reply.json.data).toMatchObject({ name: 'Old Edit Sr', title: 'Agent title 2' });
    } finally {
      await fresh.close();
    }
  });
});
