import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { normaliseDomain } from './company.js';

describe('normaliseDomain', () => {
  it.each([
    ['https://www.Acme.com/about?x=1', 'acme.com'],
    ['ACME.com.', 'acme.com'],
    ['jane@acme.com', 'acme.com'],
    ['http://shop.acme.co.uk:8080', 'shop.acme.co.uk'],
    ['bücher.de', 'xn--bcher-kva.de'],
  ])('%s → %s', (input, expected) => expect(normaliseDomain(input)).toBe(expected));
});

describe.each(DIALECTS)('companies on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let other: Agent;
  const as = (who: Agent) => ({ token: who.token, json: true });
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app);
    other = await bootstrapAgent(t.app, 'other_agent');
  });
  afterAll(async () => t.close());

  it('creates, then upserts by normalised domain', async () => {
    const created = await call(
      t.app,
      'POST',
      '/companies',
      { name: 'ACME Corp', domain: 'https://www.ACME.com/' },
      as(agent),
    );
    expect(created.status).toBe(201);
    expect(created.json.data).toMatchObject({
      name: 'ACME Corp',
      domain: 'acme.com',
      version: 1,
      deleted_refs: [],
    });
    expect(created.headers.get('etag')).toBe('W/"1"');

    const again = await call(
      t.app,
      'POST',
      '/companies',
      { domain: 'acme.com', industry: 'Manufacturing', custom: { tier: 'gold' } },
      { token: agent.token },
    );
    expect(again.status).toBe(200);
    expect(again.text).toMatch(
      new RegExp(
        `^company/${created.json.data.id} name="ACME Corp" domain=acme.com industry=Manufacturing custom.tier=gold version=2 `,
      ),
    );
    expect(again.text).toContain('\n# updated\n');
  });

  it('gets, patches and lists with the query language', async () => {
    const { json } = await call(
      t.app,
      'POST',
      '/companies',
      { name: 'Globex', domain: 'globex.io', size: '51-200', tags: ['prospect'] },
      as(agent),
    );
    const id = json.data.id;
    const got = await call(t.app, 'GET', `/companies/company/${id}`, undefined, as(agent));
    expect(got.json.data.name).toBe('Globex');
    expect(got.headers.get('etag')).toBe('W/"1"');

    const patched = await call(
      t.app,
      'PATCH',
      `/companies/${id}`,
      { website: 'globex.io/home', size: null },
      as(agent),
    );
    expect(patched.status).toBe(200);
    expect(patched.json.data).toMatchObject({ website: 'https://globex.io/home', size: null, version: 2 });

    const list = await call(t.app, 'GET', '/companies?tags=prospect&sort=-name', undefined, as(agent));
    expect(list.json.data.map((c: { id: string }) => c.id)).toEqual([id]);
    const search = await call(t.app, 'GET', '/companies?search=GLOB', undefined, as(agent));
    expect(search.json.data.map((c: { id: string }) => c.id)).toEqual([id]);
    const paged = await call(t.app, 'GET', '/companies?limit=1&sort=name', undefined, as(agent));
    expect(paged.json.data).toHaveLength(1);
    expect(paged.json.next_cursor).toBeTruthy();
  });

  it('refuses bad input with a hint', async () => {
    const bad = await call(t.app, 'POST', '/companies', { name: 'X', domain: 'not a domain' }, as(agent));
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_input');
    expect(bad.json.error.message).toContain('domain');
    const unknown = await call(
      t.app,
      'POST',
      '/companies',
      { name: 'X', revenue: 5 },
      { token: agent.token },
    );
    expect(unknown.status).toBe(400);
    expect(unknown.text).toMatch(
      /^error invalid_input: revenue: unknown field\nhint: allowed fields for companies.create: name, domain/,
    );
    const empty = await call(t.app, 'POST', '/companies', {}, as(agent));
    expect(empty.status).toBe(400);
    const filter = await call(t.app, 'GET', '/companies?revenue=gt:5', undefined, as(agent));
    expect(filter.status).toBe(400);
    expect(filter.json.error.code).toBe('invalid_query');
    const missing = await call(t.app, 'GET', '/companies/co_0000000000000000', undefined, as(agent));
    expect(missing.status).toBe(404);
  });

  it('refuses a domain change onto another live company', async () => {
    const a = await call(t.app, 'POST', '/companies', { domain: 'initech.com' }, as(agent));
    const b = await call(t.app, 'POST', '/companies', { domain: 'initrode.com' }, as(agent));
    const clash = await call(
      t.app,
      'PATCH',
      `/companies/${b.json.data.id}`,
      { domain: 'INITECH.com' },
      as(agent),
    );
    expect(clash.status).toBe(409);
    expect(clash.json.error.message).toContain(`company/${a.json.data.id}`);
  });

  it("cannot see or change another workspace's companies", async () => {
    const mine = await call(
      t.app,
      'POST',
      '/companies',
      { name: 'Umbrella', domain: 'umbrella.com' },
      as(agent),
    );
    const id = mine.json.data.id;
    expect((await call(t.app, 'GET', `/companies/${id}`, undefined, as(other))).status).toBe(404);
    expect((await call(t.app, 'PATCH', `/companies/${id}`, { name: 'Hacked' }, as(other))).status).toBe(404);
    expect((await call(t.app, 'DELETE', `/companies/${id}`, undefined, as(other))).status).toBe(404);
    expect((await call(t.app, 'POST', `/companies/${id}/restore`, undefined, as(other))).status).toBe(404);
    const list = await call(t.app, 'GET', '/companies?domain=umbrella.com', undefined, as(other));
    expect(list.json.data).toEqual([]);
    // The same domain in another workspace is a separate company, not an upsert of ours.
    const theirs = await call(
      t.app,
      'POST',
      '/companies',
      { name: 'Their Umbrella', domain: 'umbrella.com' },
      as(other),
    );
    expect(theirs.status).toBe(201);
    expect(theirs.json.data.id).not.toBe(id);
    const after = await call(t.app, 'GET', `/companies/${id}`, undefined, as(agent));
    expect(after.json.data).toMatchObject({ name: 'Umbrella', version: 1 });
  });
});
