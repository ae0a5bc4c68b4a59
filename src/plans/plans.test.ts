import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from '../../test/harness.js';
import { secondApp } from '../../test/second-app.js';
import { loadConfig } from '../config.js';

describe.each(DIALECTS)('plan caps on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { PLAN_OVERRIDES: '{"sandbox":{"contacts":5}}' });
  });
  afterAll(async () => t.close());

  it('allows exactly the cap under 20 concurrent creates (two app instances on PostgreSQL)', async () => {
    const agent = await bootstrapAgent(t.app, 'racer');
    const other = dialect === 'postgres' ? secondApp(t) : null;
    try {
      const apps = other ? [t.app, other.app] : [t.app];
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          call(
            apps[i % apps.length]!,
            'POST',
            '/contacts',
            { name: `C${i}`, email: `c${i}@acme.com` },
            {
              token: agent.token,
              json: true,
            },
          ),
        ),
      );
      const statuses = replies.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(5);
      expect(statuses.filter((s) => s === 403)).toHaveLength(15);
      const refused = replies.find((r) => r.status === 403)!;
      expect(refused.json.error.code).toBe('plan_limit_reached');
      expect(refused.json.error.message).toMatch(/allows 5 contacts/);
      expect(refused.json.error.hint).toMatch(/don't retry/);
    } finally {
      await other?.close();
    }
    const list = await call(t.app, 'GET', '/contacts', undefined, { token: agent.token, json: true });
    expect(list.json.data).toHaveLength(5);
    const who = await call(t.app, 'GET', '/whoami', undefined, { token: agent.token });
    expect(who.text).toContain('\ncontacts: 5 / 5\n');
    // Updating an existing contact (upsert by email) is not a create and still works at the cap.
    const email = list.json.data[0].email;
    const update = await call(t.app, 'POST', '/contacts', { email, title: 'CEO' }, { token: agent.token });
    expect(update.status).toBe(200);
  });

  it('never refuses the first concurrent creates of a fresh workspace below the cap', async () => {
    // The first creates race to make the usage counter; none may take a just-made counter for a full one.
    const agent = await bootstrapAgent(t.app, 'first-burst');
    const other = dialect === 'postgres' ? secondApp(t) : null;
    try {
      const apps = other ? [t.app, other.app] : [t.app];
      const replies = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          call(apps[i % apps.length]!, 'POST', '/companies', { name: `Burst ${i}` }, { token: agent.token }),
        ),
      );
      expect(replies.map((r) => r.status)).toEqual(replies.map(() => 201));
    } finally {
      await other?.close();
    }
    const who = await call(t.app, 'GET', '/whoami', undefined, { token: agent.token });
    expect(who.text).toContain('\ncompanies: 30 / 250\n');
  });

  it('counts contacts that existed before the counter did', async () => {
    const agent = await bootstrapAgent(t.app, 'legacy');
    for (let i = 0; i < 3; i++) {
      expect((await call(t.app, 'POST', '/contacts', { name: `L${i}` }, { token: agent.token })).status).toBe(
        201,
      );
    }
    await t.store.db.deleteFrom('usage_counters').where('workspace_id', '=', agent.workspaceId).execute();
    const who = await call(t.app, 'GET', '/whoami', undefined, { token: agent.token });
    expect(who.text).toContain('\ncontacts: 3 / 5\n');
    expect((await call(t.app, 'POST', '/contacts', { name: 'L3' }, { token: agent.token })).status).toBe(201);
    expect((await call(t.app, 'POST', '/contacts', { name: 'L4' }, { token: agent.token })).status).toBe(201);
    expect((await call(t.app, 'POST', '/contacts', { name: 'L5' }, { token: agent.token })).status).toBe(403);
  });

  it('shows every cap in /whoami', async () => {
    const agent = await bootstrapAgent(t.app, 'viewer');
    const who = await call(t.app, 'GET', '/whoami', undefined, { token: agent.token, json: true });
    expect(who.json.data.plan.name).toBe('sandbox');
    expect(who.json.data.usage_lines).toEqual([
      'contacts: 0 / 5',
      'companies: 0 / 250',
      'deals: 0 / 250',
      'members: 0 / 5',
      'workspaces: 1 / 3',
      'object_types: 0 / 5',
      'object_fields: 0 / 50',
    ]);
  });
});

describe('plan configuration', () => {
  it('rejects malformed overrides at start-up', () => {
    expect(() => loadConfig({ PLAN_OVERRIDES: '{"sandbox":{"contacts":-1}}' })).toThrow(/PLAN_OVERRIDES/);
    expect(() => loadConfig({ PLAN_OVERRIDES: '{"gold":{}}' })).toThrow(/PLAN_OVERRIDES/);
    expect(() => loadConfig({ PLAN_OVERRIDES: 'nope' })).toThrow(/JSON/);
    const config = loadConfig({ PLAN_OVERRIDES: '{"production":{"members":7,"requests_per_minute":9}}' });
    expect(config.plans.production!.caps.members).toBe(7);
    expect(config.plans.production!.requestsPerMinute).toBe(9);
    expect(config.plans.sandbox!.caps.contacts).toBe(1000);
  });
});
