import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';

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
