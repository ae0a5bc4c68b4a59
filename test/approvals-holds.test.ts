import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as approvals from '../src/store/migrations/0009_approvals.js';
import { approvalsFixture } from './fixtures/approvals.js';
import { type Agent, bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';
import { inviteHuman, type Person } from './mailbox.js';

/**
 * Field-level holds and richer approvals (docs/governance.md): an agent's change to a field a
 * person wrote last waits for a human while the rest applies; people approve with edits, reject
 * with a reason, in bundles; proposals expire; auto-approve per operation; deal close approval.
 */
describe.each(DIALECTS)('field holds and richer approvals on %s', (dialect) => {
  const fx = approvalsFixture(dialect);
  const { as, asAgent, decide, humanContact, getContact, proposal, waitForJob } = fx;
  let t: TestApp;
  let agent: Agent;
  let human: Person;
  beforeAll(async () => {
    ({ t, agent, human } = await fx.setup());
  });
  afterAll(async () => t.close());

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
