import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsFixture } from '../../test/fixtures/jobs.js';
import { type Agent, call, DIALECTS, type TestApp } from '../../test/harness.js';
import { latestCode, outboxMessages, type Person } from '../../test/mailbox.js';

describe.each(DIALECTS)('background operations on %s', (dialect) => {
  const fx = jobsFixture(dialect);
  const { finished } = fx;
  let t: TestApp;
  let agent: Agent;
  let human: Person;
  beforeAll(async () => {
    ({ t, agent, human } = await fx.setup());
  });
  afterAll(async () => t.close());

  it('changes every record a query matches, each through the single update', async () => {
    for (let i = 0; i < 30; i++) {
      await call(
        t.app,
        'POST',
        '/contacts',
        { name: `Bulk ${i}`, email: `bulk${i}@bulk.dev`, stage: i < 20 ? 'lead' : 'customer' },
        { token: agent.token },
      );
    }
    const queued = await call(
      t.app,
      'POST',
      '/contacts/bulk-update',
      { where: { email: 'like:@bulk.dev', stage: 'lead' }, changes: { stage: 'qualified', tags: ['bulk'] } },
      { token: agent.token, json: true },
    );
    expect(queued.status).toBe(202);
    expect(await finished(queued.json.data.id)).toMatchObject({ status: 'succeeded', done: 20, total: 20 });
    const leads = await call(
      t.app,
      'GET',
      '/contacts?email=like:@bulk.dev&stage=qualified&tags=bulk&limit=100',
      undefined,
      { token: agent.token, json: true },
    );
    expect(leads.json.data).toHaveLength(20);
    // Per-record policy still applies: an agent cannot set phones in bulk either, not even empty ones.
    const sensitive = await call(
      t.app,
      'POST',
      '/contacts/bulk-update',
      { where: { email: 'like:@bulk.dev' }, changes: { phone: '+1 555 0000' } },
      { token: agent.token, json: true },
    );
    const refused = await finished(sensitive.json.data.id);
    expect(refused).toMatchObject({ status: 'failed', failed: 30 });
    expect(refused.errors[0].code).toBe('contact.sensitive_field');
  });

  it('deletes by query in two steps, with the approval an agent needs', async () => {
    const first = await call(
      t.app,
      'POST',
      '/contacts/bulk-delete',
      { where: { email: 'like:@bulk.dev', stage: 'customer' } },
      { token: agent.token, json: true },
    );
    expect(first.status).toBe(428);
    expect(first.json.error.code).toBe('confirmation_required');
    expect(first.json.data.matches).toBe(10);
    const confirmed = await call(
      t.app,
      'POST',
      '/contacts/bulk-delete',
      { where: { email: 'like:@bulk.dev', stage: 'customer' }, confirm: first.json.data.confirm_token },
      { token: agent.token, json: true },
    );
    expect(confirmed.status).toBe(202);
    expect(confirmed.json).toMatchObject({
      outcome: 'proposed',
      policy: { reason_code: 'delete.requires_approval' },
    });
    await call(
      t.app,
      'POST',
      `/proposals/${confirmed.json.data.id}/decide`,
      { decision: 'approve' },
      { token: human.token },
    );
    const code = latestCode(await outboxMessages(t.config.dataDir), human.email);
    const approved = await call(
      t.app,
      'POST',
      `/proposals/${confirmed.json.data.id}/decide?code=${code}`,
      { decision: 'approve' },
      { token: human.token, json: true },
    );
    expect(approved.json.data.status).toBe('applied');
    expect(await finished(approved.json.data.result.data.operation_id)).toMatchObject({
      status: 'succeeded',
      done: 10,
    });
    const left = await call(t.app, 'GET', '/contacts?email=like:@bulk.dev&limit=100', undefined, {
      token: agent.token,
      json: true,
    });
    expect(left.json.data).toHaveLength(20);
    const stale = await call(
      t.app,
      'POST',
      '/contacts/bulk-delete',
      { where: { email: 'like:@bulk.dev' }, confirm: first.json.data.confirm_token },
      { token: agent.token, json: true },
    );
    expect(stale.status).toBe(428);
    expect(stale.json.error.message).toContain('does not match');
  });

  it('imports CSV text through the API: rows upsert in the background, unreadable rows come back at once', async () => {
    await call(
      t.app,
      'POST',
      '/companies',
      { name: 'Globex', domain: 'globex.example' },
      { token: agent.token },
    );
    const csv = [
      'Full Name,E-mail,Company Domain,Tags,custom.tier,Shoe Size',
      'Ann Import,ann@import.dev,globex.example,vip;csv,gold,42',
      'Bob Import,bob@import.dev,,,silver,',
      'Bad Row,not-an-email,,,,',
      'Cat Import,cat@import.dev,nowhere.example,,,',
      'Dan Import,dan@import.dev,,,"{""a"":1",',
    ].join('\n');
    const queued = await call(
      t.app,
      'POST',
      '/contacts/import',
      { csv },
      { token: agent.token, json: true, headers: { 'x-idempotency-key': 'idem_csv_1' } },
    );
    expect(queued.status).toBe(202);
    expect(queued.json.data.rows).toEqual([2, 3, 4, 5, 6]);
    expect(queued.json.warnings[0]).toMatchObject({ code: 'columns_ignored' });
    const done = await finished(queued.json.data.id);
    expect(done).toMatchObject({ status: 'partially_failed', done: 3, failed: 2 });
    expect(done.errors.map((e: { index: number }) => queued.json.data.rows[e.index])).toEqual([4, 5]);
    const ann = await call(t.app, 'GET', '/contacts?email=ann@import.dev', undefined, {
      token: agent.token,
      json: true,
    });
    expect(ann.json.data[0]).toMatchObject({
      name: 'Ann Import',
      tags: ['vip', 'csv'],
      custom: { tier: 'gold' },
    });
    expect(ann.json.data[0].company_id).toMatch(/^co_/);
    const again = await call(
      t.app,
      'POST',
      '/contacts/import',
      { csv: 'email,title\nann@import.dev,CEO' },
      { token: agent.token, json: true, headers: { 'x-idempotency-key': 'idem_csv_2' } },
    );
    expect(await finished(again.json.data.id)).toMatchObject({
      status: 'succeeded',
      result: { created: 0, updated: 1 },
    });
    const bad = await call(
      t.app,
      'POST',
      '/contacts/import',
      { csv: 'a,"b' },
      { token: agent.token, json: true, headers: { 'x-idempotency-key': 'idem_csv_3' } },
    );
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('not valid CSV');
  });
});
