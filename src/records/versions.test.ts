import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';

describe.each(DIALECTS)('versions and If-Match on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  const as = (headers: Record<string, string> = {}) => ({ token: agent.token, json: true, headers });
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app);
  });
  afterAll(async () => t.close());

  it('refuses a change made from a stale version, naming the fields changed since', async () => {
    const created = await call(t.app, 'POST', '/contacts', { name: 'Jane', email: 'jane@acme.com' }, as());
    const id = created.json.data.id;
    const etag = (await call(t.app, 'GET', `/contacts/${id}`, undefined, as())).headers.get('etag')!;
    expect(etag).toBe('W/"1"');

    const first = await call(
      t.app,
      'PATCH',
      `/contacts/${id}`,
      { stage: 'qualified', custom: { tier: 'gold' } },
      as({ 'if-match': etag }),
    );
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('W/"2"');
    const second = await call(t.app, 'PATCH', `/contacts/${id}`, { title: 'CTO' }, as({ 'if-match': '"2"' }));
    expect(second.headers.get('etag')).toBe('W/"3"');

    const stale = await call(
      t.app,
      'PATCH',
      `/contacts/${id}`,
      { stage: 'lead' },
      { token: agent.token, headers: { 'if-match': etag } },
    );
    expect(stale.status).toBe(409);
    expect(stale.text).toMatch(
      new RegExp(
        `^error version_conflict: contact/${id} is at version 3, not 1; changed since: stage, custom, title\nhint: GET /contacts/${id}, .* If-Match: W/"3"`,
      ),
    );
    const staleJson = await call(t.app, 'PATCH', `/contacts/${id}`, { stage: 'lead', version: 2 }, as());
    expect(staleJson.json.error).toMatchObject({
      code: 'version_conflict',
      details: { expected_version: 2, current_version: 3, changed_fields: ['title'] },
    });
    expect(staleJson.json.error.details.changes).toEqual([
      {
        version: 3,
        at: expect.any(String),
        actor: agent.agentId,
        operation: 'contacts.update',
        fields: ['title'],
      },
    ]);
    const unchanged = await call(t.app, 'GET', `/contacts/${id}`, undefined, as());
    expect(unchanged.json.data).toMatchObject({ stage: 'qualified', version: 3 });

    const current = await call(t.app, 'PATCH', `/contacts/${id}`, { stage: 'lead', version: 3 }, as());
    expect(current.json.data).toMatchObject({ stage: 'lead', version: 4 });
  });

  it.each([
    ['/companies', { name: 'Acme' }, { industry: 'Retail' }],
    ['/deals', { title: 'Deal' }, { stage: 'won' }],
    ['/tasks', { title: 'Task' }, { notes: 'soon' }],
  ])('guards %s the same way', async (path, body, change) => {
    const id = (await call(t.app, 'POST', path, body, as())).json.data.id;
    await call(t.app, 'PATCH', `${path}/${id}`, change, as());
    const stale = await call(t.app, 'PATCH', `${path}/${id}`, change, as({ 'if-match': 'W/"1"' }));
    expect(stale.status).toBe(409);
    expect(stale.json.error.details.changed_fields).toEqual(Object.keys(change));
    const fresh = await call(t.app, 'PATCH', `${path}/${id}`, change, as({ 'if-match': 'W/"2"' }));
    expect(fresh.status).toBe(200);
    expect(fresh.text).toBeDefined();
  });

  it('validates If-Match and version', async () => {
    const id = (await call(t.app, 'POST', '/contacts', { name: 'Bob' }, as())).json.data.id;
    const garbage = await call(t.app, 'PATCH', `/contacts/${id}`, { title: 'x' }, as({ 'if-match': 'abc' }));
    expect(garbage.status).toBe(400);
    expect(garbage.json.error.message).toContain('expected_version');
    const disagree = await call(
      t.app,
      'PATCH',
      `/contacts/${id}`,
      { title: 'x', version: 2 },
      as({ 'if-match': 'W/"1"' }),
    );
    expect(disagree.status).toBe(400);
    const unsupported = await call(t.app, 'POST', '/contacts', { name: 'C' }, as({ 'if-match': 'W/"1"' }));
    expect(unsupported.status).toBe(400);
    expect(unsupported.json.error.message).toContain('If-Match is not supported on POST /contacts');
    const star = await call(t.app, 'PATCH', `/contacts/${id}`, { title: 'y' }, as({ 'if-match': '*' }));
    expect(star.status).toBe(200);
  });

  it('merges concurrent custom-field changes without losing any', async () => {
    const id = (await call(t.app, 'POST', '/contacts', { name: 'Busy' }, as())).json.data.id;
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call(t.app, 'PATCH', `/contacts/${id}`, { custom: { [`k${i}`]: i } }, as()),
      ),
    );
    expect(replies.map((reply) => reply.status)).toEqual(Array(8).fill(200));
    const final = await call(t.app, 'GET', `/contacts/${id}`, undefined, as());
    expect(Object.keys(final.json.data.custom).sort()).toEqual([
      'k0',
      'k1',
      'k2',
      'k3',
      'k4',
      'k5',
      'k6',
      'k7',
    ]);
    expect(final.json.data.version).toBe(9);
  });
});
