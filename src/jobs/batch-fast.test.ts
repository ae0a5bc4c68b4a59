import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { batchFastFixture, type Workspace } from '../../test/fixtures/batch-fast.js';
import { bootstrapAgent, call, createTestApp, DIALECTS } from '../../test/harness.js';
import { fastPath } from './fast-create.js';

/**
 * The set-based path of batch chunks (fast-create.ts) must leave exactly what the per-item path
 * leaves: the same per-item results, audit rows, field writers, events in the same order, and
 * webhook deliveries. Two workspaces get the same fixture and the same batch, one with the
 * set-based path switched off; their rows are compared with ids replaced by what they name.
 */
describe.each(DIALECTS)('batch set-based path on %s', (dialect) => {
  const fx = batchFastFixture(dialect);
  const { post, finished, workspace, items, snapshot } = fx;
  beforeAll(async () => {
    await fx.setup();
  });
  afterAll(async () => fx.close());
  afterEach(() => {
    fastPath.enabled = true;
  });

  it('gives exactly the per-item results, audit rows, events and deliveries of the per-item path', async () => {
    const fast = await workspace('fastpath');
    const slow = await workspace('slowpath');
    const runBatch = async (w: Workspace, enabled: boolean) => {
      fastPath.enabled = enabled;
      const queued = await post('/contacts/batch', { items: items(w) }, w.agent.token);
      expect(queued.status, queued.text).toBe(202);
      const id = queued.json.data.id as string;
      await finished(id, w.agent.token);
      fastPath.enabled = true;
      return snapshot(w, id);
    };
    const bySlow = await runBatch(slow, false);
    const byFast = await runBatch(fast, true);

    expect(bySlow.job).toMatchObject({ status: 'partially_failed', total: 1000 });
    const codes = (bySlow.job as { errors: { code: string }[] }).errors.map((e) => e.code);
    expect(new Set(codes)).toEqual(new Set(['invalid_input', 'contact.sensitive_field']));
    expect((bySlow.job as { result: { held?: number } }).result.held).toBeGreaterThan(0);
    expect(bySlow.events.length).toBeGreaterThan(500);
    expect(bySlow.deliveries.length).toBeGreaterThan(500);

    expect(byFast.job).toEqual(bySlow.job);
    expect(byFast.audit).toEqual(bySlow.audit);
    expect(byFast.events).toEqual(bySlow.events);
    expect(byFast.writers).toEqual(bySlow.writers);
    expect(byFast.deliveries).toEqual(bySlow.deliveries);
    expect(byFast.contacts).toEqual(bySlow.contacts);
  });

  it('refuses the items past the plan cap exactly as the per-item path does', async () => {
    const capped = await createTestApp(dialect, {
      PLAN_OVERRIDES: JSON.stringify({ sandbox: { contacts: 25 } }),
    });
    try {
      const results = [];
      for (const enabled of [false, true]) {
        const agent = await bootstrapAgent(capped.app, `capped_${enabled}`);
        fastPath.enabled = enabled;
        const queued = await call(
          capped.app,
          'POST',
          '/contacts/batch',
          {
            items: Array.from({ length: 40 }, (_, i) => ({ name: `Capped ${i}`, email: `cap${i}@cap.dev` })),
          },
          { token: agent.token, json: true, headers: { 'x-idempotency-key': `idem_cap_${enabled}` } },
        );
        expect(queued.status, queued.text).toBe(202);
        const job = await vi.waitFor(
          async () => {
            const reply = await call(capped.app, 'GET', `/operations/${queued.json.data.id}`, undefined, {
              token: agent.token,
              json: true,
            });
            if (['queued', 'running'].includes(reply.json.data.status)) throw new Error('still running');
            return reply.json.data;
          },
          { timeout: 30_000, interval: 25 },
        );
        fastPath.enabled = true;
        const list = await call(capped.app, 'GET', '/contacts?limit=100', undefined, {
          token: agent.token,
          json: true,
        });
        results.push({
          status: job.status,
          done: job.done,
          failed: job.failed,
          result: job.result,
          errors: job.errors,
          contacts: list.json.data.map((c: { email: string }) => c.email).sort(),
        });
      }
      expect(results[0]!.failed).toBeGreaterThan(0);
      expect(results[0]!.errors[0].code).toBe('plan_limit_reached');
      expect(results[1]).toEqual(results[0]);
    } finally {
      await capped.close();
    }
  });
});
