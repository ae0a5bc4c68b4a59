import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, bootstrap, post } from './fixtures/multiprocess.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';
import { startServerProcess } from './process.js';

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
