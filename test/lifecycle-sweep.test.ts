import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChains } from '../src/audit/verify.js';
import { createSweeper } from '../src/lifecycle/sweeper.js';
import { createTestApp, DIALECTS, type TestApp } from './harness.js';
import { advanceDays, as, create, softDelete } from './lifecycle-support.js';
import { type Person, signIn } from './mailbox.js';
import { secondApp } from './second-app.js';

describe.each(DIALECTS)('retention sweeper on %s', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(dialect, {
      RETENTION_SWEEP_BATCH: '3',
      LOG_LEVEL: 'error',
      EVENTS_RETENTION_DAYS: '45',
      TOKEN_IDLE_TTL_SECONDS: String(3650 * 86400),
      TOKEN_MAX_TTL_SECONDS: String(3650 * 86400),
    });
  });
  afterAll(async () => t.close());

  const purgeRows = async (workspaceId: string) =>
    t.store.db
      .selectFrom('audit_log')
      .select(['target', 'changes', 'actor_type'])
      .where('workspace_id', '=', workspaceId)
      .where('operation', '=', 'lifecycle.purge')
      .execute();

  it('purges exactly what is past retention, clears references with an audit row, and leaves the rest', async () => {
    const admin: Person = await signIn(t.app, t.config.dataDir, 'sweep-admin@example.com');
    const api = as(t, admin);
    const old = await create(t, admin, '/contacts', { name: 'Old Contact', email: 'old@example.com' });
    const recent = await create(t, admin, '/contacts', {
      name: 'Recent Contact',
      email: 'recent@example.com',
    });
    const live = await create(t, admin, '/contacts', { name: 'Live Contact', email: 'live@example.com' });
    const deal = await create(t, admin, '/deals', { title: 'Deal of old', contact_id: old });
    const activity = await create(t, admin, `/contacts/${old}/activities`, { kind: 'note', body: 'met' });
    await softDelete(t, admin, `/contacts/${old}`);
    advanceDays(t, 10);
    await softDelete(t, admin, `/contacts/${recent}`);
    advanceDays(t, 20.5); // old: 30.5 days deleted; recent: 20.5 days

    const swept = await api.post('/admin/retention/sweep');
    expect(swept.status, swept.text).toBe(200);
    expect(swept.json.data.purged).toEqual([`contact/${old}`]);
    expect(swept.json.data.records.contacts).toBe(1);
    expect(swept.json.data.owned_removed).toBe(1);
    expect(swept.json.data.references_cleared).toBe(1);
    expect(swept.json.data.more).toBe(false);
    const text = await as(t, admin).get('/contacts/' + old);
    expect(text.status).toBe(404);
    expect(text.json.error.message).not.toContain('was deleted');
    // The deal stays, its reference cleared, at a new version.
    const dealAfter = await api.get(`/deals/${deal}`);
    expect(dealAfter.json.data.contact_id).toBeNull();
    expect(dealAfter.json.data.version).toBe(2);
    // The recently deleted contact is still restorable; the live one untouched.
    expect((await api.post(`/contacts/${recent}/restore`)).status).toBe(200);
    expect((await api.get(`/contacts/${live}`)).status).toBe(200);

    const rows = await purgeRows(admin.workspaceId);
    expect(rows.map((row) => row.target).sort()).toEqual(
      [`activity/${activity}`, `contact/${old}`, `deal/${deal}`].sort(),
    );
    expect(rows.every((row) => row.actor_type === 'system')).toBe(true);
    expect(JSON.parse(rows.find((row) => row.target === `deal/${deal}`)!.changes!)).toEqual({
      contact_id: [old, null],
    });
    // The same pass again finds nothing.
    const again = await api.post('/admin/retention/sweep');
    expect(again.json.data.purged).toEqual([]);
    expect((await verifyChains(t.store.db, { workspaceId: admin.workspaceId })).broken).toBeNull();
  });

  it('works in bounded passes, saying when more is left', async () => {
    const admin = await signIn(t.app, t.config.dataDir, 'bounded-admin@example.com');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await create(t, admin, '/contacts', { name: `Bounded ${i}` }));
    for (const id of ids) await softDelete(t, admin, `/contacts/${id}`);
    advanceDays(t, 31);
    const passes: { purged: string[]; more: boolean }[] = [];
    for (let i = 0; i < 4; i++) passes.push((await as(t, admin).post('/admin/retention/sweep')).json.data);
    expect(passes.map((p) => p.purged.length)).toEqual([3, 3, 1, 0]);
    expect(passes.map((p) => p.more)).toEqual([true, true, false, false]);
    expect(new Set(passes.flatMap((p) => p.purged)).size).toBe(7);
  });

  it('purges old events, finished deliveries and expired idempotency keys, not fresh ones', async () => {
    const admin = await signIn(t.app, t.config.dataDir, 'events-admin@example.com');
    const api = as(t, admin);
    await api.post('/contacts', { name: 'Keyed' }, { 'idempotency-key': 'sweep-key-1' });
    const countOf = async (table: 'events' | 'idempotency_keys') =>
      Number(
        (
          await t.store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .where('workspace_id', '=', admin.workspaceId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const events = await countOf('events');
    expect(events).toBeGreaterThan(0);
    expect(await countOf('idempotency_keys')).toBe(1);
    advanceDays(t, 2);
    const first = (await api.post('/admin/retention/sweep')).json.data;
    expect(first.idempotency_keys).toBe(1);
    expect(first.events).toBe(0);
    advanceDays(t, 50);
    const second = (await api.post('/admin/retention/sweep')).json.data;
    // Bounded by 3 per pass: keep going until it says nothing is left.
    let total = second.events;
    let more = second.more;
    while (more) {
      const next = (await api.post('/admin/retention/sweep')).json.data;
      total += next.events;
      more = next.more;
    }
    // The sweep passes' own events are newer than the cut-off and stay.
    expect(total).toBeGreaterThanOrEqual(events);
    const left = await t.store.db
      .selectFrom('events')
      .select('type')
      .where('workspace_id', '=', admin.workspaceId)
      .execute();
    expect(left.every((event) => event.type === 'lifecycle.swept')).toBe(true);
  });

  it('needs an admin', async () => {
    const admin = await signIn(t.app, t.config.dataDir, 'role-admin@example.com');
    const agentReply = await as(t, { ...admin, token: 'nope' }).post('/admin/retention/sweep');
    expect(agentReply.status).toBe(401);
  });

  // Two in-process apps on one SQLite file would block each other's event loop in busy waits (one
  // thread): on SQLite the race runs in two server processes (test/lifecycle-processes.test.ts).
  it.runIf(dialect === 'postgres')(
    'two app instances sweeping at once purge each record once, and neither fails',
    async () => {
      const admin = await signIn(t.app, t.config.dataDir, 'race-admin@example.com');
      const ids: string[] = [];
      for (let i = 0; i < 9; i++) ids.push(await create(t, admin, '/contacts', { name: `Racer ${i}` }));
      for (const id of ids) await softDelete(t, admin, `/contacts/${id}`);
      advanceDays(t, 31);
      const other = secondApp(t);
      try {
        // Through the API: both instances' passes run at the same moment.
        const replies = await Promise.all([
          as(t, admin).post('/admin/retention/sweep'),
          as(t, admin, other.app).post('/admin/retention/sweep'),
          as(t, admin).post('/admin/retention/sweep'),
          as(t, admin, other.app).post('/admin/retention/sweep'),
        ]);
        for (const reply of replies) expect(reply.status, reply.text).toBe(200);
        // The background sweepers of both instances finish the rest.
        const sweepers = [
          createSweeper(t.app.services, t.app.services.logger, 20)!,
          createSweeper(other.app.services, other.app.services.logger, 20)!,
        ];
        for (const sweeper of sweepers) sweeper.start();
        for (let i = 0; i < 200; i++) {
          const left = await t.store.db
            .selectFrom('contacts')
            .select('id')
            .where('workspace_id', '=', admin.workspaceId)
            .execute();
          if (left.length === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        for (const sweeper of sweepers) await sweeper.stop();
        const purged = replies.flatMap((reply) => reply.json.data.purged as string[]);
        expect(new Set(purged).size).toBe(purged.length);
        const rows = await purgeRows(admin.workspaceId);
        expect(rows.map((row) => row.target).sort()).toEqual(ids.map((id) => `contact/${id}`).sort());
        expect((await verifyChains(t.store.db, { workspaceId: admin.workspaceId })).broken).toBeNull();
      } finally {
        await other.close();
      }
    },
  );
});
