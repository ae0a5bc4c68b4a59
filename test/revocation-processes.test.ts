import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { bootstrapAgent, call, createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';
import { signIn } from './mailbox.js';
import { type ServerProcess, startServerProcess } from './process.js';

// Two real server processes on one PostgreSQL: each caches authentication in memory
// (src/auth/auth-cache.ts), so a change made through one must reach the other's cache before the
// change is answered. (SQLite has one server process; test/auth-cache.test.ts covers it there.)

/** A server process seen as an App, so the harness helpers work on it. */
const remote = (server: ServerProcess) =>
  ({
    request: (target: string, init: RequestInit) => fetch(`${server.url}${target}`, init),
  }) as unknown as App;

const ROUNDS = 8;

describe.runIf(DIALECTS.includes('postgres'))('revocation across two server processes on PostgreSQL', () => {
  let database: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const env = {
      ...database.env,
      RATE_LIMIT_IP_PER_MINUTE: '10000',
      PLAN_OVERRIDES: '{"sandbox":{"requests_per_minute":100000,"contacts":100000}}',
    };
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 30_000);
  afterAll(async () => {
    a?.child.kill('SIGTERM');
    b?.child.kill('SIGTERM');
    await Promise.all([a?.exited, b?.exited]);
    await database.cleanup();
  });

  const whoami = (server: ServerProcess, token: string) =>
    call(remote(server), 'GET', '/whoami', undefined, { token, json: true });
  /** Uses the token on `server` until its authentication is surely cached there. */
  const warm = async (server: ServerProcess, token: string) => {
    for (let i = 0; i < 3; i++) expect((await whoami(server, token)).status).toBe(200);
  };

  /**
   * Asks `server` with `token`, one request after another, until it is refused; returns how long
   * after `since` the first refused request was sent (0 when the very next one was refused).
   */
  const refusedWithin = async (server: ServerProcess, token: string, since: number) => {
    let sentAt = since;
    for (let first = true; ; first = false) {
      if (!first) sentAt = performance.now();
      const reply = await whoami(server, token);
      if (reply.status === 401) {
        expect(reply.json.error.code).toBe('invalid_token');
        return sentAt - since;
      }
      expect(reply.status).toBe(200);
      if (performance.now() - since > 5_000) throw new Error('never refused');
    }
  };

  /**
   * Writes with `token` on `server` back to back, as a busy agent would, until stop() is called;
   * each write records when it was sent and how it was answered.
   */
  function hammer(server: ServerProcess, token: string) {
    const writes: Array<{ sentAt: number; status: number }> = [];
    let running = true;
    const done = (async () => {
      for (let i = 0; running; i++) {
        const sentAt = performance.now();
        const reply = await call(remote(server), 'POST', '/contacts', { name: `Busy ${i}` }, { token });
        writes.push({ sentAt, status: reply.status });
      }
    })();
    return {
      writes,
      stop: async () => {
        running = false;
        await done;
      },
    };
  }

  it('refuses a token revoked through the other process from the moment the revoke is answered, every round', async () => {
    const agent = await bootstrapAgent(remote(a), 'revoker');
    for (let round = 0; round < ROUNDS; round++) {
      const minted = await call(
        remote(a),
        'POST',
        '/tokens',
        { token_name: `round_${round}` },
        { token: agent.token, json: true },
      );
      expect(minted.status, minted.text).toBe(201);
      const { id, token } = minted.json.data;
      await warm(b, token);
      const busy = hammer(b, token);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const revoked = await call(remote(a), 'DELETE', `/tokens/${id}`, undefined, {
        token: agent.token,
        json: true,
      });
      const answeredAt = performance.now();
      expect(revoked.status, revoked.text).toBe(200);
      // The other process refuses the very next request (refusedWithin measures, should it not).
      const refusedAfter = await refusedWithin(b, token, answeredAt);
      expect(refusedAfter, `round ${round}`).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await busy.stop();
      // ...and every write the busy agent sent there after the revoke was answered.
      const before = busy.writes.filter((write) => write.sentAt < answeredAt);
      const late = busy.writes.filter((write) => write.sentAt >= answeredAt);
      expect(before.some((write) => write.status === 201)).toBe(true);
      expect(late.length).toBeGreaterThan(0);
      expect(
        late.filter((write) => write.status !== 401),
        `round ${round}`,
      ).toEqual([]);
    }
  }, 60_000);

  it('ends a removed member’s session on the other process from the moment the removal is answered', async () => {
    const dataDir = database.env.DATA_DIR!;
    const admin = await signIn(remote(a), dataDir, 'admin@processes.dev');
    const team = (
      await call(remote(a), 'POST', '/workspaces', { name: 'Team' }, { token: admin.token, json: true })
    ).json.data.id;
    const adminTeam = (
      await call(remote(a), 'POST', `/workspaces/${team}/tokens`, {}, { token: admin.token, json: true })
    ).json.data.token;
    for (let round = 0; round < 3; round++) {
      const email = `member${round}@processes.dev`;
      await signIn(remote(b), dataDir, email);
      const invited = await call(
        remote(a),
        'POST',
        `/workspaces/${team}/invites`,
        { email },
        { token: adminTeam },
      );
      expect(invited.status, invited.text).toBe(201);
      const person = await signIn(remote(b), dataDir, email);
      const minted = await call(
        remote(b),
        'POST',
        `/workspaces/${team}/tokens`,
        {},
        { token: person.token, json: true },
      );
      expect(minted.status, minted.text).toBe(201);
      const token = minted.json.data.token;
      await warm(b, token);
      const removed = await call(
        remote(a),
        'DELETE',
        `/workspaces/${team}/members/${person.userId}`,
        undefined,
        { token: adminTeam },
      );
      expect(removed.status, removed.text).toBe(200);
      expect(await refusedWithin(b, token, performance.now()), `round ${round}`).toBe(0);
    }
  }, 60_000);

  it('caches nothing while its listener connection is lost, and listens again', async () => {
    const agent = await bootstrapAgent(remote(a), 'listener_loss');
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      for (let round = 0; round < 3; round++) {
        const minted = await call(
          remote(a),
          'POST',
          '/tokens',
          { token_name: `lost_${round}` },
          { token: agent.token, json: true },
        );
        const { id, token } = minted.json.data;
        await warm(b, token);
        // PostgreSQL ends b's listening session (as a failover or a network cut would).
        const killed = await admin.query(
          'select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1',
          [`agentcrm auth listener ${b.child.pid}`],
        );
        expect(killed.rows).toEqual([{ ok: true }]);
        // Revoked while b hears nothing: b must read the token again, not trust its cache.
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(
          (await call(remote(a), 'DELETE', `/tokens/${id}`, undefined, { token: agent.token })).status,
        ).toBe(200);
        expect(await refusedWithin(b, token, performance.now()), `round ${round}`).toBe(0);
        // b listens again (it retries within a second) and stays correct.
        let listening = 0;
        for (let i = 0; i < 50 && listening === 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          listening = (
            await admin.query('select count(*)::int as n from pg_stat_activity where application_name = $1', [
              `agentcrm auth listener ${b.child.pid}`,
            ])
          ).rows[0].n;
        }
        expect(listening).toBe(1);
      }
    } finally {
      await admin.end();
    }
    expect(b.output()).toContain('auth listener lost');
  }, 60_000);
});
