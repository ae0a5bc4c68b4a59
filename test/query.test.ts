import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../src/app.js';
import type { IdSource } from '../src/ids.js';
import { type Agent, bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';

/** Predictable ids, so ties broken by id order the same way on every database. */
function sequentialIds(): IdSource {
  let n = 0;
  return { next: (prefix) => `${prefix}_${(++n).toString(36).padStart(16, '0')}` };
}

/**
 * The query language, table-driven: each query runs on every database, paged with limit=3, and
 * must return exactly the ids a model of the documented semantics computes from the inserted
 * data, in the same order. The model is written here, independently of the SQL.
 */

interface Company {
  id: string;
  name: string;
  domain: string;
  tags: string[];
  custom: Record<string, unknown>;
  live: boolean;
}

interface Contact {
  label: string;
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  title: string | null;
  stage: string | null;
  company_id: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  follow_up_at: string | null;
  follow_up_note: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

type Row = Contact & { company: Company | null };
type Case = [query: string, keep: (row: Row) => boolean, sort?: string];

const NAMES = [
  'Alice Archer',
  'bob baker',
  'Bob Brown',
  null,
  'Émile Zola',
  'alice cooper',
  'Carol',
  'dave',
  'Eve',
  'Mallory',
  null,
  'Trent',
  'Peggy',
  'Victor',
  'Walter',
  'zoe',
  'Zoe',
  'ALICE',
  'Oscar',
  'Ng',
  'Yu',
  'Xavier',
  'Wendy',
  'Quinn',
];
const TAGS = [[], ['vip'], ['renewal'], ['vip', 'renewal'], ['churn-risk'], ['vip', 'churn-risk']];

const lower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** A custom value as the query language compares it: strings as is, other JSON as its text. */
const customText = (value: unknown) =>
  value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);
const like = (value: string | null, pattern: string) => {
  if (value === null) return false;
  const p = lower(pattern);
  if (!p.includes('*')) return lower(value).includes(p);
  const regex = new RegExp(
    `^${p
      .split('*')
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    's',
  );
  return regex.test(lower(value));
};

/** The documented order: by the field (NULLs last either way), ties by id in the same direction. */
function sortRows(rows: Row[], sort = 'created_at'): Row[] {
  const desc = sort.startsWith('-');
  const field = sort.replace(/^-/, '') as keyof Contact;
  return [...rows].sort((a, b) => {
    const x = a[field] as string | null;
    const y = b[field] as string | null;
    if (x === null && y !== null) return 1;
    if (y === null && x !== null) return -1;
    const byField = x === null || y === null ? 0 : cmp(x, y);
    const order = byField !== 0 ? byField : cmp(a.id, b.id);
    return desc ? -order : order;
  });
}

const results: Record<string, Record<string, string[]>> = {};

describe.each(DIALECTS)('the query language on %s', (dialect) => {
  let t: TestApp;
  let app: App;
  let agent: Agent;
  const rows: Row[] = [];
  const companies: Record<string, Company> = {};
  results[dialect] = {};

  beforeAll(async () => {
    t = await createTestApp(dialect);
    app = createApp({ config: t.config, store: t.store, clock: t.clock, ids: sequentialIds() });
    agent = await bootstrapAgent(app, 'query_tester');
    const now = () => t.clock.now().toISOString();
    const company = async (key: string, name: string, domain: string, extra: Partial<Company>) => {
      const id = `co_${key.padEnd(16, '0')}`;
      const tags = extra.tags ?? [];
      const custom = extra.custom ?? {};
      await t.store.db
        .insertInto('companies')
        .values({
          workspace_id: agent.workspaceId,
          id,
          name,
          domain,
          industry: null,
          size: null,
          website: null,
          tags: JSON.stringify(tags),
          custom: JSON.stringify(custom),
          version: 1,
          created_at: now(),
          updated_at: now(),
          deleted_at: null,
        })
        .execute();
      companies[key] = { id, name, domain, tags, custom, live: true };
    };
    await company('acme', 'ACME Corp', 'acme.com', { tags: ['enterprise'], custom: { tier: 'gold' } });
    await company('globex', 'Globex', 'globex.dev', {});
    await company('gone', 'Gone Ltd', 'old.example', { tags: ['enterprise'] });
    const companyOf = [companies.acme, companies.globex, companies.gone, null];

    for (let i = 0; i < NAMES.length; i++) {
      if (i % 5 !== 4) t.clock.advance(1000); // every fifth shares its created_at with the one before
      const custom: Record<string, unknown> = {};
      if (i % 3 === 0) Object.assign(custom, { tier: 'gold', score: i });
      if (i % 3 === 1) Object.assign(custom, { tier: 'silver', score: String(i) });
      if (i % 7 === 0) custom.flag = true;
      const body = {
        name: NAMES[i] ?? undefined,
        email: i % 4 === 3 ? undefined : `user${i}@${['acme.com', 'globex.dev', 'example.org'][i % 3]}`,
        phone: i % 4 === 0 ? `+1 555 01${String(i).padStart(2, '0')}` : undefined,
        title: i % 5 === 0 ? undefined : ['CEO', 'CTO', 'VP Sales', 'engineer'][i % 4],
        stage: [undefined, 'lead', 'qualified', 'customer', 'lead'][i % 5],
        company_id: companyOf[i % 4]?.id,
        tags: TAGS[i % 6],
        custom,
        follow_up_at: i % 3 === 2 ? undefined : new Date(Date.UTC(2026, 3 + (i % 5), 1 + i, 9)).toISOString(),
        follow_up_note: i % 2 ? `note ${i}` : undefined,
      };
      if (!body.name && !body.email) body.email = `fallback${i}@example.org`;
      let reply = await call(app, 'POST', '/contacts', body, { token: agent.token, json: true });
      expect(reply.status, reply.text).toBe(201);
      if (i % 6 === 0) {
        t.clock.advance(10);
        reply = await call(
          app,
          'PATCH',
          `/contacts/${reply.json.data.id}`,
          { title: 'Founder' },
          { token: agent.token, json: true },
        );
      }
      const data = reply.json.data as Contact;
      rows.push({ ...data, label: `row${i}`, company: companyOf[i % 4] ?? null });
    }
    await t.store.db
      .updateTable('companies')
      .set({ deleted_at: now() })
      .where('id', '=', companies.gone!.id)
      .execute();
    companies.gone!.live = false;
  });
  afterAll(async () => t.close());

  const liveCompany = (row: Row) => (row.company?.live ? row.company : null);
  const time = (text: string) => new Date(text).toISOString();

  const cases = (): Case[] => {
    const middle = rows[10]!.created_at;
    return [
      ['', () => true],
      ['stage=lead', (r) => r.stage === 'lead'],
      ['stage=eq:lead', (r) => r.stage === 'lead'],
      ['stage=ne:lead', (r) => r.stage !== 'lead'],
      ['stage=in:lead,qualified', (r) => r.stage === 'lead' || r.stage === 'qualified'],
      ['stage=not:lead,qualified', (r) => r.stage !== 'lead' && r.stage !== 'qualified'],
      ['stage=is:null', (r) => r.stage === null],
      ['stage=not:null', (r) => r.stage !== null],
      ['name=like:ali', (r) => like(r.name, 'ali')],
      ['name=like:B*', (r) => like(r.name, 'b*')],
      ['name=like:*er', (r) => like(r.name, '*er')],
      ['name=gt:M', (r) => r.name !== null && r.name > 'M'],
      ['name=gte:Zoe', (r) => r.name !== null && r.name >= 'Zoe'],
      ['name=lt:Bob', (r) => r.name !== null && r.name < 'Bob'],
      ['name=lte:bob%20baker', (r) => r.name !== null && r.name <= 'bob baker'],
      ['name=%C3%89mile%20Zola', (r) => r.name === 'Émile Zola'],
      ['email=user1@globex.dev', (r) => r.email === 'user1@globex.dev'],
      ['email=like:acme.com', (r) => like(r.email, 'acme.com')],
      ['email=is:null', (r) => r.email === null],
      ['title=in:CEO,Founder', (r) => r.title === 'CEO' || r.title === 'Founder'],
      ['phone=not:null', (r) => r.phone !== null],
      ['follow_up_note=like:note%201', (r) => like(r.follow_up_note, 'note 1')],
      [
        'follow_up_at=gte:2026-06-01T00:00:00Z',
        (r) => r.follow_up_at !== null && r.follow_up_at >= '2026-06-01T00:00:00.000Z',
      ],
      [
        'follow_up_at=lt:2026-06-01T02:00:00%2B02:00',
        (r) => r.follow_up_at !== null && r.follow_up_at < '2026-06-01T00:00:00.000Z',
      ],
      [
        'follow_up_at=gte:2026-05-01&follow_up_at=lt:2026-07-01T00:00:00Z',
        (r) =>
          r.follow_up_at !== null &&
          r.follow_up_at >= time('2026-05-01') &&
          r.follow_up_at < time('2026-07-01'),
      ],
      ['follow_up_at=is:null', (r) => r.follow_up_at === null],
      [`created_at=gt:${encodeURIComponent(middle)}`, (r) => r.created_at > middle],
      [`created_at=eq:${encodeURIComponent(middle)}`, (r) => r.created_at === middle],
      [`created_at=lte:${encodeURIComponent(middle)}`, (r) => r.created_at <= middle],
      ['version=2', (r) => r.version === 2],
      ['version=gt:1.5', (r) => r.version > 1.5],
      ['version=in:1,3', (r) => r.version === 1 || r.version === 3],
      ['tags=vip', (r) => r.tags.includes('vip')],
      ['tags=ne:vip', (r) => !r.tags.includes('vip')],
      ['tags=in:renewal,churn-risk', (r) => r.tags.includes('renewal') || r.tags.includes('churn-risk')],
      ['tags=not:vip,renewal', (r) => !r.tags.includes('vip') && !r.tags.includes('renewal')],
      ['tags=vip&tags=renewal', (r) => r.tags.includes('vip') && r.tags.includes('renewal')],
      ['tags=is:null', (r) => r.tags.length === 0],
      ['tags=not:null', (r) => r.tags.length > 0],
      ['custom.tier=gold', (r) => r.custom.tier === 'gold'],
      ['custom.tier=ne:gold', (r) => r.custom.tier !== 'gold'],
      ['custom.tier=in:gold,silver', (r) => r.custom.tier === 'gold' || r.custom.tier === 'silver'],
      ['custom.tier=like:GOL', (r) => like(customText(r.custom.tier), 'gol')],
      ['custom.tier=is:null', (r) => r.custom.tier === undefined],
      ['custom.score=12', (r) => customText(r.custom.score) === '12'],
      ['custom.score=10', (r) => customText(r.custom.score) === '10'],
      ['custom.score=gt:5', (r) => typeof r.custom.score === 'number' && r.custom.score > 5],
      ['custom.score=lte:9', (r) => typeof r.custom.score === 'number' && r.custom.score <= 9],
      [
        'custom.score=gt:4&custom.score=lt:16',
        (r) => typeof r.custom.score === 'number' && r.custom.score > 4 && r.custom.score < 16,
      ],
      ['custom.flag=true', (r) => r.custom.flag === true],
      ['custom.tier=gt:h', (r) => typeof r.custom.tier === 'string' && r.custom.tier > 'h'],
      [`company_id=${companies.acme?.id}`, (r) => r.company_id === companies.acme?.id],
      [`company_id=company/${companies.acme?.id}`, (r) => r.company_id === companies.acme?.id],
      ['company_id=is:null', (r) => r.company_id === null],
      ['company.domain=acme.com', (r) => liveCompany(r)?.domain === 'acme.com'],
      ['company.domain=ne:acme.com', (r) => liveCompany(r) !== null && liveCompany(r)?.domain !== 'acme.com'],
      ['company.domain=old.example', () => false],
      ['company.name=like:acme', (r) => like(liveCompany(r)?.name ?? null, 'acme')],
      ['company.tags=enterprise', (r) => liveCompany(r)?.tags.includes('enterprise') ?? false],
      ['company.custom.tier=gold', (r) => liveCompany(r)?.custom.tier === 'gold'],
      [
        'company.domain=in:acme.com,globex.dev&stage=lead',
        (r) => ['acme.com', 'globex.dev'].includes(liveCompany(r)?.domain ?? '') && r.stage === 'lead',
      ],
      ['sort=name', () => true, 'name'],
      ['sort=-name', () => true, '-name'],
      ['sort=email', () => true, 'email'],
      ['sort=-title', () => true, '-title'],
      ['sort=stage', () => true, 'stage'],
      ['sort=follow_up_at', () => true, 'follow_up_at'],
      ['sort=-follow_up_at', () => true, '-follow_up_at'],
      ['sort=created_at', () => true, 'created_at'],
      ['sort=-created_at', () => true, '-created_at'],
      ['sort=updated_at', () => true, 'updated_at'],
      ['sort=id', () => true, 'id'],
      ['sort=-id', () => true, '-id'],
      ['tags=vip&sort=-name', (r) => r.tags.includes('vip'), '-name'],
      ['stage=not:null&sort=follow_up_at', (r) => r.stage !== null, 'follow_up_at'],
      [
        'company.domain=acme.com&sort=-follow_up_at',
        (r) => liveCompany(r)?.domain === 'acme.com',
        '-follow_up_at',
      ],
    ];
  };

  async function walk(query: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const target: string = `/contacts?${query}${query ? '&' : ''}limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const reply = await call(app, 'GET', target, undefined, { token: agent.token, json: true });
      expect(reply.status, `${target}: ${reply.text}`).toBe(200);
      expect(reply.json.data.length).toBeLessThanOrEqual(3);
      ids.push(...reply.json.data.map((c: { id: string }) => c.id));
      cursor = reply.json.next_cursor;
      if (++pages > 50) throw new Error('the walk does not end');
    } while (cursor);
    return ids;
  }

  it('every query returns the modelled rows in the modelled order, page by page', async () => {
    const labelOf = new Map(rows.map((r) => [r.id, r.label]));
    for (const [query, keep, sort] of cases()) {
      const expected = sortRows(rows.filter(keep), sort).map((r) => r.id);
      const got = await walk(query);
      expect(
        got.map((id) => labelOf.get(id)),
        query,
      ).toEqual(expected.map((id) => labelOf.get(id)));
      results[dialect]![query.replace(/co_\w+/g, 'co')] = got.map((id) => labelOf.get(id)!);
    }
    // The table is only a proof if it discriminates: most queries select a proper, non-empty subset.
    const sizes = cases().map(([, keep]) => rows.filter(keep).length);
    expect(sizes.filter((n) => n > 0 && n < rows.length).length).toBeGreaterThan(45);
  });
});

