import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChains } from '../src/audit/verify.js';
import { type Agent, bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';
import { as, create, withStepUp } from './lifecycle-support.js';
import { inviteHuman, type Person } from './mailbox.js';
import { type Receiver, startReceiver } from './webhook-receiver.js';

const NAME = 'Zelda Quinnfeather';
const OLD_EMAIL = 'zq.oldmail@example.net';
const EMAIL = 'zelda.quinnfeather@example.org';
const PHONE = '+1 555 0199 777';
/** What an attacker looks for: the values as written, and as the search index lower-cases them. */
const PROPOSED_EMAIL = 'zq.proposed@example.com';
const NEEDLES = [NAME, OLD_EMAIL, EMAIL, PHONE, PROPOSED_EMAIL, 'quinnfeather', 'oldmail', '15550199777'];

/** Every text or binary value of every table of the database that contains one of the needles. */
async function scanDatabase(t: TestApp): Promise<string[]> {
  const db = t.store.db;
  const tables =
    t.store.dialect.name === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)).rows
      : (
          await sql<{ name: string }>`select table_name as name from information_schema.tables
            where table_schema = current_schema()`.execute(db)
        ).rows;
  const found: string[] = [];
  const lower = NEEDLES.map((needle) => needle.toLowerCase());
  for (const { name } of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        const text =
          typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('latin1') : null;
        if (text === null) continue;
        const haystack = text.toLowerCase();
        for (const needle of lower)
          if (haystack.includes(needle)) found.push(`${name}.${column} has ${needle}`);
      }
    }
  }
  return found;
}

async function waitFor(check: () => Promise<boolean>, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('timed out');
}

