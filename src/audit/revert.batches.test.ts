import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undoFixture } from '../../test/fixtures/revert.js';
import { type Agent, DIALECTS, type TestApp } from '../../test/harness.js';

describe.each(DIALECTS)('history and undo on %s', (dialect) => {
  const fx = undoFixture(dialect);
  const { api, revert, history, get, finished, liveRows, listed } = fx;
  let t: TestApp;
  let agent: Agent;
  let other: Agent;
  beforeAll(async () => {
    ({ t, agent, other } = await fx.setup());
  });
  afterAll(async () => t.close());

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
});
