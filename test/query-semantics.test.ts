import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../src/app.js';
import {
  type Case,
  type Company,
  type Contact,
  customText,
  like,
  NAMES,
  type Row,
  sequentialIds,
  sortRows,
  TAGS,
} from './fixtures/query-model.js';
import { type Agent, bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';

/**
 * The query language, table-driven: each query runs on every database, paged with limit=3, and
 * must return exactly the ids a model of the documented semantics (test/fixtures/query-model.ts)
 * computes from the inserted data, in the same order.
 */

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

describe('the query language across databases', () => {
  it.runIf(DIALECTS.length > 1)('answers every query identically on SQLite and PostgreSQL', () => {
    expect(results.postgres).toEqual(results.sqlite);
  });
});
