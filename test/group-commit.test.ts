import { afterEach, describe, expect, it } from 'vitest';
import { connectStore, migrateToLatest } from '../src/store/connect.js';
import { bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';

// SQLite commits without flushing inside COMMIT; the group commit flushes the WAL before any answer
// (src/store/group-commit.ts). These tests read its counters around real requests.
describe.each(DIALECTS)('durable answers on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  const create = (token: string, n: number) =>
    call(
      t.app,
      'POST',
      '/contacts',
      { name: `Durable ${n}`, email: `durable.${n}@example.com` },
      { token, json: true, headers: { 'idempotency-key': `durable-${n}` } },
    );

  it('answers a write only after a flush that covers its commits', async () => {
    t = await createTestApp(dialect);
    const { token } = await bootstrapAgent(t.app, 'writer');
    const before = t.store.durability();
    const reply = await create(token, 1);
    expect(reply.status).toBe(201);
    const after = t.store.durability();
    if (dialect === 'postgres') {
      // PostgreSQL's COMMIT returns once the change is durable: nothing to count.
      expect(after).toBeNull();
      return;
    }
    // The key claim and the change's transaction: two commits, then at least one flush, none owed.
    expect(after!.commits - before!.commits).toBeGreaterThanOrEqual(2);
    expect(after!.flushes).toBeGreaterThan(before!.flushes);
    expect(after!.pending).toBe(false);
  });

  it('lets concurrent writers share flushes, and every answered write is there after a reopen', async () => {
    t = await createTestApp(dialect);
    const { token } = await bootstrapAgent(t.app, 'writers');
    const before = t.store.durability();
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => create(token, 100 + i)));
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201));
    const after = t.store.durability();
    if (dialect === 'sqlite') {
      const commits = after!.commits - before!.commits;
      const flushes = after!.flushes - before!.flushes;
      expect(commits).toBeGreaterThanOrEqual(40);
      // One flush per commit is what synchronous = FULL would cost; grouped, far fewer.
      expect(flushes).toBeGreaterThan(0);
      expect(flushes).toBeLessThan(commits / 2);
      expect(after!.pending).toBe(false);
    }
    // A second connection (as after a restart) sees every contact that was answered 201.
    const ids = replies.map((r) => r.json.data.id as string);
    const other = connectStore(t.config);
    try {
      await migrateToLatest(other);
      const found = await other.db.selectFrom('contacts').select('id').where('id', 'in', ids).execute();
      expect(found.map((row) => row.id).sort()).toEqual([...ids].sort());
    } finally {
      await other.close();
    }
  });

  it('flushes before a read answers with another request’s commit', async () => {
    t = await createTestApp(dialect);
    if (dialect !== 'sqlite') return;
    const { token, workspaceId } = await bootstrapAgent(t.app, 'reader');
    // A write through the store itself, as a background job would make it: committed, not flushed.
    await t.store.db
      .updateTable('workspaces')
      .set({ name: 'renamed by a job' })
      .where('id', '=', workspaceId)
      .execute();
    expect(t.store.durability()!.pending).toBe(true);
    const reply = await call(t.app, 'GET', '/contacts', undefined, { token });
    expect(reply.status).toBe(200);
    expect(t.store.durability()!.pending).toBe(false);
  });

  it('is off with SQLITE_SYNCHRONOUS=NORMAL, where answers do not wait for the disk', async () => {
    t = await createTestApp(dialect, { SQLITE_SYNCHRONOUS: 'NORMAL' });
    expect(t.store.durability()).toBeNull();
    const { token } = await bootstrapAgent(t.app, 'fast');
    expect((await create(token, 7)).status).toBe(201);
  });
});
