import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { type CompiledQuery, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../src/app.js';
import type { Store } from '../src/store/connect.js';
import { postgresCapabilities, sqliteCapabilities } from '../src/store/dialect.js';
import type { Database } from '../src/store/schema.js';
import { type Agent, bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';
import { inviteHuman } from './mailbox.js';

// Issue 15, item 5: the policy's decision (contact.sensitive_field needs the contact as it is) and
// the handler (upsert, field holds, the versioned update) share the row they load, so a write reads
// the contact once. The queries are counted on a second app instance whose Kysely logs what it sends.

/** An app on the test's database whose every query lands in `sent`. */
function recordingApp(t: TestApp, sent: CompiledQuery[]): { app: App; store: Store } {
  const log = (event: { level: string; query: CompiledQuery }) => {
    if (event.level === 'query') sent.push(event.query);
  };
  let db: Kysely<Database>;
  if (t.config.databaseUrl) {
    const pool = new pg.Pool({ connectionString: t.config.databaseUrl, max: 2 });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
  } else {
    const file = path.join(t.config.dataDir, 'agentcrm.sqlite');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SqliteDatabase(file) }), log });
  }
  const store: Store = {
    db,
    countersDb: db,
    dialect: t.config.databaseUrl ? postgresCapabilities : sqliteCapabilities,
    sqlitePath: undefined,
    ping: async () => {},
    durable: async () => {},
    durability: () => null,
    onFlush: () => {},
    pools: () => [],
    authChanges: () => null,
    close: () => db.destroy(),
  };
  return { app: createApp({ config: t.config, store, clock: t.clock }), store };
}

/** The SELECTs that read rows of `table` (joins and subqueries of other reads excluded). */
const readsOf = (sent: CompiledQuery[], table: string) =>
  sent.filter((query) => new RegExp(`^select\\b[\\s\\S]*?\\bfrom\\s+"${table}"(\\s|$)`, 'i').test(query.sql));

describe.each(DIALECTS)('a write reads its contact once on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let withHolds: Agent;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app, 'one_read');
    withHolds = await bootstrapAgent(t.app, 'one_read_holds');
    const human = await inviteHuman(t.app, t.config.dataDir, withHolds, 'owner@one-read.dev');
    const policy = await call(
      t.app,
      'PATCH',
      '/policy',
      { hold_human_edited_fields: true },
      { token: human.token, json: true },
    );
    expect(policy.status, policy.text).toBe(200);
  });
  afterAll(async () => t.close());

  /** Runs one request on the recording app; answers its reply and the contact reads it made. */
  async function counted(token: string, method: string, target: string, body: unknown, table = 'contacts') {
    const sent: CompiledQuery[] = [];
    const { app, store } = recordingApp(t, sent);
    try {
      const reply = await call(app, method, target, body, { token, json: true });
      return { reply, reads: readsOf(sent, table) };
    } finally {
      await app.services.meter.stop();
      await store.close();
    }
  }

  for (const [label, who] of [
    ['default policy', () => agent],
    ['hold_human_edited_fields on', () => withHolds],
  ] as const) {
    it(`POST /contacts onto an existing contact (upsert by email), ${label}`, async () => {
      const email = `upsert.${label.length}@one-read.dev`;
      const created = await call(
        t.app,
        'POST',
        '/contacts',
        { name: 'Ada', email },
        { token: who().token, json: true },
      );
      expect(created.status, created.text).toBe(201);
      const { reply, reads } = await counted(who().token, 'POST', '/contacts', {
        email,
        title: 'CTO',
      });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.json.data).toMatchObject({ id: created.json.data.id, title: 'CTO', version: 2 });
      expect(reads.map((q) => q.sql)).toHaveLength(1);
    });

    it(`PATCH /contacts/{id}, ${label}`, async () => {
      const created = await call(
        t.app,
        'POST',
        '/contacts',
        { name: 'Grace', email: `patch.${label.length}@one-read.dev` },
        { token: who().token, json: true },
      );
      expect(created.status, created.text).toBe(201);
      const id = created.json.data.id as string;
      const { reply, reads } = await counted(who().token, 'PATCH', `/contacts/${id}`, { title: 'CEO' });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.json.data).toMatchObject({ id, title: 'CEO', version: 2 });
      expect(reads.map((q) => q.sql)).toHaveLength(1);
    });
  }

  it('a sensitive change by an agent is still denied, from the one read', async () => {
    const created = await call(
      t.app,
      'POST',
      '/contacts',
      { name: 'Lin', email: 'lin@one-read.dev', phone: '+1 555 0100' },
      { token: agent.token, json: true },
    );
    const id = created.json.data.id as string;
    const { reply, reads } = await counted(agent.token, 'PATCH', `/contacts/${id}`, {
      phone: '+1 555 0199',
    });
    expect(reply.status, reply.text).toBe(403);
    expect(reply.json.policy).toMatchObject({ decision: 'deny', reason_code: 'contact.sensitive_field' });
    expect(reads).toHaveLength(1);
  });

  it('PATCH /deals/{id} and POST /tasks/{id}/complete read their record once too', async () => {
    const deal = await call(
      t.app,
      'POST',
      '/deals',
      { title: 'Renewal' },
      { token: agent.token, json: true },
    );
    expect(deal.status, deal.text).toBe(201);
    const patched = await counted(
      agent.token,
      'PATCH',
      `/deals/${deal.json.data.id}`,
      { stage: 'proposal' },
      'deals',
    );
    expect(patched.reply.status, patched.reply.text).toBe(200);
    expect(patched.reads).toHaveLength(1);

    const task = await call(
      t.app,
      'POST',
      '/tasks',
      { title: 'Call back' },
      { token: agent.token, json: true },
    );
    expect(task.status, task.text).toBe(201);
    const done = await counted(agent.token, 'POST', `/tasks/${task.json.data.id}/complete`, {}, 'tasks');
    expect(done.reply.status, done.reply.text).toBe(200);
    expect(done.reply.json.data).toMatchObject({ status: 'done' });
    expect(done.reads).toHaveLength(1);
  });
});
