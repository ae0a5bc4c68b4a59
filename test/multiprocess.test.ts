import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';
import { startServerProcess } from './process.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read envelopes freely
const body = (reply: Response): Promise<any> => reply.json();

async function bootstrap(url: string): Promise<string> {
  const reply = await fetch(`${url}/agent-bootstrap`, {
    method: 'POST',
    headers: { accept: 'application/json' },
    body: JSON.stringify({ agent_name: 'multi_agent' }),
  });
  return (await body(reply)).data.token;
}

const post = (url: string, path: string, token: string, payload: unknown, key?: string) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      ...(key ? { 'x-idempotency-key': key } : {}),
    },
    body: JSON.stringify(payload),
  });

describe.each(DIALECTS)('background operations across a restart on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => database.cleanup());

  it('finishes every queued batch after kill -9, applying each item exactly once', async () => {
    const env = { ...database.env, JOB_LOCK_SECONDS: '1' };
    const first = await startServerProcess(env);
    const token = await bootstrap(first.url);
    const operations: string[] = [];
    for (let batch = 0; batch < 4; batch++) {
      const items = Array.from({ length: 200 }, (_, i) => ({
        name: `Restart ${batch}-${i}`,
        email: `r${batch}.${i}@restart.dev`,
      }));
      const reply = await post(first.url, '/contacts/batch', token, { items }, `idem_restart_${batch}`);
      expect(reply.status).toBe(202);
      operations.push((await body(reply)).operation_id);
    }
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await startServerProcess(env);
    try {
      for (const id of operations) {
        let status = 'queued';
        for (let i = 0; i < 300 && ['queued', 'running'].includes(status); i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          const reply = await fetch(`${second.url}/operations/${id}`, {
            headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
          });
          const data = (await body(reply)).data;
          status = data.status;
          if (status === 'succeeded') expect(data.done).toBe(200);
        }
        expect(status).toBe('succeeded');
      }
      let count = 0;
      let cursor = '';
      do {
        const reply = await fetch(
          `${second.url}/contacts?email=like:@restart.dev&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
          {
            headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
          },
        );
        const page = await body(reply);
        count += page.data.length;
        cursor = page.next_cursor ?? '';
      } while (cursor);
      expect(count).toBe(800);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});

describe.runIf(DIALECTS.includes('postgres'))('two server processes on one PostgreSQL database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(async () => database.cleanup());

  it('agree on idempotency keys, proposals and the change feed', async () => {
    const [a, b] = await Promise.all([startServerProcess(database.env), startServerProcess(database.env)]);
    try {
      const token = await bootstrap(a.url);
      const payload = { name: 'Twin', email: 'twin@processes.dev' };
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          post(i % 2 ? a.url : b.url, '/contacts', token, payload, 'idem_two_processes'),
        ),
      );
      const statuses = replies.map((reply) => reply.status);
      for (const status of statuses) expect([201, 409]).toContain(status);
      const ids = new Set<string>();
      for (const reply of replies) if (reply.status === 201) ids.add((await body(reply)).data.id);
      expect(ids.size).toBe(1);
      const list = await fetch(`${b.url}/contacts?email=twin@processes.dev`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      });
      expect((await body(list)).data).toHaveLength(1);

      // Concurrent writers on both processes: the feed has every change once, in a gapless order.
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          post(i % 2 ? a.url : b.url, '/contacts', token, { name: `Feed ${i}` }),
        ),
      );
      const feed = await body(
        await fetch(`${a.url}/events?since=0&limit=500`, {
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        }),
      );
      const seqs = feed.data.map((event: { seq: number }) => event.seq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(feed.data.filter((event: { type: string }) => event.type === 'contact.created')).toHaveLength(
        21,
      );
    } finally {
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
      await Promise.all([a.exited, b.exited]);
    }
  });
});
