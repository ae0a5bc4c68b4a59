import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { verifyChains } from '../src/audit/verify.js';
import { testConfig } from '../src/config.js';
import { manualClock } from '../src/ids.js';
import { connectStore, migrateToLatest, type Store } from '../src/store/connect.js';
import { createTestDatabase, DIALECTS, type TestApp, type TestDatabase } from './harness.js';
import { create, softDelete } from './lifecycle-support.js';
import { signIn } from './mailbox.js';
import { type ServerProcess, startServerProcess } from './process.js';

/**
 * The background sweeper of two server processes on one database: every expired record is purged
 * by exactly one of them (one audit row each), neither logs a failed round, and the chain holds.
 * The records are made in process with a clock a year back, so they are long past retention for
 * servers running on the real clock.
 */
describe.each(DIALECTS)('two sweeping server processes on %s', (dialect) => {
  let database: TestDatabase;
  let store: Store;
  const servers: ServerProcess[] = [];
  let workspaceId: string;
  const ids: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const config = testConfig({
      ...database.env,
      TOKEN_IDLE_TTL_SECONDS: String(3650 * 86400),
      TOKEN_MAX_TTL_SECONDS: String(3650 * 86400),
    });
    store = connectStore(config);
    await migrateToLatest(store);
    const clock = manualClock(new Date(Date.now() - 365 * 86400_000));
    const app = createApp({ config, store, clock });
    const t = { app, store, config, clock, database } as unknown as TestApp;
    const admin = await signIn(app, config.dataDir, 'procs-admin@example.com');
    workspaceId = admin.workspaceId;
    for (let i = 0; i < 12; i++)
      ids.push(await create(t, admin, '/contacts', { name: `Process racer ${i}` }));
    for (const id of ids) await softDelete(t, admin, `/contacts/${id}`);
    await app.services.meter.stop();
  }, 60_000);

  afterAll(async () => {
    for (const server of servers) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await store.close();
    await database.cleanup();
  });

  it('purges each expired record exactly once', async () => {
    const env = { ...database.env, RETENTION_SWEEP_SECONDS: '1', RETENTION_SWEEP_BATCH: '2' };
    servers.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));
    const deadline = Date.now() + 30_000;
    let left = ids.length;
    while (left > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      left = (
        await store.db.selectFrom('contacts').select('id').where('workspace_id', '=', workspaceId).execute()
      ).length;
    }
    expect(left).toBe(0);
    const rows = await store.db
      .selectFrom('audit_log')
      .select('target')
      .where('workspace_id', '=', workspaceId)
      .where('operation', '=', 'lifecycle.purge')
      .execute();
    expect(rows.map((row) => row.target).sort()).toEqual(ids.map((id) => `contact/${id}`).sort());
    expect((await verifyChains(store.db, { workspaceId })).broken).toBeNull();
    for (const server of servers) expect(server.output()).not.toContain('retention sweep round failed');
  }, 60_000);
});