describe.each(DIALECTS)('erasure and export of a person on %s', (dialect) => {
  let t: TestApp;
  let receiver: Receiver;
  let admin: Person;
  let agent: Agent;
  let proposal: string;
  let contact: string;
  let bystander: string;
  let deal: string;
  let webhook: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { WEBHOOKS_ALLOW_LOOPBACK: 'true' });
    receiver = await startReceiver();
    // An agent's workspace and its human (an admin there), so an agent can propose a change too.
    agent = await bootstrapAgent(t.app);
    admin = await inviteHuman(t.app, t.config.dataDir, agent, 'erase-admin@example.com');
    const api = as(t, admin);
    const hook = await api.post('/webhooks', { url: `${receiver.url}/hook`, events: ['*'] });
    expect(hook.status, hook.text).toBe(201);
    webhook = hook.json.data.id;
    const created = await api.post(
      '/contacts',
      {
        name: NAME,
        email: OLD_EMAIL,
        phone: PHONE,
        title: 'Chief Falconer',
        tags: ['vip'],
        custom: { nick: 'zq' },
      },
      { 'idempotency-key': 'erase-create-1' },
    );
    expect(created.status, created.text).toBe(201);
    contact = created.json.data.id;
    const updated = await api.patch(`/contacts/${contact}`, {
      email: EMAIL,
      follow_up_note: `call ${NAME} back`,
    });
    expect(updated.status, updated.text).toBe(200);
    await create(t, admin, `/contacts/${contact}/activities`, {
      kind: 'note',
      body: `Met ${NAME} at the fair`,
    });
    deal = await create(t, admin, '/deals', { title: `${NAME} renewal`, contact_id: contact });
    await create(t, admin, '/tasks', { title: `Write to ${EMAIL}`, contact_id: contact });
    const proposed = await call(
      t.app,
      'POST',
      `/contacts/${contact}/proposals`,
      { changes: { email: PROPOSED_EMAIL }, reason: 'they wrote from a new address' },
      { token: agent.token, json: true },
    );
    expect(proposed.status, proposed.text).toBe(202);
    proposal = proposed.json.data.id;
    bystander = await create(t, admin, '/contacts', { name: 'Quentin Bystander', title: 'Chief Falconer' });
    await waitFor(async () => {
      const log = await api.get(`/webhooks/${webhook}/deliveries`);
      return (
        log.json.data.length >= 6 && log.json.data.every((d: { status: string }) => d.status === 'succeeded')
      );
    });
  }, 60_000);
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  it('exports everything held about the person as JSON', async () => {
    const reply = await as(t, admin).get(`/contacts/${contact}/export`);
    expect(reply.status, reply.text).toBe(200);
    const doc = reply.json.data;
    expect(doc.person).toBe(`contact/${contact}`);
    expect(doc.record).toMatchObject({
      name: NAME,
      email: EMAIL,
      phone: PHONE,
      tags: ['vip'],
      custom: { nick: 'zq' },
    });
    expect(doc.history.map((h: { operation: string }) => h.operation)).toEqual([
      'contacts.create',
      'contacts.update',
    ]);
    expect(doc.history[1].changes.email).toEqual([OLD_EMAIL, EMAIL]);
    expect(doc.activities.map((a: { body: string }) => a.body)).toEqual([`Met ${NAME} at the fair`]);
    expect(doc.deals.map((d: { id: string }) => d.id)).toEqual([deal]);
    expect(doc.tasks).toHaveLength(1);
    expect(doc.proposals).toHaveLength(1);
    expect(doc.proposals[0].input).toMatchObject({ changes: { email: PROPOSED_EMAIL } });
    expect(doc.events.map((e: { type: string }) => e.type)).toContain('contact.updated');
    expect(doc.webhook_deliveries.length).toBe(doc.events.length);
    expect(JSON.stringify(doc.webhook_deliveries[0].sent)).toContain(OLD_EMAIL);
    expect(doc.counts).toMatchObject({ history: 2, activities: 1, deals: 1, tasks: 1 });
    // Text gives a summary and says how to get the document.
    const text = await t.app.request(`/contacts/${contact}/export`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(await text.text()).toMatch(/^export contact\/c_\S+ history=2 /m);
  });

  it('erases the person everywhere, leaves a tombstone, and keeps counts and the audit chain', async () => {
    const api = as(t, admin);
    const countRows = async (table: 'audit_log' | 'events' | 'contacts' | 'activities') =>
      Number(
        (
          await t.store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .where('workspace_id', '=', admin.workspaceId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = {
      contacts: await countRows('contacts'),
      activities: await countRows('activities'),
      audit: await countRows('audit_log'),
      events: await countRows('events'),
    };
    expect((await scanDatabase(t)).length).toBeGreaterThan(0);

    const erased = await withStepUp(t, admin, `/contacts/${contact}/erase`);
    expect(erased.status, erased.text).toBe(200);
    expect(erased.json.data).toMatchObject({ handle: `contact/${contact}`, erased_at: expect.any(String) });
    expect(erased.json.data.removed.audit_changes).toBeGreaterThanOrEqual(2);
    expect(erased.json.data.removed.stored_answers).toBe(1);

    // The attacker's scan: not one table, not one column holds any of the values any more.
    expect(await scanDatabase(t)).toEqual([]);
    if (t.store.sqlitePath) {
      // Nor do the file's free bytes (secure_delete zeroes what a change frees), once the write-ahead
      // log's old frames are gone: a checkpoint that truncates it (SQLite reuses the log otherwise).
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(t.store.db);
      const bytes = readFileSync(t.store.sqlitePath).toString('latin1').toLowerCase();
      expect(NEEDLES.filter((needle) => bytes.includes(needle.toLowerCase()))).toEqual([]);
    }
    // The chain still verifies; no row went, the tombstone and the activities stay.
    expect((await verifyChains(t.store.db, { workspaceId: admin.workspaceId })).broken).toBeNull();
    expect(await countRows('contacts')).toBe(before.contacts);
    expect(await countRows('activities')).toBe(before.activities);
    expect(await countRows('audit_log')).toBeGreaterThan(before.audit);
    expect(await countRows('events')).toBe(before.events + 1);

    // Reads answer 410 erased with a hint; so does every write and a restore.
    const read = await api.get(`/contacts/${contact}`);
    expect(read.status).toBe(410);
    expect(read.json.error.code).toBe('erased');
    expect(read.json.error.hint).toBeTruthy();
    expect((await api.patch(`/contacts/${contact}`, { name: 'Back' })).status).toBe(410);
    expect((await api.post(`/contacts/${contact}/restore`)).status).toBe(410);
    // Its history still answers, with nothing personal in it.
    const history = await api.get(`/contacts/${contact}/history`);
    expect(history.status, history.text).toBeLessThan(500);
    for (const needle of NEEDLES) expect(history.text.toLowerCase()).not.toContain(needle.toLowerCase());
    // A second erasure says so, without asking for a code.
    const again = await api.post(`/contacts/${contact}/erase`);
    expect(again.status).toBe(410);
    expect(again.json.error.message).toContain('already erased');
    // A retry of the create with its key does not run it again: it replays as erased.
    const retry = await api.post(
      '/contacts',
      {
        name: NAME,
        email: OLD_EMAIL,
        phone: PHONE,
        title: 'Chief Falconer',
        tags: ['vip'],
        custom: { nick: 'zq' },
      },
      { 'idempotency-key': 'erase-create-1' },
    );
    expect(retry.status, retry.text).toBe(410);
    expect(retry.json.error.code).toBe('erased');
    expect(await countRows('contacts')).toBe(before.contacts);
    expect(await scanDatabase(t)).toEqual([]);

    // The deal keeps its link to the tombstone, its title without the name.
    const dealAfter = await api.get(`/deals/${deal}`);
    expect(dealAfter.json.data.contact_id).toBe(contact);
    expect(dealAfter.json.data.title).toBe('[erased] renewal');
    // Someone else's words stay searchable, typos and all.
    const found = await api.get('/contacts?search=falconr');
    expect(found.json.data.map((c: { id: string }) => c.id)).toEqual([bystander]);

    // The agent's pending proposal about the person can no longer run as proposed.
    const stale = await api.get(`/proposals/${proposal}`);
    expect(stale.json.data).toMatchObject({ status: 'stale', diff: {} });
    // The export of the tombstone shows that nothing personal is left.
    const doc = (await api.get(`/contacts/${contact}/export`)).json.data;
    expect(doc.record).toMatchObject({ name: null, email: null, phone: null, erased_at: expect.any(String) });
    expect(doc.history.at(-1).operation).toBe('contacts.erase');
    expect(doc.history.slice(0, 2).map((h: { changes: unknown }) => h.changes)).toEqual([null, null]);
  });

  it('is for admins only: the workspace agent is refused', async () => {
    const reply = await t.app.request(`/contacts/${bystander}/erase`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent.token}`, accept: 'application/json' },
    });
    expect(reply.status).toBe(403);
    const exported = await t.app.request(`/contacts/${bystander}/export`, {
      headers: { authorization: `Bearer ${agent.token}`, accept: 'application/json' },
    });
    expect(exported.status).toBe(403);
  });
});
