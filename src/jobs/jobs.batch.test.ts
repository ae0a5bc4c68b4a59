import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsFixture } from '../../test/fixtures/jobs.js';
import { type Agent, bootstrapAgent, call, DIALECTS, type TestApp } from '../../test/harness.js';
import { latestCode, outboxMessages, type Person } from '../../test/mailbox.js';

describe.each(DIALECTS)('background operations on %s', (dialect) => {
  const fx = jobsFixture(dialect);
  const { batch, finished } = fx;
  let t: TestApp;
  let agent: Agent;
  let human: Person;
  beforeAll(async () => {
    ({ t, agent, human } = await fx.setup());
  });
  afterAll(async () => t.close());

  it('upserts a batch in the background and reports progress and per-item errors', async () => {
    await call(
      t.app,
      'POST',
      '/contacts',
      { name: 'Existing', email: 'existing@batch.dev' },
      { token: agent.token },
    );
    const items: Record<string, unknown>[] = Array.from({ length: 150 }, (_, i) => ({
      name: `Batch ${i}`,
      email: `batch${i}@batch.dev`,
    }));
    items[10] = { name: 'Bad Email', email: 'not-an-email' };
    items[20] = { title: 'Nameless' };
    items[30] = { email: 'existing@batch.dev', title: 'Updated by batch' };
    const queued = await batch('/contacts/batch', items);
    expect(queued.status).toBe(202);
    expect(queued.json.operation_id).toMatch(/^op_/);
    expect(queued.json.data).toMatchObject({ status: 'queued', total: 150, progress: '0/150' });
    expect(queued.json.next_actions[0].tool_name).toBe('operations.get_status');

    const done = await finished(queued.json.data.id);
    expect(done).toMatchObject({
      status: 'partially_failed',
      done: 148,
      failed: 2,
      result: { created: 147, updated: 1 },
    });
    expect(done.errors.map((e: { index: number; code: string }) => [e.index, e.code])).toEqual([
      [10, 'invalid_input'],
      [20, 'invalid_input'],
    ]);
    expect(done.errors[0].message).toContain('email');
    const updated = await call(t.app, 'GET', '/contacts?email=existing@batch.dev', undefined, {
      token: agent.token,
      json: true,
    });
    expect(updated.json.data[0].title).toBe('Updated by batch');
    const count = await call(t.app, 'GET', '/contacts?email=like:@batch.dev&limit=200', undefined, {
      token: agent.token,
      json: true,
    });
    expect(count.json.data).toHaveLength(148);
    const audit = await call(t.app, 'GET', '/audit?operation=contacts.batch_upsert&limit=200', undefined, {
      token: human.token,
      json: true,
    });
    expect(
      audit.json.data.filter((row: { target: string }) => row.target.startsWith('contact/')),
    ).toHaveLength(148);
  });

  it('holds large agent batches for approval and refuses oversized ones', async () => {
    const items = Array.from({ length: 201 }, (_, i) => ({ name: `Big ${i}` }));
    const held = await batch('/contacts/batch', items);
    expect(held.status).toBe(202);
    expect(held.json).toMatchObject({
      outcome: 'proposed',
      policy: { reason_code: 'bulk.requires_approval' },
    });
    const first = await call(
      t.app,
      'POST',
      `/proposals/${held.json.data.id}/decide`,
      { decision: 'approve' },
      { token: human.token, json: true },
    );
    expect(first.json.error.code).toBe('escalation_required');
    const code = latestCode(await outboxMessages(t.config.dataDir), human.email);
    const approved = await call(
      t.app,
      'POST',
      `/proposals/${held.json.data.id}/decide?code=${code}`,
      { decision: 'approve' },
      { token: human.token, json: true },
    );
    expect(approved.json.data.status).toBe('applied');
    const operationId = approved.json.data.result.data.operation_id;
    expect(await finished(operationId)).toMatchObject({ status: 'succeeded', done: 201 });

    await call(
      t.app,
      'PATCH',
      '/policy',
      { bulk_deny_above: 50, bulk_approval_above: 40 },
      { token: human.token },
    );
    const refused = await batch(
      '/contacts/batch',
      Array.from({ length: 51 }, (_, i) => ({ name: `Huge ${i}` })),
    );
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ outcome: 'denied', policy: { reason_code: 'bulk.too_large' } });
    // People are not held by the bulk thresholds.
    const byHuman = await batch(
      '/companies/batch',
      Array.from({ length: 60 }, (_, i) => ({ name: `Co ${i}`, domain: `co${i}.example` })),
      human.token,
    );
    expect(byHuman.status).toBe(202);
    expect(await finished(byHuman.json.data.id, human.token)).toMatchObject({
      status: 'succeeded',
      result: { created: 60 },
    });
    await call(
      t.app,
      'PATCH',
      '/policy',
      { bulk_deny_above: null, bulk_approval_above: null },
      { token: human.token },
    );
  });

  it('counts an agent’s rolling batch volume', async () => {
    await call(t.app, 'PATCH', '/policy', { bulk_window_max_records: 250 }, { token: human.token });
    t.clock.advance(2 * 3600_000); // leave the earlier batches' window
    const first = await batch(
      '/deals/batch',
      Array.from({ length: 150 }, (_, i) => ({ title: `Deal ${i}` })),
    );
    expect(first.json.outcome).toBe('applied');
    const second = await batch(
      '/deals/batch',
      Array.from({ length: 150 }, (_, i) => ({ title: `More ${i}` })),
    );
    expect(second.json).toMatchObject({
      outcome: 'proposed',
      policy: { reason_code: 'bulk.requires_approval' },
    });
    expect(second.json.data.summary).toContain('150 were batch-written');
    await finished(first.json.data.id);
    await call(t.app, 'PATCH', '/policy', { bulk_window_max_records: null }, { token: human.token });
  });

  it('validates the batch itself and keeps operations to their workspace', async () => {
    const empty = await batch('/contacts/batch', []);
    expect(empty.status).toBe(400);
    // Above the policy's bulk_deny_above is a policy denial (src/jobs/batch-policy.test.ts); the
    // schema only keeps a sanity cap far above it.
    const tooMany = await batch(
      '/contacts/batch',
      Array.from({ length: 10_001 }, () => ({ name: 'x' })),
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error.message).toContain('at most 10000');
    const mine = await batch('/contacts/batch', [{ name: 'Private' }]);
    const stranger = await bootstrapAgent(t.app, 'stranger');
    const peek = await call(t.app, 'GET', `/operations/${mine.json.data.id}`, undefined, {
      token: stranger.token,
      json: true,
    });
    expect(peek.status).toBe(404);
    await finished(mine.json.data.id);
  });

  it('reports the health of the queue', async () => {
    const health = await call(t.app, 'GET', '/system/async-health', undefined, {
      token: agent.token,
      json: true,
    });
    expect(health.json.data).toMatchObject({
      queue_depth: 0,
      queued: 0,
      running: 0,
      oldest_pending_age_seconds: 0,
    });
    expect(health.json.data.finished_24h).toBeGreaterThan(0);
    expect(health.json.data.failed_24h).toBeGreaterThan(0);
  });
});
