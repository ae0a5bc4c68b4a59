import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RANK_AT_MOST } from '../src/records/search/search.repository.js';
import { call, createTestApp, DIALECTS, type TestApp } from './harness.js';
import { signIn } from './mailbox.js';

// A search that matches more rows than can be ranked cheaply comes in the list's usual order, with
// a warning, and still pages through exactly the matching rows.
describe.each(DIALECTS)('broad searches on %s', (dialect) => {
  let t: TestApp;
  let token: string;
  const BROAD = RANK_AT_MOST + 100;

  beforeAll(async () => {
    t = await createTestApp(dialect, { PLAN_OVERRIDES: JSON.stringify({ sandbox: { contacts: 10_000 } }) });
    token = (await signIn(t.app, t.config.dataDir, 'owner@example.com')).token;
    const items = Array.from({ length: BROAD }, (_, i) => ({
      name: `Person ${i} Zanzibar`,
      email: `person${i}@example.com`,
    }));
    items.push({ name: 'Quentin Zanzibarr', email: 'q@example.org' });
    for (let from = 0; from < items.length; from += 600) {
      const sent = await call(
        t.app,
        'POST',
        '/contacts/batch',
        { items: items.slice(from, from + 600) },
        { token, json: true },
      );
      expect(sent.status, sent.text).toBe(202);
      const id = sent.json.data.operation_id;
      for (;;) {
        const status = (await call(t.app, 'GET', `/operations/${id}`, undefined, { token, json: true })).json
          .data.status;
        if (status !== 'queued' && status !== 'running') {
          expect(status).toBe('succeeded');
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }, 120_000);
  afterAll(async () => t.close());

  it('lists a broad match in the usual order, says so, and pages through every match once', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const reply = await call(
        t.app,
        'GET',
        `/contacts?search=zanzibar&limit=200&format=json${cursor ? `&cursor=${cursor}` : ''}`,
        undefined,
        { token, json: true },
      );
      expect(reply.status, reply.text).toBe(200);
      expect(reply.json.warnings.map((w: { code: string }) => w.code)).toContain('search_broad');
      const created = reply.json.data.map((c: { created_at: string }) => c.created_at);
      expect(created).toEqual([...created].sort());
      for (const contact of reply.json.data) {
        expect(contact.name.toLowerCase()).toContain('zanzibar');
        seen.add(contact.id);
      }
      cursor = reply.json.next_cursor;
      pages++;
    } while (cursor && pages < 20);
    expect(seen.size).toBe(BROAD + 1);
  });

  it('ranks a narrow search as before', async () => {
    const reply = await call(t.app, 'GET', '/contacts?search=quentin', undefined, { token, json: true });
    expect(reply.status).toBe(200);
    expect(reply.json.warnings).toEqual([]);
    expect(reply.json.data.map((c: { email: string }) => c.email)).toEqual(['q@example.org']);
  });
});
