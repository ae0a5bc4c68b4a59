import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governanceFixture } from '../../test/fixtures/governance.js';
import { type Agent, bootstrapAgent, call, DIALECTS, type TestApp } from '../../test/harness.js';
import type { Person } from '../../test/mailbox.js';

describe.each(DIALECTS)('agent governance on %s', (dialect) => {
  const fx = governanceFixture(dialect);
  const { tool, contact, decide } = fx;
  let t: TestApp;
  let agent: Agent;
  let human: Person;
  beforeAll(async () => {
    ({ t, agent, human } = await fx.setup());
  });
  afterAll(async () => t.close());

  it('applies an approved proposal once, however often it is approved', async () => {
    const c = await contact({ name: 'Twice', phone: '+1 555 0101' });
    const proposed = await tool('contacts.propose_update', {
      contact_id: c.id,
      changes: { phone: '+1 555 0199' },
    });
    const approved = await decide(proposed.json.data.id, 'approve');
    expect(approved.json.data.status).toBe('applied');
    const again = await call(
      t.app,
      'POST',
      `/proposals/${proposed.json.data.id}/decide`,
      { decision: 'approve' },
      { token: human.token, json: true },
    );
    expect(again.status).toBe(409);
    expect(again.json.error.message).toContain('already decided');
    const after = await call(t.app, 'GET', `/contacts/${c.id}`, undefined, {
      token: agent.token,
      json: true,
    });
    expect(after.json.data).toMatchObject({ phone: '+1 555 0199', version: 2 });
  });

  it('reports a proposal whose field changed meanwhile as stale instead of overwriting', async () => {
    const c = await contact({ name: 'Stale Sam', phone: '+1 555 0102' });
    const proposed = await tool('contacts.propose_update', {
      contact_id: c.id,
      changes: { phone: '+1 555 0000' },
    });
    const human_edit = await call(
      t.app,
      'PATCH',
      `/contacts/${c.id}`,
      { phone: '+1 555 7777' },
      { token: human.token, json: true },
    );
    expect(human_edit.status).toBe(200);
    const approved = await decide(proposed.json.data.id, 'approve');
    expect(approved.json.policy.reason_code).toBe('proposal.target_changed');
    expect(approved.json.data.status).toBe('stale');
    expect(approved.json.data.result.changed_fields).toEqual(['phone']);
    const after = await call(t.app, 'GET', `/contacts/${c.id}`, undefined, {
      token: agent.token,
      json: true,
    });
    expect(after.json.data.phone).toBe('+1 555 7777');
  });

  it('a rejection changes nothing and carries the note', async () => {
    const c = await contact({ name: 'Rejected Rita', phone: '+1 555 0103' });
    const proposed = await tool('contacts.propose_update', {
      contact_id: c.id,
      changes: { phone: '+1 555 0104' },
    });
    const rejected = await decide(proposed.json.data.id, 'reject', 'that number belongs to her assistant');
    expect(rejected.json).toMatchObject({
      policy: { reason_code: 'proposal.rejected' },
      data: { status: 'rejected', decision_note: 'that number belongs to her assistant' },
    });
    const after = await call(t.app, 'GET', `/contacts/${c.id}`, undefined, {
      token: agent.token,
      json: true,
    });
    expect(after.json.data.phone).toBe('+1 555 0103');
  });

  it('non-sensitive proposals apply at once; people write sensitive fields directly', async () => {
    const c = await contact({ name: 'Plain Paul', email: 'paul@plain.dev' });
    const plain = await tool('contacts.propose_update', { contact_id: c.id, changes: { title: 'COO' } });
    expect(plain.status).toBe(200);
    expect(plain.json).toMatchObject({ outcome: 'applied', data: { title: 'COO' } });
    const byHuman = await call(
      t.app,
      'PATCH',
      `/contacts/${c.id}`,
      { email: 'paul@new.dev' },
      { token: human.token, json: true },
    );
    expect(byHuman.status).toBe(200);
    // An upsert by email that would change a sensitive field, even fill an empty one, is a direct write too.
    const upsert = await tool('contacts.create', {
      email: 'paul@new.dev',
      phone: '+1 555 0105',
      do_not_contact: true,
    });
    expect(upsert.status).toBe(403);
    expect(upsert.json.policy.reason_code).toBe('contact.sensitive_field');
    const other = await tool('contacts.create', { email: 'paul@new.dev', title: 'CEO' });
    expect(other.status).toBe(200);
  });

  it('dry runs show the decision and the exact diff and change nothing', async () => {
    const c = await contact({ name: 'Dry Dora', email: 'dora@dry.dev', title: 'VP' });
    const dry = await call(
      t.app,
      'PATCH',
      `/contacts/${c.id}?dry_run=true`,
      { title: 'SVP' },
      { token: agent.token, json: true },
    );
    expect(dry.status).toBe(200);
    expect(dry.json.data).toMatchObject({
      dry_run: true,
      decision: 'allow',
      changes: [{ target: `contact/${c.id}`, changes: { title: ['VP', 'SVP'] } }],
    });
    expect(dry.json.warnings[0].code).toBe('dry_run');
    const denied = await call(
      t.app,
      'PATCH',
      `/contacts/${c.id}`,
      { email: 'x@dry.dev' },
      {
        token: agent.token,
        json: true,
        headers: { 'x-dry-run': 'true' },
      },
    );
    expect(denied.json).toMatchObject({
      outcome: 'denied',
      data: { dry_run: true, reason_code: 'contact.sensitive_field' },
    });
    const text = await call(
      t.app,
      'PATCH',
      `/contacts/${c.id}?dry_run=true`,
      { title: 'SVP' },
      { token: agent.token },
    );
    expect(text.text).toContain('# dry_run: nothing was changed');
    const after = await call(t.app, 'GET', `/contacts/${c.id}`, undefined, {
      token: agent.token,
      json: true,
    });
    expect(after.json.data).toMatchObject({ title: 'VP', email: 'dora@dry.dev', version: 1 });
    const audit = await call(t.app, 'GET', `/audit?target=contact/${c.id}`, undefined, {
      token: human.token,
      json: true,
    });
    expect(audit.json.data).toHaveLength(1);
  });

  it("an agent's confirmed delete waits for approval, or is denied, as the policy says", async () => {
    const c = await contact({ name: 'Deletable Dan' });
    const ask = await call(t.app, 'DELETE', `/contacts/${c.id}`, undefined, {
      token: agent.token,
      json: true,
    });
    expect(ask.json.error.code).toBe('confirmation_required');
    const confirmed = await call(
      t.app,
      'DELETE',
      `/contacts/${c.id}?confirm=${ask.json.data.confirm_token}`,
      undefined,
      {
        token: agent.token,
        json: true,
      },
    );
    expect(confirmed.status).toBe(202);
    expect(confirmed.json.policy.reason_code).toBe('delete.requires_approval');
    expect((await call(t.app, 'GET', `/contacts/${c.id}`, undefined, { token: agent.token })).status).toBe(
      200,
    );
    const approved = await decide(confirmed.json.data.id, 'approve');
    expect(approved.json.data.status).toBe('applied');
    expect((await call(t.app, 'GET', `/contacts/${c.id}`, undefined, { token: agent.token })).status).toBe(
      404,
    );

    const patched = await call(
      t.app,
      'PATCH',
      '/policy',
      { agent_deletes: 'deny' },
      { token: human.token, json: true },
    );
    expect(patched.json.data.agent_deletes).toBe('deny');
    const d = await contact({ name: 'Kept Kim' });
    const ask2 = await call(t.app, 'DELETE', `/contacts/${d.id}`, undefined, {
      token: agent.token,
      json: true,
    });
    const refused = await call(
      t.app,
      'DELETE',
      `/contacts/${d.id}?confirm=${ask2.json.data.confirm_token}`,
      undefined,
      {
        token: agent.token,
        json: true,
      },
    );
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ outcome: 'denied', policy: { reason_code: 'delete.agent_denied' } });
    await call(t.app, 'PATCH', '/policy', { agent_deletes: null }, { token: human.token });
  });

  it('only admins change the policy, within its rules', async () => {
    const byAgent = await call(
      t.app,
      'PATCH',
      '/policy',
      { agent_deletes: 'allow' },
      { token: agent.token, json: true },
    );
    expect(byAgent.status).toBe(403);
    expect(byAgent.json.error.code).toBe('forbidden');
    const bad = await call(
      t.app,
      'PATCH',
      '/policy',
      { sensitive_contact_fields: ['ssn'] },
      { token: human.token, json: true },
    );
    expect(bad.status).toBe(400);
    const inverted = await call(
      t.app,
      'PATCH',
      '/policy',
      { bulk_approval_above: 900, bulk_deny_above: 100 },
      { token: human.token, json: true },
    );
    expect(inverted.status).toBe(400);
    const read = await call(t.app, 'GET', '/policy', undefined, { token: agent.token });
    expect(read.text).toMatch(
      /^policy\/workspace sensitive_contact_fields=email,phone,do_not_contact,owner agents_fill_empty_sensitive_fields=false agent_deletes=require_approval/,
    );
  });

  it('the change feed lists every change in order and resumes from its cursor', async () => {
    const start = await call(t.app, 'GET', '/events?limit=1', undefined, { token: agent.token, json: true });
    let cursor = start.json.next_cursor;
    const all = await call(t.app, 'GET', '/events?since=0&limit=500', undefined, {
      token: agent.token,
      json: true,
    });
    cursor = all.json.next_cursor;
    const c = await contact({ name: 'Feed Fay' });
    await call(t.app, 'PATCH', `/contacts/${c.id}`, { title: 'Lead' }, { token: agent.token });
    const feed = await call(t.app, 'GET', `/events?since=${cursor}`, undefined, {
      token: agent.token,
      json: true,
    });
    expect(feed.json.data.map((e: { type: string; target: string }) => `${e.type} ${e.target}`)).toEqual([
      `contact.created contact/${c.id}`,
      `contact.updated contact/${c.id}`,
    ]);
    expect(feed.json.data[1].changes).toEqual({ title: [null, 'Lead'] });
    const seqs = feed.json.data.map((e: { seq: number }) => e.seq);
    expect(seqs[1]).toBe(seqs[0] + 1);
    const empty = await call(t.app, 'GET', `/events?since=${feed.json.next_cursor}`, undefined, {
      token: agent.token,
      json: true,
    });
    expect(empty.json.data).toEqual([]);
    expect(empty.json.next_cursor).toBe(feed.json.next_cursor);
    const typed = await call(t.app, 'GET', `/events?since=0&types=proposal.applied&limit=500`, undefined, {
      token: agent.token,
      json: true,
    });
    expect(typed.json.data.length).toBeGreaterThan(0);
    expect(typed.json.data.every((e: { type: string }) => e.type === 'proposal.applied')).toBe(true);
    const stranger = await bootstrapAgent(t.app, 'stranger');
    const theirs = await call(t.app, 'GET', '/events?since=0', undefined, {
      token: stranger.token,
      json: true,
    });
    expect(theirs.json.data).toEqual([]);
    const bad = await call(t.app, 'GET', '/events?since=abc', undefined, { token: agent.token, json: true });
    expect(bad.status).toBe(400);
  });
});
