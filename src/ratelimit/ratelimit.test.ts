import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from '../../test/harness.js';
import { secondApp } from '../../test/second-app.js';

describe.each(DIALECTS)('rate limits on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, {
      PLAN_OVERRIDES: '{"sandbox":{"requests_per_minute":5}}',
      RATE_LIMIT_IP_PER_MINUTE: '3',
      TRUST_PROXY: 'true',
    });
  });
  afterAll(async () => t.close());

  const from = (ip: string) => ({ 'x-forwarded-for': `198.51.100.1, ${ip}` });

  it('limits each token per minute, with Retry-After and the RateLimit headers', async () => {
    const agent = await bootstrapAgent(t.app, 'busy');
    const first = await call(t.app, 'GET', '/whoami', undefined, { token: agent.token });
    expect(first.headers.get('ratelimit-policy')).toBe('"token";q=5;w=60');
    expect(first.headers.get('ratelimit')).toMatch(/^"token";r=4;t=\d+$/);
    for (let i = 0; i < 4; i++)
      expect((await call(t.app, 'GET', '/contacts', undefined, { token: agent.token })).status).toBe(200);
    const limited = await call(t.app, 'GET', '/contacts', undefined, { token: agent.token, json: true });
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('ratelimit')).toMatch(/^"token";r=0;t=\d+$/);
    expect(limited.headers.get('ratelimit-policy')).toBe('"token";q=5;w=60');

    // Another token has its own budget; the window ends and the token works again.
    const other = await bootstrapAgent(t.app, 'calm');
    expect((await call(t.app, 'GET', '/whoami', undefined, { token: other.token })).status).toBe(200);
    t.clock.advance(retryAfter * 1000);
    expect((await call(t.app, 'GET', '/whoami', undefined, { token: agent.token })).status).toBe(200);
  });

  it('limits unauthenticated routes (agent bootstrap) per client address', async () => {
    t.clock.advance(60_000);
    const boot = (ip: string) =>
      call(t.app, 'POST', '/agent-bootstrap', { agent_name: 'x' }, { headers: from(ip), json: true });
    for (let i = 0; i < 3; i++) expect((await boot('192.0.2.10')).status).toBe(201);
    const limited = await boot('192.0.2.10');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-policy')).toBe('"ip";q=3;w=60');
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await boot('192.0.2.11')).status).toBe(201);
  });

  // SQLite is for one process (README, DESIGN.md), so there the request limit counts in memory
  // (no durable write per request); on PostgreSQL, which several processes share, it counts in
  // the database.
  it.skipIf(dialect === 'sqlite')(
    'shares the counts between app instances on the same database',
    async () => {
      t.clock.advance(60_000);
      const agent = await bootstrapAgent(t.app, 'shared');
      const other = secondApp(t);
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++) {
          const app = i % 2 === 0 ? t.app : other.app;
          statuses.push((await call(app, 'GET', '/whoami', undefined, { token: agent.token })).status);
        }
        expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      } finally {
        await other.close();
      }
    },
  );
});
