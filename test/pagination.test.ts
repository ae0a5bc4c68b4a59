import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';

describe.each(DIALECTS)('keyset pagination under concurrent writes on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app);
  });
  afterAll(async () => t.close());

  it.each(['created_at', '-created_at', 'name', '-email'])(
    'sort=%s returns every surviving row exactly once',
    async (sort) => {
      const prefix = `p${sort.startsWith('-') ? 'desc' : 'asc'}${sort.replace(/\W/g, '')}`;
      const ids: string[] = [];
      for (let i = 0; i < 120; i++) {
        t.clock.advance(1);
        const reply = await call(
          t.app,
          'POST',
          '/contacts',
          { name: `${prefix} ${String(i).padStart(3, '0')}`, email: `${prefix}${i}@x.dev`, tags: [prefix] },
          { token: agent.token, json: true },
        );
        ids.push(reply.json.data.id);
      }
      const deleted = new Set<string>();
      const inserted: string[] = [];
      const seen: string[] = [];
      let cursor: string | null = null;
      let page = 0;
      do {
        const reply = await call(
          t.app,
          'GET',
          `/contacts?tags=${prefix}&sort=${sort}&limit=10${cursor ? `&cursor=${cursor}` : ''}`,
          undefined,
          { token: agent.token, json: true },
        );
        expect(reply.status).toBe(200);
        seen.push(...reply.json.data.map((c: { id: string }) => c.id));
        cursor = reply.json.next_cursor;
        // Between pages another writer deletes rows (seen and unseen) and inserts new ones.
        const victim = ids[(page * 37) % ids.length]!;
        if (!deleted.has(victim)) {
          await t.store.db.deleteFrom('contacts').where('id', '=', victim).execute();
          deleted.add(victim);
        }
        t.clock.advance(1);
        const added = await call(
          t.app,
          'POST',
          '/contacts',
          { name: `${prefix} new ${page}`, tags: [prefix] },
          { token: agent.token, json: true },
        );
        inserted.push(added.json.data.id);
        page++;
      } while (cursor);

      expect(new Set(seen).size).toBe(seen.length);
      const survivors = ids.filter((id) => !deleted.has(id));
      for (const id of survivors) expect(seen).toContain(id);
      for (const id of seen) expect(ids.includes(id) || inserted.includes(id)).toBe(true);
    },
  );
});
