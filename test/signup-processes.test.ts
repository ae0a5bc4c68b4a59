import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';
import { type ServerProcess, startServerProcess } from './process.js';

// The daily sign-up cap is a row in the database: two server processes on one PostgreSQL count
// one address's sign-ups together, even when they arrive at both at once.
describe.runIf(DIALECTS.includes('postgres'))('the daily sign-up cap across two server processes', () => {
  let database: TestDatabase;
  let servers: ServerProcess[] = [];
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const env = { ...database.env, SIGNUP_DAILY_LIMIT_PER_IP: '4', RATE_LIMIT_IP_PER_MINUTE: '1000' };
    servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 30_000);
  afterAll(async () => {
    for (const server of servers) server.child.kill('SIGTERM');
    await Promise.all(servers.map((server) => server.exited));
    await database.cleanup();
  });

  it('creates exactly the cap’s worth of workspaces from one address, then answers 429 on both', async () => {
    const replies = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        fetch(`${servers[i % 2]!.url}/agent-bootstrap`, {
          method: 'POST',
          headers: { accept: 'application/json' },
          body: JSON.stringify({ agent_name: `flood_${i}` }),
        }),
      ),
    );
    const statuses = replies.map((reply) => reply.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(4);
    expect(statuses.filter((status) => status === 429)).toHaveLength(12);
    for (const reply of replies.filter((r) => r.status === 429)) {
      expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await reply.json()) as { error: { code: string; hint: string } };
      expect(body.error.code).toBe('rate_limited');
      expect(body.error.hint).toBeTruthy();
    }
  });
});
