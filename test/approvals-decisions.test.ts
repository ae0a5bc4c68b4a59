import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalsFixture } from './fixtures/approvals.js';
import { type Agent, DIALECTS, type TestApp } from './harness.js';
import { latestCode, outboxMessages, type Person } from './mailbox.js';

/**
 * Field-level holds and richer approvals (docs/governance.md): an agent's change to a field a
 * person wrote last waits for a human while the rest applies; people approve with edits, reject
 * with a reason, in bundles; proposals expire; auto-approve per operation; deal close approval.
 */
describe.each(DIALECTS)('field holds and richer approvals on %s', (dialect) => {
  const fx = approvalsFixture(dialect);
  const { as, asAgent, stepUp, decide, humanContact, getContact, proposal } = fx;
  let t: TestApp;
  let agent: Agent;
  let human: Person;
  let other: Agent;
  let otherHuman: Person;
  beforeAll(async () => {
    ({ t, agent, human, other, otherHuman } = await fx.setup());
  });
  afterAll(async () => t.close());

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
});