describe.each(DIALECTS)('query errors on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app, 'query_errors');
  });
  afterAll(async () => t.close());

  it.each([
    ['colour=red', 'unknown filter field "colour"', 'company.domain'],
    ['company.owner.name=x', 'unknown filter field "company.owner.name"', 'company.name'],
    ['company.colour=red', 'unknown filter field "company.colour"', 'custom.<key>'],
    ['custom.bad%20key=1', 'unknown filter field "custom.bad key"', 'custom.<key>'],
    ['stage=foo:bar', 'unknown operator "foo:"', 'like'],
    ['created_at=like:2026', 'operator "like" does not apply to created_at (time)', 'gte'],
    ['tags=gt:a', 'operator "gt" does not apply to tags (tags)', 'in'],
    ['version=abc', 'version needs a number', null],
    ['follow_up_at=gte:tomorrow', 'follow_up_at needs an RFC3339 time', null],
    ['follow_up_at=gte:2026-13-45T00:00:00Z', 'follow_up_at needs an RFC3339 time', null],
    ['stage=is:empty', '"is:" takes only null', null],
    ['stage=in:', '"in:" needs 1 to 100', null],
    ['stage=in:a,,b', '"in:" needs 1 to 100', null],
    ['name=like:', '"like:" needs a pattern', null],
    ['sort=colour', 'cannot sort contacts by "colour"', 'created_at'],
    ['sort=phone', 'cannot sort contacts by "phone"', 'created_at'],
    ['search=a', 'search= needs a word of at least 3', null],
  ])('%s → 400 invalid_query naming what is allowed', async (query, message, allowed) => {
    const reply = await call(t.app, 'GET', `/contacts?${query}`, undefined, {
      token: agent.token,
      json: true,
    });
    expect(reply.status).toBe(400);
    expect(reply.json.error.code).toBe('invalid_query');
    expect(reply.json.error.message).toContain(message);
    expect(reply.json.error.hint.length).toBeGreaterThan(10);
    if (allowed) expect(reply.json.error.details.allowed).toContain(allowed);
    const text = await call(t.app, 'GET', `/contacts?${query}`, undefined, { token: agent.token });
    expect(text.text).toMatch(/^error invalid_query: .+\nhint: .+/);
  });

  it('a value that contains a colon is matched with eq:', async () => {
    const created = await call(
      t.app,
      'POST',
      '/contacts',
      { name: 'Colon', custom: { site: 'https://colon.example' } },
      { token: agent.token, json: true },
    );
    const reply = await call(t.app, 'GET', '/contacts?custom.site=eq:https://colon.example', undefined, {
      token: agent.token,
      json: true,
    });
    expect(reply.json.data.map((c: { id: string }) => c.id)).toEqual([created.json.data.id]);
  });

  it('limit defaults to 50 and is clamped to 200 with a warning', async () => {
    const rows = Array.from({ length: 205 }, (_, i) => ({
      workspace_id: agent.workspaceId,
      id: `c_${String(i).padStart(16, '0')}`,
      name: `Bulk ${i}`,
      email: null,
      phone: null,
      title: null,
      stage: null,
      company_id: null,
      tags: '[]',
      custom: '{}',
      follow_up_at: null,
      follow_up_note: null,
      do_not_contact: 0,
      owner: null,
      version: 1,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
      deleted_at: null,
    }));
    await t.store.db.insertInto('contacts').values(rows).execute();
    const first = await call(t.app, 'GET', '/contacts', undefined, { token: agent.token, json: true });
    expect(first.json.data).toHaveLength(50);
    expect(first.json.warnings).toEqual([]);
    const clamped = await call(t.app, 'GET', '/contacts?limit=1000', undefined, {
      token: agent.token,
      json: true,
    });
    expect(clamped.json.data).toHaveLength(200);
    expect(clamped.json.warnings).toEqual([expect.objectContaining({ code: 'limit_clamped' })]);
    const text = await call(t.app, 'GET', '/contacts?limit=1000', undefined, { token: agent.token });
    expect(text.text).toMatch(/^# warning limit_clamped: /m);
    expect((await call(t.app, 'GET', '/contacts?limit=0', undefined, { token: agent.token })).status).toBe(
      400,
    );
  });

  it('cursors are opaque, bound to their query and checked', async () => {
    const page = await call(t.app, 'GET', '/contacts?limit=2&sort=name', undefined, {
      token: agent.token,
      json: true,
    });
    const cursor = page.json.next_cursor as string;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    for (const other of ['sort=-name', 'sort=email', 'stage=lead&sort=name', 'search=bulk&sort=name']) {
      const reply = await call(t.app, 'GET', `/contacts?limit=2&${other}&cursor=${cursor}`, undefined, {
        token: agent.token,
        json: true,
      });
      expect(reply.status, other).toBe(400);
      expect(reply.json.error.code).toBe('invalid_cursor');
    }
    // The same query with another limit may continue from it.
    const next = await call(t.app, 'GET', `/contacts?sort=name&limit=5&cursor=${cursor}`, undefined, {
      token: agent.token,
      json: true,
    });
    expect(next.status).toBe(200);
    // A forged cursor with the right shape but a wrong value type is refused, not a 500.
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...decoded, v: 12 })).toString('base64url');
    const reply = await call(t.app, 'GET', `/contacts?sort=name&limit=2&cursor=${forged}`, undefined, {
      token: agent.token,
      json: true,
    });
    expect(reply.status).toBe(400);
    expect(reply.json.error.code).toBe('invalid_cursor');
  });
});

describe('the query language across databases', () => {
  it.runIf(DIALECTS.length > 1)('answers every query identically on SQLite and PostgreSQL', () => {
    expect(results.postgres).toEqual(results.sqlite);
  });
});
