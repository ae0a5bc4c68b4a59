import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, DIALECTS, type TestApp } from '../../test/harness.js';
import { secondApp } from '../../test/second-app.js';
import { loadConfig } from '../config.js';
import { createSeedWorkspace } from '../seed/seed.js';
import { signupAddress } from './signup-cap.js';

const workspaceCount = async (t: TestApp) =>
  Number(
    (
      await t.store.db
        .selectFrom('workspaces')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe.each(DIALECTS)('the daily sign-up cap per address on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    // The clock starts at 09:00 UTC: the day's window ends 15 hours later.
    t = await createTestApp(dialect, { SIGNUP_DAILY_LIMIT_PER_IP: '3', TRUST_PROXY: 'true' });
  });
  afterAll(async () => t.close());

  const boot = (ip: string, path = '/agent-bootstrap', app = t.app) =>
    call(app, 'POST', path, { agent_name: 'flood' }, { headers: { 'x-forwarded-for': ip }, json: true });

  it('refuses the sign-up past the cap with 429, Retry-After to the day’s end and a hint, creating nothing', async () => {
    for (let i = 0; i < 3; i++) expect((await boot('192.0.2.20')).status).toBe(201);
    const before = await workspaceCount(t);
    const refused = await boot('192.0.2.20');
    expect(refused.status).toBe(429);
    expect(refused.json.outcome).toBe('error');
    expect(refused.json.error.code).toBe('rate_limited');
    expect(refused.json.error.message).toContain('3 agent sign-ups per day');
    expect(refused.json.error.hint).toContain('data.token');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBe(15 * 3600);
    expect(refused.headers.get('ratelimit-policy')).toBe('"signup-day";q=3;w=86400');
    expect(refused.headers.get('ratelimit')).toBe(`"signup-day";r=0;t=${retryAfter}`);
    // The alias counts against the same cap; text answers carry the error and the hint too.
    const alias = await call(
      t.app,
      'POST',
      '/functions/v1/agent-bootstrap',
      { agent_name: 'flood' },
      { headers: { 'x-forwarded-for': '192.0.2.20' } },
    );
    expect(alias.status).toBe(429);
    expect(alias.text).toMatch(/^error rate_limited: /m);
    expect(alias.text).toMatch(/^hint: /m);
    expect(await workspaceCount(t)).toBe(before);
    // Not a per-minute limit: a new minute does not reset it; another address is not affected.
    t.clock.advance(5 * 60_000);
    expect((await boot('192.0.2.20')).status).toBe(429);
    expect((await boot('192.0.2.21')).status).toBe(201);
    // The next UTC day, the address may sign up again.
    t.clock.advance(retryAfter * 1000);
    expect((await boot('192.0.2.20')).status).toBe(201);
  });

  it('counts an IPv6 /64 as one address, and an IPv4-mapped address as its IPv4', async () => {
    t.clock.advance(24 * 3600_000);
    for (const ip of ['2001:db8:5:6::1', '2001:db8:5:6::2', '2001:db8:5:6:aaaa::3'])
      expect((await boot(ip)).status).toBe(201);
    expect((await boot('2001:db8:5:6:ffff:ffff:ffff:ffff')).status).toBe(429);
    expect((await boot('2001:db8:5:7::1')).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await boot('198.51.100.7')).status).toBe(201);
    expect((await boot('::ffff:198.51.100.7')).status).toBe(429);
  });

  it('does not count a replayed sign-up or a refused production request', async () => {
    t.clock.advance(24 * 3600_000);
    const key = { 'x-forwarded-for': '192.0.2.40', 'x-idempotency-key': 'idem_signup_cap_replay_4d1f9a' };
    for (let i = 0; i < 3; i++) {
      const reply = await call(t.app, 'POST', '/agent-bootstrap', { agent_name: 'once' }, { headers: key });
      expect(reply.status).toBe(201);
    }
    const denied = await call(
      t.app,
      'POST',
      '/agent-bootstrap',
      { agent_name: 'prod', requested_plan: 'production' },
      { headers: { 'x-forwarded-for': '192.0.2.40' } },
    );
    expect(denied.status).toBe(403);
    expect((await boot('192.0.2.40')).status).toBe(201);
    expect((await boot('192.0.2.40')).status).toBe(201);
    expect((await boot('192.0.2.40')).status).toBe(429);
  });

  it('leaves the operator’s own command line (agentcrm seed) uncounted', async () => {
    for (let i = 0; i < 4; i++) await createSeedWorkspace(t.app.services, `seeded_${i}`);
  });

  // On PostgreSQL several processes share the database; each is an app with its own pool here.
  it.skipIf(dialect === 'sqlite')(
    'holds across app instances on one database, under concurrency',
    async () => {
      t.clock.advance(24 * 3600_000);
      const other = secondApp(t);
      try {
        const replies = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            boot('192.0.2.50', '/agent-bootstrap', i % 2 ? t.app : other.app),
          ),
        );
        const statuses = replies.map((reply) => reply.status).sort();
        expect(statuses).toEqual([...Array(3).fill(201), ...Array(9).fill(429)]);
      } finally {
        await other.close();
      }
    },
  );
});

describe('SIGNUP_DAILY_LIMIT_PER_IP', () => {
  it('defaults to 20 and must be a whole number of at least 1', () => {
    expect(loadConfig({}).signupDailyLimitPerIp).toBe(20);
    expect(loadConfig({ SIGNUP_DAILY_LIMIT_PER_IP: '5' }).signupDailyLimitPerIp).toBe(5);
    for (const bad of ['0', '-1', '2.5', 'many'])
      expect(() => loadConfig({ SIGNUP_DAILY_LIMIT_PER_IP: bad })).toThrow(/SIGNUP_DAILY_LIMIT_PER_IP/);
  });

  it('keys addresses as documented', () => {
    expect(signupAddress('203.0.113.9')).toBe('203.0.113.9');
    expect(signupAddress('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(signupAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(signupAddress(null)).toBe('unknown');
  });
});
