import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from '../../test/harness.js';
import { parsePrometheusText, sampleValue } from '../../test/prometheus-text.js';

const TOKEN = 'metrics-token-0123456789';

describe.each(DIALECTS)('GET /metrics on %s', (dialect) => {
  let t: TestApp;
  let closed: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { METRICS_TOKEN: TOKEN, DATABASE_POOL_SIZE: '7' });
    closed = await createTestApp(dialect);
  });
  afterAll(async () => {
    await t.close();
    await closed.close();
  });

  const scrape = async () => {
    const reply = await call(t.app, 'GET', '/metrics', undefined, { token: TOKEN });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(reply.text);
  };

  it('is not there without METRICS_TOKEN: closed by default', async () => {
    const reply = await call(closed.app, 'GET', '/metrics');
    expect(reply.status).toBe(404);
    expect(reply.text).toContain('hint: metrics are off on this port');
    // Not even a token of the app's own opens it.
    const agent = await bootstrapAgent(closed.app);
    expect((await call(closed.app, 'GET', '/metrics', undefined, { token: agent.token })).status).toBe(404);
  });

  it('refuses a caller without the metrics token, or with another token', async () => {
    const none = await call(t.app, 'GET', '/metrics');
    expect(none.status).toBe(401);
    expect(none.text).toContain('error auth_required');
    expect(none.text).not.toContain('agentcrm_http');
    const agent = await bootstrapAgent(t.app);
    const wrong = await call(t.app, 'GET', '/metrics', undefined, { token: agent.token });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('error invalid_token');
    const almost = await call(t.app, 'GET', '/metrics', undefined, { token: `${TOKEN}x` });
    expect(almost.status).toBe(401);
  });

  it('parses as Prometheus text and its request counts move with requests', async () => {
    const agent = await bootstrapAgent(t.app, 'metered');
    const before = await scrape();
    const labels = { operation: 'account.whoami', surface: 'rest', status: '200' };
    const count = sampleValue(before, 'agentcrm_http_requests_total', labels);
    const timed = sampleValue(before, 'agentcrm_http_request_duration_seconds_count', {
      operation: 'account.whoami',
      surface: 'rest',
    });
    for (let i = 0; i < 3; i++) {
      expect((await call(t.app, 'GET', '/whoami', undefined, { token: agent.token })).status).toBe(200);
    }
    expect((await call(t.app, 'GET', '/whoami', undefined, { token: 'ck_nope' })).status).toBe(401);
    const created = await call(
      t.app,
      'POST',
      '/tools/contacts.create',
      { name: 'Metered' },
      {
        token: agent.token,
        headers: { 'x-idempotency-key': 'idem_metrics_1' },
      },
    );
    expect(created.status).toBe(201);

    const after = await scrape();
    expect(sampleValue(after, 'agentcrm_http_requests_total', labels)).toBe(count + 3);
    expect(
      sampleValue(after, 'agentcrm_http_request_duration_seconds_count', {
        operation: 'account.whoami',
        surface: 'rest',
      }),
    ).toBe(timed + 4); // the latency histogram has no status label: the 401 is timed too
    expect(
      sampleValue(after, 'agentcrm_http_requests_total', { operation: 'account.whoami', status: '401' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sampleValue(after, 'agentcrm_http_requests_total', {
        operation: 'contacts.create',
        surface: 'tool',
        status: '201',
      }),
    ).toBe(1);
    expect(after.get('agentcrm_http_request_duration_seconds')?.type).toBe('histogram');
    for (const name of [
      'agentcrm_http_requests_in_flight',
      'agentcrm_jobs_queued',
      'agentcrm_jobs_running',
      'agentcrm_proposals_pending',
      'agentcrm_webhook_deliveries_due',
      'agentcrm_webhook_oldest_due_seconds',
      'process_cpu_seconds_total',
    ]) {
      expect(after.get(name)?.samples.length, name).toBeGreaterThan(0);
    }
    // The scrape being answered is in flight while it is collected.
    expect(sampleValue(after, 'agentcrm_http_requests_in_flight')).toBe(1);
  });

  it('counts sign-in failures by reason', async () => {
    const before = sampleValue(await scrape(), 'agentcrm_sign_in_failures_total', { reason: 'invalid_code' });
    await call(t.app, 'POST', '/auth/request', { email: 'metrics@example.com' });
    const wrong = await call(t.app, 'POST', '/auth/verify', { email: 'metrics@example.com', code: '000000' });
    expect(wrong.status).toBe(400);
    expect(sampleValue(await scrape(), 'agentcrm_sign_in_failures_total', { reason: 'invalid_code' })).toBe(
      before + 1,
    );
  });

  it('reports what the database side holds: pool use (PostgreSQL) or group-commit flushes (SQLite)', async () => {
    const agent = await bootstrapAgent(t.app, 'durable');
    await call(t.app, 'POST', '/contacts', { name: 'Flushed' }, { token: agent.token });
    const families = await scrape();
    if (dialect === 'postgres') {
      expect(sampleValue(families, 'agentcrm_db_pool_connections', { pool: 'main', state: 'max' })).toBe(7);
      expect(sampleValue(families, 'agentcrm_db_pool_connections', { pool: 'counters', state: 'max' })).toBe(
        3,
      );
      expect(
        sampleValue(families, 'agentcrm_db_pool_connections', { pool: 'main', state: 'open' }),
      ).toBeGreaterThan(0);
    } else {
      expect(sampleValue(families, 'agentcrm_sqlite_flush_duration_seconds_count')).toBeGreaterThan(0);
      expect(families.get('agentcrm_db_pool_connections')?.samples ?? []).toEqual([]);
    }
  });

  it('counts pending proposals across workspaces, read from the database at scrape time', async () => {
    const before = sampleValue(await scrape(), 'agentcrm_proposals_pending');
    const agent = await bootstrapAgent(t.app, 'proposer');
    let keys = 0;
    const tool = (name: string, body: unknown) =>
      call(t.app, 'POST', `/tools/${name}`, body, {
        token: agent.token,
        json: true,
        headers: { 'x-idempotency-key': `idem_metrics_proposal_${++keys}` },
      });
    const created = await tool('contacts.create', { name: 'Jane Doe', email: 'jane@acme.com' });
    const proposed = await tool('contacts.propose_update', {
      contact_id: created.json.data.id,
      changes: { email: 'jane.doe@acme.com' },
      reason: 'she wrote from her new address',
    });
    expect(proposed.status).toBe(202);
    // Scrapes within a second share one read of the database.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const after = await scrape();
    expect(sampleValue(after, 'agentcrm_proposals_pending')).toBe(before + 1);
    expect(sampleValue(after, 'agentcrm_jobs_queued')).toBe(0);
  });
});

describe('the strict exposition reader', () => {
  it('refuses text that breaks the format', () => {
    expect(() => parsePrometheusText('# TYPE a counter\na 1')).toThrow(/line feed/);
    expect(() => parsePrometheusText('# TYPE a counter\na{x="1} 1\n')).toThrow(/labels/);
    expect(() => parsePrometheusText('# TYPE a counter\na one\n')).toThrow(/bad value/);
    expect(() => parsePrometheusText('# TYPE a counter\n# TYPE b counter\nb 1\na 1\n')).toThrow(/outside/);
    expect(() =>
      parsePrometheusText(
        '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n',
      ),
    ).toThrow(/cumulative/);
    expect(() => parsePrometheusText('# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n')).toThrow(
      /\+Inf/,
    );
  });
});
