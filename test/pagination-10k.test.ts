import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactsTable } from '../src/store/schema.js';
import { type Agent, bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';

const FIRST = [
  'Ann',
  'Anna',
  'Joanne',
  'Hannah',
  'Annette',
  'Bob',
  'Carl',
  'Dina',
  'Eli',
  'Fay',
  'Gus',
  'Hal',
];
const LAST = ['Smith', 'Jones', 'Brannigan', 'Lee', 'Nguyen', 'Kowalski', 'Garcia', 'Okafor', 'Silva'];
const STAGES = ['lead', 'qualified', 'customer', null];

let serial = 0;
function contactRow(
  workspaceId: string,
  at: string,
): Omit<ContactsTable, 'workspace_id'> & { workspace_id: string } {
  const i = serial++;
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[(i * 7) % LAST.length]!;
  return {
    workspace_id: workspaceId,
    id: `c_${i.toString(36).padStart(16, '0')}`,
    name: i % 13 === 0 ? null : `${first} ${last}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}${i}@mail${i % 20}.example`,
    phone: null,
    title: i % 5 === 0 ? 'Buyer' : null,
    stage: STAGES[i % STAGES.length]!,
    company_id: null,
    tags: '[]',
    custom: '{}',
    follow_up_at: i % 3 === 0 ? null : new Date(Date.UTC(2026, 0, 1) + (i % 997) * 3_600_000).toISOString(),
    follow_up_note: null,
    do_not_contact: 0,
    owner: null,
    version: 1,
    // Many rows share a created_at, so the id tie-break is exercised.
    created_at: new Date(Date.parse(at) + Math.floor(i / 7) * 1000).toISOString(),
    updated_at: at,
    deleted_at: null,
  };
}

describe.each(DIALECTS)('walking 10k contacts while another writer works, on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app, 'walker');
    const rows = Array.from({ length: 10_000 }, () =>
      contactRow(agent.workspaceId, '2026-02-01T00:00:00.000Z'),
    );
    await t.store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 500) {
        await trx
          .insertInto('contacts')
          .values(rows.slice(i, i + 500))
          .execute();
      }
    });
  }, 120_000);
  afterAll(async () => t.close());

  const liveIds = async () =>
    (
      await t.store.db
        .selectFrom('contacts')
        .select('id')
        .where('workspace_id', '=', agent.workspaceId)
        .where('deleted_at', 'is', null)
        .execute()
    ).map((r) => r.id);

  it.each([
    'sort=created_at',
    'sort=-name',
    'stage=not:customer&sort=follow_up_at',
    'search=ann',
    'search=brannigan%20ann',
  ])(
    '%s: no row twice, every surviving row exactly once',
    async (query) => {
      const before = new Set(await liveIds());
      const deleted = new Set<string>();
      const inserted = new Set<string>();
      const seen: string[] = [];
      let cursor: string | null = null;
      let page = 0;
      do {
        const target: string = `/contacts?${query}&limit=200${cursor ? `&cursor=${cursor}` : ''}`;
        const reply = await call(t.app, 'GET', target, undefined, { token: agent.token, json: true });
        expect(reply.status, reply.text.slice(0, 300)).toBe(200);
        seen.push(...reply.json.data.map((c: { id: string }) => c.id));
        cursor = reply.json.next_cursor;
        // Between pages another writer inserts rows and deletes some (soft and hard), seen or not.
        const now = t.clock.now().toISOString();
        const fresh = Array.from({ length: 25 }, () => contactRow(agent.workspaceId, now));
        await t.store.db.insertInto('contacts').values(fresh).execute();
        for (const row of fresh) inserted.add(row.id);
        const live = [...before].filter((id) => !deleted.has(id));
        const victims = Array.from({ length: 20 }, (_, k) => live[(page * 491 + k * 257) % live.length]!);
        const [soft, hard] = [victims.slice(0, 10), victims.slice(10)];
        await t.store.db.updateTable('contacts').set({ deleted_at: now }).where('id', 'in', soft).execute();
        await t.store.db.deleteFrom('contacts').where('id', 'in', hard).execute();
        for (const id of victims) deleted.add(id);
        t.clock.advance(1000);
        page++;
      } while (cursor);

      expect(new Set(seen).size).toBe(seen.length);
      // The rows the query selects among those that lived through the whole walk.
      const survivorsNow = new Set(await liveIds());
      const expected = await matching(
        query,
        [...before].filter((id) => survivorsNow.has(id)),
      );
      const seenSet = new Set(seen);
      const missed = expected.filter((id) => !seenSet.has(id));
      expect(missed).toEqual([]);
      for (const id of seen) expect(before.has(id) || inserted.has(id)).toBe(true);
      expect(page).toBeGreaterThan(dialect && query.startsWith('search=brannigan') ? 1 : 5);
    },
    120_000,
  );

  /** Which of `ids` the query's filters select now, asked without paging. */
  async function matching(query: string, ids: string[]): Promise<string[]> {
    const filters = query
      .split('&')
      .filter((part) => !part.startsWith('sort='))
      .join('&');
    const all = new Set<string>();
    let cursor: string | null = null;
    do {
      const target: string = `/contacts?${filters}${filters ? '&' : ''}sort=id&limit=200${cursor ? `&cursor=${cursor}` : ''}`;
      const reply = await call(t.app, 'GET', target, undefined, { token: agent.token, json: true });
      for (const c of reply.json.data as { id: string }[]) all.add(c.id);
      cursor = reply.json.next_cursor;
    } while (cursor);
    return ids.filter((id) => all.has(id));
  }
});
