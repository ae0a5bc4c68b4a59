import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactsFixture } from '../../test/fixtures/contacts.js';
import { type Agent, call, DIALECTS, type TestApp } from '../../test/harness.js';

describe.each(DIALECTS)('contacts on %s', (dialect) => {
  const fx = contactsFixture(dialect, 'owner_agent');
  const { post } = fx;
  let t: TestApp;
  let agent: Agent;
  let other: Agent;
  beforeAll(async () => {
    ({ t, agent, other } = await fx.setup());
  });
  afterAll(async () => t.close());

  describe('tenant isolation', () => {
    it("another workspace's token can neither read nor change a contact", async () => {
      const created = await post({ name: 'Secret Person', email: 'secret@acme.com' });
      const { id } = created.json.data;
      const read = await call(t.app, 'GET', `/contacts/${id}`, undefined, { token: other.token });
      expect(read.status).toBe(404);
      const patch = await call(
        t.app,
        'PATCH',
        `/contacts/${id}`,
        { name: 'Hijacked' },
        { token: other.token },
      );
      expect(patch.status).toBe(404);
      // An upsert by the same email in the other workspace creates a separate contact.
      const upsert = await post({ email: 'secret@acme.com', name: 'Hijacked' }, other.token);
      expect(upsert.status).toBe(201);
      expect(upsert.json.data.id).not.toBe(id);
      const list = await call(t.app, 'GET', '/contacts?search=secret', undefined, {
        token: other.token,
        json: true,
      });
      expect(list.json.data.map((c: { id: string }) => c.id)).not.toContain(id);
      const after = await call(t.app, 'GET', `/contacts/${id}`, undefined, {
        token: agent.token,
        json: true,
      });
      expect(after.json.data).toMatchObject({ name: 'Secret Person', version: 1 });
    });
  });
});

describe.each(DIALECTS)('contacts: update, errors and isolation on %s', (dialect) => {
  const fx = contactsFixture(dialect);
  let t: TestApp;
  let agent: Agent;
  let other: Agent;
  beforeAll(async () => {
    ({ t, agent, other } = await fx.setup());
  });
  afterAll(async () => t.close());

  const as = (who: Agent) => ({ token: who.token, json: true });

  it('upserts by email, patches, gets and lists', async () => {
    const created = await call(
      t.app,
      'POST',
      '/contacts',
      { name: 'Jane', email: 'jane@acme.com', custom: { a: 1 } },
      as(agent),
    );
    const id = created.json.data.id;
    const upserted = await call(
      t.app,
      'POST',
      '/contacts',
      { email: 'JANE@acme.com', title: 'CTO', custom: { b: 2 } },
      as(agent),
    );
    expect(upserted.status).toBe(200);
    expect(upserted.json.data).toMatchObject({
      id,
      name: 'Jane',
      title: 'CTO',
      custom: { a: 1, b: 2 },
      version: 2,
    });
    const patched = await call(
      t.app,
      'PATCH',
      `/contacts/${id}`,
      { custom: { a: null }, tags: ['vip'] },
      as(agent),
    );
    expect(patched.json.data).toMatchObject({ custom: { b: 2 }, tags: ['vip'], version: 3 });
    const same = await call(t.app, 'PATCH', `/contacts/${id}`, { tags: ['vip'] }, { token: agent.token });
    expect(same.text).toContain('# unchanged');
    const list = await call(t.app, 'GET', '/contacts?tags=vip&search=jane', undefined, as(agent));
    expect(list.json.data.map((c: { id: string }) => c.id)).toEqual([id]);
  });

  it('refuses bad input with a hint', async () => {
    const id = (await call(t.app, 'POST', '/contacts', { name: 'Bob' }, as(agent))).json.data.id;
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/contacts', { email: 'not-an-email' }, 400, 'email: not a valid email address'],
      ['POST', '/contacts', { phone: '+1 555' }, 400, 'name: a contact needs at least a name or an email'],
      ['POST', '/contacts', { name: 'X', twitter: '@x' }, 400, 'twitter: unknown field'],
      [
        'POST',
        '/contacts',
        { name: 'X', company_id: 'co_0000000000000000' },
        400,
        'company_id: company/co_0000000000000000 does not exist',
      ],
      ['PATCH', `/contacts/${id}`, {}, 400, 'no fields to change'],
      ['PATCH', `/contacts/${id}`, { follow_up_at: 'tomorrow' }, 400, 'follow_up_at: an RFC3339 time'],
      [
        'PATCH',
        '/contacts/c_0000000000000000',
        { name: 'Y' },
        404,
        'contact/c_0000000000000000 does not exist',
      ],
      ['GET', '/contacts/c_0000000000000000', undefined, 404, 'does not exist'],
      ['GET', '/contacts?stage=like:', undefined, 400, '"like:" needs a pattern'],
    ];
    for (const [method, path, body, status, message] of cases) {
      const reply = await call(t.app, method, path, body, as(agent));
      expect(reply.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
      expect(reply.json.error.message).toContain(message);
      expect(reply.json.error.hint).toBeTruthy();
    }
    await call(t.app, 'POST', '/contacts', { email: 'taken@acme.com' }, as(agent));
    const clash = await call(t.app, 'PATCH', `/contacts/${id}`, { email: 'taken@acme.com' }, as(agent));
    expect(clash.status).toBe(409);
  });

  it("cannot read, change, or link another workspace's records", async () => {
    const mine = (await call(t.app, 'POST', '/contacts', { name: 'Mine', email: 'mine@acme.com' }, as(agent)))
      .json.data;
    const theirCompany = (await call(t.app, 'POST', '/companies', { name: 'Theirs' }, as(other))).json.data
      .id;
    for (const [method, path, body] of [
      ['GET', `/contacts/${mine.id}`, undefined],
      ['PATCH', `/contacts/${mine.id}`, { name: 'Hacked' }],
      ['GET', `/contacts/${mine.id}/context`, undefined],
    ] as const) {
      expect((await call(t.app, method, path, body, as(other))).status, `${method} ${path}`).toBe(404);
    }
    const sameEmail = await call(
      t.app,
      'POST',
      '/contacts',
      { email: 'mine@acme.com', name: 'Their Mine' },
      as(other),
    );
    expect(sameEmail.status).toBe(201);
    const link = await call(t.app, 'PATCH', `/contacts/${mine.id}`, { company_id: theirCompany }, as(agent));
    expect(link.status).toBe(400);
    const after = await call(t.app, 'GET', `/contacts/${mine.id}`, undefined, as(agent));
    expect(after.json.data).toMatchObject({ name: 'Mine', company_id: null, version: 1 });
  });
});
