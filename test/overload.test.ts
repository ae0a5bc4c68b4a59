import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, bootstrapAgent, call, createTestApp, type TestApp } from './harness.js';

describe('overload', () => {
  let t: TestApp;
  let agent: Agent;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { MAX_IN_FLIGHT: '4' });
    agent = await bootstrapAgent(t.app);
  });
  afterAll(async () => t.close());

  it('sheds load past capacity with 503 and Retry-After, and recovers by itself', async () => {
    const burst = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        call(t.app, 'POST', '/contacts', { name: `Burst ${i}` }, { token: agent.token, json: true }),
      ),
    );
    const shed = burst.filter((reply) => reply.status === 503);
    expect(shed.length).toBeGreaterThan(0);
    for (const reply of shed) {
      expect(reply.headers.get('retry-after')).toBe('1');
      expect(reply.json.error.code).toBe('unavailable');
    }
    for (const reply of burst) expect([201, 503]).toContain(reply.status);
    // Every request that was admitted completed; the shed ones changed nothing.
    const admitted = burst.filter((reply) => reply.status === 201).length;
    const listed = await call(t.app, 'GET', '/contacts?limit=200', undefined, {
      token: agent.token,
      json: true,
    });
    expect(listed.json.data).toHaveLength(admitted);
    const after = await call(t.app, 'POST', '/contacts', { name: 'After the burst' }, { token: agent.token });
    expect(after.status).toBe(201);
    expect((await call(t.app, 'GET', '/healthz')).status).toBe(200);
  });
});
