import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { setPolicy } from '../../test/mailbox.js';
import { scopeTo } from '../store/scoped.js';
import { moveContactReferences } from './merge.repository.js';

describe.each(DIALECTS)('duplicates and merge on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let other: Agent;
  const ids: Record<string, string> = {};
  let acme = '';
  let globex = '';

  const as = (token: string) => ({ token, json: true });
  const post = async (label: string, body: Record<string, unknown>, token = agent.token) => {
    t.clock.advance(1000);
    const reply = await call(t.app, 'POST', '/contacts', body, as(token));
    if (reply.status !== 201) throw new Error(reply.text);
    ids[label] = reply.json.data.id;
    return reply.json.data.id as string;
  };
  const company = async (id: string, name: string) => {
    const now = t.clock.now().toISOString();
    await t.store.db
      .insertInto('companies')
      .values({
        workspace_id: agent.workspaceId,
        id,
        name,
        domain: null,
        industry: null,
        size: null,
        website: null,
        tags: '[]',
        custom: '{}',
        version: 1,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })
      .execute();
    return id;
  };
  const get = (id: string, token = agent.token) =>
    call(t.app, 'GET', `/contacts/${id}`, undefined, as(token));
  const merge = (survivor: string, from: string[], token = agent.token) =>
    call(t.app, 'POST', `/contacts/${survivor}/merge`, { from }, as(token));
  const label = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0] ?? id;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app, 'merger');
    // These tests are about what a merge does; an agent's merge that fills a sensitive field
    // waits for a human by default (src/policy/sensitive-fields.test.ts), so this workspace lets
    // agents fill empty ones.
    await setPolicy(t.app, t.config.dataDir, agent, { agents_fill_empty_sensitive_fields: true });
    other = await bootstrapAgent(t.app, 'outsider');
    acme = await company('co_acme000000000000', 'Acme');
    globex = await company('co_globex00000000000'.slice(0, 19), 'Globex');
    await post('jane', {
      name: 'Jane Doe',
      email: 'jane.doe+crm@gmail.com',
      tags: ['vip'],
      custom: { tier: 'gold' },
    });
    await post('jane2', {
      name: 'J. Doe',
      email: 'janedoe@googlemail.com',
      phone: '+1 (555) 010-0200',
      title: 'CFO',
      tags: ['renewal', 'vip'],
      custom: { tier: 'silver', seats: 5 },
    });
    await post('sam', { name: 'Sam Lee', phone: '1 555 010 0200' });
    await post('mary', { name: "Mary-Ann O'Neil", company_id: acme });
    await post('mary2', { name: 'mary ann oneil', company_id: acme, email: 'mary@acme.example' });
    await post('mary_globex', { name: 'Mary Ann ONeil', company_id: globex });
    await post('solo', { name: 'Solo Person', email: 'solo@example.org', phone: '555' });
    await post('outsider_jane', { name: 'Jane Doe', email: 'jane.doe@gmail.com' }, other.token);
  });
  afterAll(async () => t.close());

  it('groups contacts by normalised email, phone digits and near-identical names at one company', async () => {
    const reply = await call(t.app, 'GET', '/contacts/duplicates', undefined, as(agent.token));
    expect(reply.status, reply.text).toBe(200);
    const groups = reply.json.data.map((g: { reason: string; key: string; contact_ids: string[] }) => [
      g.reason,
      g.key,
      g.contact_ids.map(label),
    ]);
    expect(groups).toEqual([
      ['same_email', 'janedoe@gmail.com', ['jane', 'jane2']],
      ['same_phone', '15550100200', ['jane2', 'sam']],
      ['similar_name', `${acme}:maryannoneil`, ['mary', 'mary2']],
    ]);
    expect(reply.json.data[0]).toMatchObject({ count: 2, survivor: `contact/${ids.jane}` });
    expect(reply.json.next_actions[0].tool_name).toBe('contacts.merge');
    const text = await call(t.app, 'GET', '/contacts/duplicates', undefined, { token: agent.token });
    expect(text.text).toContain(
      `duplicates/same_email key=janedoe@gmail.com count=2 contacts=contact/${ids.jane},contact/${ids.jane2}\n`,
    );
  });

  it('is a literal route: /contacts/duplicates does not reach contacts.get, and contacts.get still works', async () => {
    const dup = await call(
      t.app,
      'GET',
      '/contacts/duplicates?reason=same_phone',
      undefined,
      as(agent.token),
    );
    expect(dup.status).toBe(200);
    expect(dup.json.data.map((g: { reason: string }) => g.reason)).toEqual(['same_phone']);
    expect((await get(ids.jane!)).json.data.name).toBe('Jane Doe');
    expect((await get(`contact/${ids.jane}`)).status).toBe(200);
    const bad = await call(t.app, 'GET', '/contacts/duplicates?reason=colour', undefined, as(agent.token));
    expect(bad.status).toBe(400);
  });

  it('pages groups with a cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const target: string = `/contacts/duplicates?limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const reply = await call(t.app, 'GET', target, undefined, as(agent.token));
      expect(reply.status).toBe(200);
      seen.push(...reply.json.data.map((g: { reason: string }) => g.reason));
      cursor = reply.json.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['same_email', 'same_phone', 'similar_name']);
    const forged = await call(t.app, 'GET', '/contacts/duplicates?cursor=bm9wZQ', undefined, as(agent.token));
    expect(forged.json.error.code).toBe('invalid_cursor');
  });

  it("never groups or shows another workspace's contacts", async () => {
    const reply = await call(t.app, 'GET', '/contacts/duplicates', undefined, as(other.token));
    expect(reply.json.data).toEqual([]);
  });

  it("refuses another workspace's ids with 404 and changes nothing", async () => {
    const before = await t.store.db.selectFrom('contacts').select(['id', 'version', 'deleted_at']).execute();
    const audits = await t.store.db.selectFrom('audit_log').select('id').execute();
    const replies = [
      await merge(ids.jane!, [ids.outsider_jane!]),
      await merge(ids.outsider_jane!, [ids.jane2!]),
      await merge(ids.jane!, [ids.jane2!], other.token),
      await merge(ids.jane!, [ids.jane2!, 'c_0000000000000000']),
    ];
    for (const reply of replies) {
      expect(reply.status).toBe(404);
      expect(reply.json.error.code).toBe('not_found');
      expect(reply.json.error.hint.length).toBeGreaterThan(0);
    }
    expect(await t.store.db.selectFrom('contacts').select(['id', 'version', 'deleted_at']).execute()).toEqual(
      before,
    );
    expect(await t.store.db.selectFrom('audit_log').select('id').execute()).toHaveLength(audits.length);
  });

  it('refuses a survivor merged into itself and an empty list', async () => {
    expect((await merge(ids.jane!, [ids.jane!])).status).toBe(400);
    expect((await merge(ids.jane!, [])).status).toBe(400);
  });

  it('merges: fills empty fields, unites tags, adds custom keys, soft-deletes and audits', async () => {
    const reply = await merge(ids.jane!, [ids.jane2!]);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.json.data).toMatchObject({
      id: ids.jane,
      name: 'Jane Doe',
      email: 'jane.doe+crm@gmail.com',
      phone: '+1 (555) 010-0200',
      title: 'CFO',
      tags: ['vip', 'renewal'],
      custom: { tier: 'gold', seats: 5 },
      version: 2,
    });
    expect((await get(ids.jane2!)).status).toBe(404);
    const list = await call(t.app, 'GET', '/contacts?search=doe', undefined, as(agent.token));
    expect(list.json.data.map((c: { id: string }) => label(c.id))).toEqual(['jane']);
    const gone = await t.store.db
      .selectFrom('contacts')
      .select(['deleted_at', 'version'])
      .where('id', '=', ids.jane2!)
      .executeTakeFirstOrThrow();
    expect(gone).toEqual({ deleted_at: t.clock.now().toISOString(), version: 2 });
    const audits = await t.store.db
      .selectFrom('audit_log')
      .select(['target', 'changes', 'operation'])
      .where('operation', '=', 'contacts.merge')
      .execute();
    const audit = (id: string) => JSON.parse(audits.find((a) => a.target === `contact/${id}`)!.changes!);
    expect(audits).toHaveLength(2);
    expect(audit(ids.jane2!)).toMatchObject({ merged_into: [null, `contact/${ids.jane}`] });
    expect(audit(ids.jane!)).toMatchObject({
      phone: [null, '+1 (555) 010-0200'],
      merged_from: [null, [`contact/${ids.jane2}`]],
    });
    // The groups the merged contact was in are gone.
    const dups = await call(t.app, 'GET', '/contacts/duplicates', undefined, as(agent.token));
    expect(dups.json.data.map((g: { reason: string }) => g.reason)).toEqual(['same_phone', 'similar_name']);
  });

  it('lets the survivor take an email only a merged contact held', async () => {
    const reply = await merge(ids.mary!, [ids.mary2!]);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.json.data).toMatchObject({ name: "Mary-Ann O'Neil", email: 'mary@acme.example' });
    const upsert = await call(
      t.app,
      'POST',
      '/contacts',
      { email: 'mary@acme.example', title: 'COO' },
      as(agent.token),
    );
    expect(upsert.json.data.id).toBe(ids.mary);
  });

  it('moves every listed reference to the survivor, in the caller workspace only', async () => {
    await sql`create table merge_refs (workspace_id text not null, id text not null, contact_id text,
      version integer not null, updated_at text not null)`.execute(t.store.db);
    const now = t.clock.now().toISOString();
    await t.store.db
      .insertInto('merge_refs' as never)
      .values([
        { workspace_id: agent.workspaceId, id: 'r1', contact_id: 'c_from1', version: 1, updated_at: 'x' },
        { workspace_id: agent.workspaceId, id: 'r2', contact_id: 'c_from2', version: 1, updated_at: 'x' },
        { workspace_id: agent.workspaceId, id: 'r3', contact_id: 'c_keep', version: 1, updated_at: 'x' },
        { workspace_id: other.workspaceId, id: 'r4', contact_id: 'c_from1', version: 1, updated_at: 'x' },
      ] as never)
      .execute();
    const ws = scopeTo(t.store.db, t.store.dialect, agent.workspaceId);
    const moved = await moveContactReferences(
      ws,
      [{ table: 'merge_refs', column: 'contact_id', versioned: true }],
      ['c_from1', 'c_from2'],
      'c_survivor',
      now,
    );
    expect(moved.counts).toEqual({ 'merge_refs.contact_id': 2 });
    // Each moved row comes back with what it pointed at, for its audit row.
    expect([...moved.rows].sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual([
      { table: 'merge_refs', id: 'r1', before: 'c_from1', version: 2 },
      { table: 'merge_refs', id: 'r2', before: 'c_from2', version: 2 },
    ]);
    const { rows } = await sql<{
      id: string;
      contact_id: string;
      version: number;
      updated_at: string;
    }>`select id, contact_id, version, updated_at from merge_refs order by id`.execute(t.store.db);
    expect(rows).toEqual([
      { id: 'r1', contact_id: 'c_survivor', version: 2, updated_at: now },
      { id: 'r2', contact_id: 'c_survivor', version: 2, updated_at: now },
      { id: 'r3', contact_id: 'c_keep', version: 1, updated_at: 'x' },
      { id: 'r4', contact_id: 'c_from1', version: 1, updated_at: 'x' },
    ]);
  });
});
