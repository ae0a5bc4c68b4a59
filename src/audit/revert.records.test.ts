import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undoFixture } from '../../test/fixtures/revert.js';
import { type Agent, call, DIALECTS, type TestApp } from '../../test/harness.js';
import type { Person } from '../../test/mailbox.js';

describe.each(DIALECTS)('history and undo on %s', (dialect) => {
  const fx = undoFixture(dialect);
  const { api, revert, history, get, dump } = fx;
  let t: TestApp;
  let agent: Agent;
  let human: Person;
  let other: Agent;
  let otherHuman: Person;
  beforeAll(async () => {
    ({ t, agent, human, other, otherHuman } = await fx.setup());
  });
  afterAll(async () => t.close());

  it('lists who changed which field from what to what, for each kind', async () => {
    const company = (await api('POST', '/companies', { name: 'Acme', domain: 'acme.dev' })).json.data;
    const contact = (await api('POST', '/contacts', { name: 'Jane', email: 'jane@acme.dev' }, agent.token))
      .json.data;
    const deal = (await api('POST', '/deals', { title: 'Renewal', contact_id: contact.id })).json.data;
    const task = (await api('POST', '/tasks', { title: 'Call Jane', contact_id: contact.id })).json.data;
    await api('PATCH', `/contacts/${contact.id}`, { stage: 'lead', reason: 'replied' }, agent.token);
    await api('PATCH', `/companies/${company.id}`, { industry: 'Tools' });
    await api('PATCH', `/deals/${deal.id}`, { amount_cents: 5000, currency: 'EUR' });
    await api('POST', `/tasks/${task.id}/complete`, {});

    const contactHistory = await history(`/contacts/${contact.id}`);
    expect(contactHistory).toHaveLength(2);
    expect(contactHistory[0]).toMatchObject({
      actor: `agent/${agent.agentId}`,
      token_name: 'undo_agent',
      operation: 'contacts.update',
      version: 2,
      changes: { stage: { before: null, after: 'lead' } },
      reason: 'replied',
    });
    expect(contactHistory[1]).toMatchObject({
      operation: 'contacts.create',
      version: 1,
      changes: { name: { before: null, after: 'Jane' }, email: { before: null, after: 'jane@acme.dev' } },
    });
    expect(contactHistory[0].at > contactHistory[1].at).toBe(true);
    expect((await history(`/companies/${company.id}`))[0]).toMatchObject({
      actor: `user/${human.userId}`,
      operation: 'companies.update',
      changes: { industry: { before: null, after: 'Tools' } },
    });
    expect((await history(`/deals/${deal.id}`))[0].changes).toEqual({
      amount_cents: { before: null, after: 5000 },
      currency: { before: null, after: 'EUR' },
    });
    expect((await history(`/tasks/${task.id}`))[0]).toMatchObject({
      operation: 'tasks.complete',
      changes: { status: { before: 'open', after: 'done' } },
    });

    const text = await call(t.app, 'GET', `/contacts/${contact.id}/history?limit=1`, undefined, {
      token: human.token,
    });
    expect(text.text).toMatch(
      new RegExp(
        `^audit/aud_\\w+ at=\\S+ actor=agent/${agent.agentId} token=undo_agent operation=contacts.update version=2 stage:null→lead reason=replied request_id=\\S+\\n# next: \\S+`,
      ),
    );
    const first = await api('GET', `/contacts/${contact.id}/history?limit=1`);
    const second = await api(
      'GET',
      `/contacts/${contact.id}/history?limit=1&cursor=${first.json.next_cursor}`,
    );
    expect(second.json.data.map((e: { operation: string }) => e.operation)).toEqual(['contacts.create']);
    expect(second.json.next_cursor).toBeNull();

    // Other workspaces see nothing of it.
    for (const token of [other.token, otherHuman.token]) {
      expect((await api('GET', `/contacts/${contact.id}/history`, undefined, token)).status).toBe(404);
    }
  });

  it('reverts one change: a dry run first, changing nothing; then applied, audited and itself revertible', async () => {
    const contact = (await api('POST', '/contacts', { name: 'Ann', title: 'CTO', tags: ['a'] })).json.data;
    await api('PATCH', `/contacts/${contact.id}`, {
      name: 'Anne',
      tags: ['a', 'b'],
      custom: { tier: 'gold' },
    });
    await api('PATCH', `/contacts/${contact.id}`, { title: 'CEO' });
    const [titleChange, nameChange] = await history(`/contacts/${contact.id}`);

    const before = await dump(agent.workspaceId);
    const dry = await revert({ audit_id: nameChange.id });
    expect(dry.status).toBe(200);
    expect(dry.json.data).toMatchObject({
      dry_run: true,
      applied: false,
      entries: 1,
      records: 1,
      conflicts: [],
    });
    expect(dry.json.data.changes).toEqual([
      { target: `contact/${contact.id}`, action: 'update', field: 'name', now: 'Anne', restore: 'Ann' },
      { target: `contact/${contact.id}`, action: 'update', field: 'tags', now: ['a', 'b'], restore: ['a'] },
      {
        target: `contact/${contact.id}`,
        action: 'update',
        field: 'custom',
        now: { tier: 'gold' },
        restore: {},
      },
    ]);
    expect(dry.json.next_actions[0].tool_name).toBe('operations.revert');
    expect(await dump(agent.workspaceId)).toBe(before);
    const dryText = await call(t.app, 'POST', `/audit/${nameChange.id}/revert`, {}, { token: human.token });
    expect(dryText.text).toContain(`contact/${contact.id} action=update field=name now=Anne restore=Ann\n`);
    expect(dryText.text).toContain(`contact/${contact.id} action=update field=tags now=a,b restore=a\n`);
    const historyText = await call(t.app, 'GET', `/contacts/${contact.id}/history?limit=2`, undefined, {
      token: human.token,
    });
    expect(historyText.text).toContain(' name:Ann→Anne tags:a→a,b custom.tier:null→gold ');
    expect(dryText.text).toContain('# dry_run: nothing was changed');
    expect(await dump(agent.workspaceId)).toBe(before);

    const applied = await api('POST', `/audit/${nameChange.id}/revert`, { apply: true });
    expect(applied.status).toBe(200);
    expect(applied.json.data).toMatchObject({ dry_run: false, applied: true, records: 1 });
    expect(await get(`/contacts/${contact.id}`)).toMatchObject({
      name: 'Ann',
      title: 'CEO',
      tags: ['a'],
      custom: {},
    });
    const [undo] = await history(`/contacts/${contact.id}`);
    expect(undo).toMatchObject({
      operation: 'operations.revert',
      actor: `user/${human.userId}`,
      reverts: [nameChange.id],
      changes: { name: { before: 'Anne', after: 'Ann' } },
    });
    expect(titleChange.operation).toBe('contacts.update');

    // Reverting the same change again finds nothing left to do: every field moved on since.
    const twice = await revert({ audit_id: nameChange.id, apply: true });
    expect(twice.json.data.changes).toEqual([]);
    expect(twice.json.data.conflicts.map((c: { field: string }) => c.field)).toEqual([
      'name',
      'tags',
      'custom',
    ]);

    // The revert of the revert restores what the revert undid.
    const again = await revert({ request_id: applied.json.request_id, apply: true });
    expect(again.json.data.changes.map((c: { field: string }) => c.field)).toEqual([
      'name',
      'tags',
      'custom',
    ]);
    expect(await get(`/contacts/${contact.id}`)).toMatchObject({
      name: 'Anne',
      tags: ['a', 'b'],
      custom: { tier: 'gold' },
      title: 'CEO',
    });
  });

  it('reports a field changed again since as a conflict, leaves it, and applies the rest', async () => {
    const contact = (await api('POST', '/contacts', { name: 'Bo', title: 'Dev' })).json.data;
    await api('PATCH', `/contacts/${contact.id}`, { name: 'Bob', title: 'Lead' });
    const [change] = await history(`/contacts/${contact.id}`);
    await api('PATCH', `/contacts/${contact.id}`, { name: 'Robert' }, agent.token);
    const dry = await revert({ audit_id: change.id });
    expect(dry.json.data.conflicts).toEqual([
      {
        target: `contact/${contact.id}`,
        field: 'name',
        now: 'Robert',
        left: 'Bob',
        restore: 'Bo',
        why: 'the value now is not the one the change left',
      },
    ]);
    const text = await call(
      t.app,
      'POST',
      '/operations/revert',
      { audit_id: change.id },
      { token: human.token },
    );
    expect(text.text).toContain(
      `conflict contact/${contact.id} field=name now=Robert left=Bob restore=Bo why=`,
    );
    const applied = await revert({ audit_id: change.id, apply: true });
    expect(applied.json.data.changes).toEqual([
      { target: `contact/${contact.id}`, action: 'update', field: 'title', now: 'Lead', restore: 'Dev' },
    ]);
    expect(applied.json.data.conflicts).toHaveLength(1);
    expect(await get(`/contacts/${contact.id}`)).toMatchObject({ name: 'Robert', title: 'Dev' });

    // A value changed and changed back is a conflict too: a later change touched it.
    const co = (await api('POST', '/companies', { name: 'Zed' })).json.data;
    await api('PATCH', `/companies/${co.id}`, { industry: 'A' });
    const [industry] = await history(`/companies/${co.id}`);
    await api('PATCH', `/companies/${co.id}`, { industry: 'B' });
    await api('PATCH', `/companies/${co.id}`, { industry: 'A' });
    const back = await revert({ audit_id: industry.id, apply: true });
    expect(back.json.data.conflicts[0]).toMatchObject({
      field: 'industry',
      now: 'A',
      left: 'A',
      why: 'changed again since',
    });
    expect((await get(`/companies/${co.id}`)).industry).toBe('A');
  });

  it('reverts creates by deleting and deletes by restoring', async () => {
    const created = await api('POST', '/deals', { title: 'Fresh' });
    const [createEntry] = await history(`/deals/${created.json.data.id}`);
    const undone = await revert({ audit_id: createEntry.id, apply: true });
    expect(undone.json.data.changes[0]).toMatchObject({ action: 'delete', field: 'deleted_at', now: null });
    expect((await api('GET', `/deals/${created.json.data.id}`)).status).toBe(404);

    const contact = (await api('POST', '/contacts', { name: 'Gone', email: 'gone@undo.dev' })).json.data;
    const asked = await api('DELETE', `/contacts/${contact.id}`);
    await api('DELETE', `/contacts/${contact.id}?confirm=${asked.json.data.confirm_token}`);
    expect((await api('GET', `/contacts/${contact.id}`)).status).toBe(404);
    const [deletion] = await history(`/contacts/${contact.id}`);
    expect(deletion.changes.deleted_at.before).toBeNull();
    const restored = await revert({ audit_id: deletion.id, apply: true });
    expect(restored.json.data.changes[0]).toMatchObject({
      action: 'restore',
      field: 'deleted_at',
      restore: null,
    });
    expect(await get(`/contacts/${contact.id}`)).toMatchObject({ name: 'Gone', email: 'gone@undo.dev' });
    // Undoing the restore deletes it again.
    await revert({ request_id: restored.json.request_id, apply: true });
    expect((await api('GET', `/contacts/${contact.id}`)).status).toBe(404);
    // A restore whose email another live contact took meanwhile is a conflict, not an error.
    await api('POST', '/contacts', { name: 'Taker', email: 'gone@undo.dev' });
    const [redeletion] = await history(`/contacts/${contact.id}`);
    expect(redeletion.operation).toBe('operations.revert');
    const blocked = await revert({ audit_id: redeletion.id, apply: true });
    expect(blocked.json.data.conflicts[0]).toMatchObject({
      field: 'deleted_at',
      why: expect.stringContaining('gone@undo.dev'),
    });
    expect((await api('GET', `/contacts/${contact.id}`)).status).toBe(404);
  });

  it('reverts a merge: the merged contact and its moved deal come back', async () => {
    const survivor = (await api('POST', '/contacts', { name: 'Sam' })).json.data;
    const dup = (await api('POST', '/contacts', { name: 'Sam D', email: 'sam@merge.dev' })).json.data;
    const deal = (await api('POST', '/deals', { title: 'Sam deal', contact_id: dup.id })).json.data;
    const note = (await api('POST', `/contacts/${dup.id}/activities`, { kind: 'note', body: 'met Sam' })).json
      .data;
    const merged = await api('POST', `/contacts/${survivor.id}/merge`, { from: [dup.id] });
    expect(merged.status).toBe(200);
    expect((await get(`/deals/${deal.id}`)).contact_id).toBe(survivor.id);
    expect((await history(`/deals/${deal.id}`))[0]).toMatchObject({
      operation: 'contacts.merge',
      changes: { contact_id: { before: dup.id, after: survivor.id } },
    });
    const undone = await revert({ request_id: merged.json.request_id, apply: true });
    expect(undone.json.data.conflicts).toEqual([]);
    expect(await get(`/contacts/${dup.id}`)).toMatchObject({ email: 'sam@merge.dev' });
    expect(await get(`/contacts/${survivor.id}`)).toMatchObject({ email: null });
    expect((await get(`/deals/${deal.id}`)).contact_id).toBe(dup.id);
    expect((await get(`/contacts/${dup.id}/activities`)).map((a: { id: string }) => a.id)).toEqual([note.id]);
    expect(await get(`/contacts/${survivor.id}/activities`)).toEqual([]);
  });
});
