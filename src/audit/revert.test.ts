import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { inviteHuman, latestCode, outboxMessages, type Person } from '../../test/mailbox.js';

describe.each(DIALECTS)('history and undo on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let human: Person;
  let other: Agent;
  let otherHuman: Person;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app, 'undo_agent');
    human = await inviteHuman(t.app, t.config.dataDir, agent, 'owner@undo.dev');
    other = await bootstrapAgent(t.app, 'other_agent');
    otherHuman = await inviteHuman(t.app, t.config.dataDir, other, 'owner@other.dev');
  });
  afterAll(async () => t.close());

  let keys = 0;
  const api = (method: string, path: string, body?: unknown, token = human.token) => {
    t.clock.advance(10);
    return call(t.app, method, path, body, {
      token,
      json: true,
      headers: { 'x-idempotency-key': `idem_undo_${dialect}_${++keys}` },
    });
  };
  const revert = (body: Record<string, unknown>, token = human.token) =>
    api('POST', '/operations/revert', body, token);
  const history = async (path: string, token = human.token) =>
    (await api('GET', `${path}/history`, undefined, token)).json.data;
  const get = async (path: string) => (await api('GET', path)).json.data;
  const finished = async (id: string, token = human.token) =>
    vi.waitFor(
      async () => {
        const reply = await call(t.app, 'GET', `/operations/${id}`, undefined, { token, json: true });
        if (['queued', 'running'].includes(reply.json.data.status)) throw new Error(reply.json.data.status);
        return reply.json.data;
      },
      { timeout: 15_000, interval: 25 },
    );
  /** Every row of a workspace's tables, to show that a call changed nothing at all. */
  const dump = async (workspaceId: string) => {
    const rows: Record<string, unknown[]> = {};
    for (const table of ['contacts', 'companies', 'deals', 'tasks', 'activities', 'audit_log', 'proposals']) {
      rows[table] = (
        await sql`select * from ${sql.table(table)} where workspace_id = ${workspaceId} order by id`.execute(
          t.store.db,
        )
      ).rows;
    }
    return JSON.stringify(rows);
  };
  /** Every column of a table's live rows in this workspace, but version and updated_at. */
  const liveRows = async (table: string) =>
    (
      await sql<
        Record<string, unknown>
      >`select * from ${sql.table(table)} where workspace_id = ${agent.workspaceId}
        and deleted_at is null order by id`.execute(t.store.db)
    ).rows.map(({ version: _v, updated_at: _u, ...rest }) => rest);
  /** The live records of a kind as lists show them, without what every write bumps (version, updated_at). */
  const listed = async (path: string) => {
    const reply = await call(t.app, 'GET', `${path}?limit=200`, undefined, {
      token: human.token,
      json: true,
    });
    expect(reply.json.next_cursor).toBeNull();
    return reply.json.data
      .map(({ version: _v, updated_at: _u, ...rest }: Record<string, unknown>) => rest)
      .sort((a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1));
  };

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

  it('reverts one background operation: a batch of creates and updates', async () => {
    const kept = (await api('POST', '/contacts', { name: 'Kept', email: 'kept@batch.dev', stage: 'lead' }))
      .json.data;
    const queued = await api('POST', '/contacts/batch', {
      items: [
        { name: 'New One', email: 'one@batch.dev' },
        { email: 'kept@batch.dev', stage: 'customer', title: 'Buyer' },
        { name: 'New Two' },
      ],
    });
    const done = await finished(queued.json.data.id);
    expect(done.done).toBe(3);
    const one = (await api('GET', '/contacts?email=one@batch.dev')).json.data[0];
    expect((await history(`/contacts/${one.id}`))[0].operation_id).toBe(queued.json.data.id);

    const dry = await revert({ operation_id: queued.json.data.id });
    expect(dry.json.data).toMatchObject({ entries: 4, records: 3 });
    expect(dry.json.data.skipped).toEqual([
      expect.objectContaining({ target: `operation/${queued.json.data.id}`, why: expect.any(String) }),
    ]);
    const applied = await revert({ operation_id: `operation/${queued.json.data.id}`, apply: true });
    expect(applied.json.data.records).toBe(3);
    expect((await api('GET', `/contacts/${one.id}`)).status).toBe(404);
    expect((await api('GET', '/contacts?search=New%20Two')).json.data).toEqual([]);
    expect(await get(`/contacts/${kept.id}`)).toMatchObject({ stage: 'lead', title: null });
  });

  it('reverts a bulk update and a bulk delete, each by its operation id', async () => {
    await api('POST', '/contacts', { name: 'Bulk X', email: 'x@bulk.dev', stage: 'lead' });
    await api('POST', '/contacts', { name: 'Bulk Y', email: 'y@bulk.dev', title: 'Boss' });
    const before = await listed('/contacts');
    const update = await api('POST', '/contacts/bulk-update', {
      where: { email: 'like:@bulk.dev' },
      changes: { stage: 'customer', title: 'Buyer' },
      reason: 'quarterly clean-up',
    });
    await finished(update.json.data.id);
    const x = (await api('GET', '/contacts?email=x@bulk.dev')).json.data[0];
    expect((await history(`/contacts/${x.id}`))[0]).toMatchObject({
      operation: 'contacts.bulk_update',
      operation_id: update.json.data.id,
      reason: 'quarterly clean-up',
    });
    const asked = await api('POST', '/contacts/bulk-delete', { where: { email: 'like:@bulk.dev' } });
    const remove = await api('POST', '/contacts/bulk-delete', {
      where: { email: 'like:@bulk.dev' },
      confirm: asked.json.data.confirm_token,
    });
    await finished(remove.json.data.id);
    expect((await api('GET', '/contacts?email=like:@bulk.dev')).json.data).toEqual([]);

    const restored = await revert({ operation_id: remove.json.data.id, apply: true });
    expect(restored.json.data.changes.map((c: { action: string }) => c.action)).toEqual([
      'restore',
      'restore',
    ]);
    const undone = await revert({ operation_id: update.json.data.id, apply: true });
    expect(undone.json.data).toMatchObject({ records: 2, conflicts: [] });
    expect(await listed('/contacts')).toEqual(before);
  });

  it('a revert of a CSV import restores the exact prior state', async () => {
    await api('POST', '/companies', { name: 'Old Co', domain: 'oldco.dev', industry: 'Retail' });
    await api('POST', '/contacts', {
      name: 'Carl',
      email: 'carl@oldco.dev',
      tags: ['x'],
      custom: { tier: 'silver' },
    });
    await api('POST', '/contacts', { name: 'Dora', email: 'dora@oldco.dev', stage: 'lead' });
    const contactsBefore = await listed('/contacts');
    const companiesBefore = await listed('/companies');
    const stored = async () => JSON.stringify([await liveRows('contacts'), await liveRows('companies')]);
    const storedBefore = await stored();

    const companies = await api('POST', '/companies/import', {
      csv: ['name,domain,industry', 'Old Co Renamed,oldco.dev,Software', 'New Co,newco.dev,Energy'].join(
        '\n',
      ),
    });
    expect((await finished(companies.json.data.id)).done).toBe(2);
    const contacts = await api('POST', '/contacts/import', {
      csv: [
        'name,email,company domain,tags,custom.tier,stage',
        'Carl Updated,carl@oldco.dev,newco.dev,y;z,gold,customer',
        'Dora,dora@oldco.dev,oldco.dev,,,',
        'Eve New,eve@newco.dev,newco.dev,new,,lead',
        'Fay New,fay@newco.dev,,,,',
      ].join('\n'),
    });
    expect((await finished(contacts.json.data.id)).done).toBe(4);
    const eve = (await api('GET', '/contacts?email=eve@newco.dev')).json.data[0];
    expect(await listed('/contacts')).not.toEqual(contactsBefore);

    const undoContacts = await revert({ operation_id: contacts.json.data.id, apply: true });
    expect(undoContacts.json.data.conflicts).toEqual([]);
    const undoCompanies = await revert({ operation_id: companies.json.data.id, apply: true });
    expect(undoCompanies.json.data.conflicts).toEqual([]);

    expect(await listed('/contacts')).toEqual(contactsBefore);
    expect(await listed('/companies')).toEqual(companiesBefore);
    // Every stored column of every live row too, but the version and updated_at each write bumps.
    expect(await stored()).toBe(storedBefore);
    expect((await api('GET', `/contacts/${eve.id}`)).status).toBe(404);
    expect((await api('GET', '/companies?domain=newco.dev')).json.data).toEqual([]);
    // And the import can be imported again, as if it had never happened.
    const again = await api('POST', '/contacts/import', { csv: 'name,email\nEve New,eve@newco.dev' });
    expect((await finished(again.json.data.id)).done).toBe(1);
  });

  it("reverts everything one token did in a window; another principal's token needs an admin", async () => {
    const minted = await api('POST', '/tokens', { token_name: 'helper' }, agent.token);
    const helper = minted.json.data;
    const start = t.app.services.clock.now().toISOString();
    const a = (await api('POST', '/contacts', { name: 'Helper A' }, helper.token)).json.data;
    const mine = (await api('POST', '/contacts', { name: 'Human Made' })).json.data;
    await api('PATCH', `/contacts/${mine.id}`, { title: 'Set by helper' }, helper.token);
    await api('PATCH', `/contacts/${mine.id}`, { stage: 'lead' });

    const refused = await revert({ token_id: helper.id, from: start }, other.token);
    expect(refused.status).toBe(404);
    const notAdmin = await revert(
      { token_id: (await api('GET', '/tokens')).json.data[0].id, from: start },
      agent.token,
    );
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.json.error.code).toBe('forbidden');

    const dry = await revert({ token_id: helper.id, from: start }, agent.token);
    expect(
      dry.json.data.changes.map((c: { target: string; field: string }) => `${c.target}.${c.field}`),
    ).toEqual([`contact/${a.id}.deleted_at`, `contact/${mine.id}.title`]);
    const applied = await revert({
      token_id: helper.id,
      from: start,
      to: t.app.services.clock.now().toISOString(),
      apply: true,
    });
    expect(applied.json.data.records).toBe(2);
    expect((await api('GET', `/contacts/${a.id}`)).status).toBe(404);
    expect(await get(`/contacts/${mine.id}`)).toMatchObject({ title: null, stage: 'lead' });
  });

  it("an agent's revert meets the policy: deleting needs a human's approval", async () => {
    const contact = (await api('POST', '/contacts', { name: 'Agent Made' }, agent.token)).json.data;
    const [created] = await history(`/contacts/${contact.id}`);
    const dry = await revert({ audit_id: created.id }, agent.token);
    expect(dry.json.warnings[0]).toMatchObject({
      code: 'policy',
      message: expect.stringContaining('delete.requires_approval'),
    });
    const proposed = await revert({ audit_id: created.id, apply: true }, agent.token);
    expect(proposed.status).toBe(202);
    expect(proposed.json.outcome).toBe('proposed');
    expect(proposed.json.policy.reason_code).toBe('delete.requires_approval');
    expect(await get(`/contacts/${contact.id}`)).toMatchObject({ name: 'Agent Made' });

    const body = { decision: 'approve' };
    const path = `/proposals/${proposed.json.data.id}/decide`;
    const first = await call(t.app, 'POST', path, body, { token: human.token, json: true });
    expect(first.json.error.code).toBe('escalation_required');
    const code = latestCode(await outboxMessages(t.config.dataDir), human.email);
    const approved = await call(t.app, 'POST', `${path}?code=${code}`, body, {
      token: human.token,
      json: true,
    });
    expect(approved.json.data.status).toBe('applied');
    expect((await api('GET', `/contacts/${contact.id}`)).status).toBe(404);
    expect((await history(`/contacts/${contact.id}`))[0]).toMatchObject({
      operation: 'operations.revert',
      actor: `agent/${agent.agentId}`,
      reverts: [created.id],
    });
  });

  it("an agent's revert that would clear a sensitive field waits for a human", async () => {
    const contact = (await api('POST', '/contacts', { name: 'Sensitive' }, agent.token)).json.data;
    // Only a workspace that lets agents fill empty sensitive fields lets this fill through.
    await api('PATCH', '/policy', { agents_fill_empty_sensitive_fields: true }, human.token);
    await api('PATCH', `/contacts/${contact.id}`, { email: 'filled@undo.dev' }, agent.token);
    await api('PATCH', '/policy', { agents_fill_empty_sensitive_fields: null }, human.token);
    const [filled] = await history(`/contacts/${contact.id}`);
    const proposed = await revert({ audit_id: filled.id, apply: true }, agent.token);
    expect(proposed.status).toBe(202);
    expect(proposed.json.policy.reason_code).toBe('contact.sensitive_field');
    expect(proposed.json.data.diff).toEqual({ email: ['filled@undo.dev', null] });
    expect((await get(`/contacts/${contact.id}`)).email).toBe('filled@undo.dev');
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

  it('replays an applied revert under its idempotency key instead of reverting twice', async () => {
    const contact = (await api('POST', '/contacts', { name: 'Idem' })).json.data;
    await api('PATCH', `/contacts/${contact.id}`, { name: 'Idem 2' });
    const [change] = await history(`/contacts/${contact.id}`);
    const send = () =>
      call(
        t.app,
        'POST',
        '/tools/operations.revert',
        { audit_id: change.id, apply: true },
        {
          token: human.token,
          json: true,
          headers: { 'x-idempotency-key': `idem_revert_once_${dialect}` },
        },
      );
    const first = await send();
    const second = await send();
    expect(second.json.data).toEqual(first.json.data);
    expect(
      (await history(`/contacts/${contact.id}`)).filter(
        (e: { operation: string }) => e.operation === 'operations.revert',
      ),
    ).toHaveLength(1);
  });

  it("refuses another workspace's audit ids (404, nothing changed) and read-only tokens", async () => {
    const theirs = (await api('POST', '/contacts', { name: 'Theirs' }, other.token)).json.data;
    await api('PATCH', `/contacts/${theirs.id}`, { name: 'Theirs 2' }, other.token);
    const [change] = await history(`/contacts/${theirs.id}`, otherHuman.token);
    const queued = await api('POST', '/contacts/batch', { items: [{ name: 'Their batch' }] }, other.token);
    await finished(queued.json.data.id, other.token);
    const before = await dump(other.workspaceId);
    for (const token of [agent.token, human.token]) {
      for (const body of [
        { audit_id: change.id, apply: true },
        { operation_id: queued.json.data.id, apply: true },
        { request_id: queued.json.request_id, apply: true },
      ]) {
        const reply = await revert(body, token);
        expect(reply.status, JSON.stringify(body)).toBe(404);
      }
      expect((await api('POST', `/audit/${change.id}/revert`, { apply: true }, token)).status).toBe(404);
    }
    expect(await dump(other.workspaceId)).toBe(before);

    const readOnly = (await api('POST', '/tokens', { token_name: 'reader', scopes: ['read'] }, agent.token))
      .json.data;
    const mine = (await api('POST', '/contacts', { name: 'Mine' })).json.data;
    const [created] = await history(`/contacts/${mine.id}`);
    const refused = await revert({ audit_id: created.id, apply: true }, readOnly.token);
    expect(refused.status, refused.text).toBe(403);
    expect(refused.json.error.code).toBe('scope_insufficient');
    expect(await get(`/contacts/${mine.id}`)).toMatchObject({ name: 'Mine' });
  });

  it('refuses unclear or unsupported requests with a hint', async () => {
    const cases: [Record<string, unknown>, number][] = [
      [{}, 400],
      [{ audit_id: 'aud_0000000000000000', request_id: 'req_x' }, 404],
      [{ from: '2026-01-01T00:00:00Z' }, 400],
      [{ token_id: 'tok_0000000000000000' }, 404],
      [{ dry_run: false }, 400],
    ];
    for (const [body, status] of cases) {
      const reply = await revert(body);
      expect(reply.status, JSON.stringify(body)).toBe(status);
      expect(reply.json.error.hint).toBeTruthy();
    }
    const audit = (await api('GET', '/audit?operation=account.bootstrap')).json.data[0];
    const unsupported = await revert({ audit_id: audit.id });
    expect(unsupported.status).toBe(422);
    expect(unsupported.json.error.code).toBe('unsupported');
  });
});

describe.each(DIALECTS)('undo and plan caps on %s', (dialect) => {
  let t: TestApp;
  let human: Person;
  beforeAll(async () => {
    t = await createTestApp(dialect, { PLAN_OVERRIDES: '{"sandbox":{"contacts":2}}' });
    const agent = await bootstrapAgent(t.app, 'capped_agent');
    human = await inviteHuman(t.app, t.config.dataDir, agent, 'owner@capped.dev');
  });
  afterAll(async () => t.close());
  const api = (method: string, path: string, body?: unknown) =>
    call(t.app, method, path, body, { token: human.token, json: true });

  it('restoring a deleted record charges the cap again; undoing a create gives room back', async () => {
    const a = (await api('POST', '/contacts', { name: 'A' })).json.data;
    await api('POST', '/contacts', { name: 'B' });
    const asked = await api('DELETE', `/contacts/${a.id}`);
    await api('DELETE', `/contacts/${a.id}?confirm=${asked.json.data.confirm_token}`);
    const c = await api('POST', '/contacts', { name: 'C' });
    expect(c.status).toBe(201);
    const [deletion] = (await api('GET', `/contacts/${a.id}/history`)).json.data;
    const refused = await api('POST', `/audit/${deletion.id}/revert`, { apply: true });
    expect(refused.status, refused.text).toBe(403);
    expect(refused.json.error.code).toBe('plan_limit_reached');
    expect((await api('GET', `/contacts/${a.id}`)).status).toBe(404);

    const [created] = (await api('GET', `/contacts/${c.json.data.id}/history`)).json.data;
    expect((await api('POST', `/audit/${created.id}/revert`, { apply: true })).status).toBe(200);
    expect((await api('POST', `/audit/${deletion.id}/revert`, { apply: true })).status).toBe(200);
    expect((await api('GET', `/contacts/${a.id}`)).json.data.name).toBe('A');
    expect((await api('POST', '/contacts', { name: 'D' })).json.error.code).toBe('plan_limit_reached');
  });
});
