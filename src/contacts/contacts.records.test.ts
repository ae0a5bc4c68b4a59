import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactsFixture } from '../../test/fixtures/contacts.js';
import { type Agent, bootstrapAgent, call, DIALECTS, type TestApp } from '../../test/harness.js';

describe.each(DIALECTS)('contacts on %s', (dialect) => {
  const fx = contactsFixture(dialect, 'owner_agent');
  const { post } = fx;
  let t: TestApp;
  let agent: Agent;
  beforeAll(async () => {
    ({ t, agent } = await fx.setup());
  });
  afterAll(async () => t.close());

  describe('create and upsert', () => {
    it('creates a contact and answers with its record line', async () => {
      const reply = await call(
        t.app,
        'POST',
        '/contacts',
        {
          name: 'Jane Doe',
          email: 'Jane@Acme.com',
          stage: 'Lead',
          tags: ['vip', 'renewal'],
          custom: { tier: 'gold' },
        },
        { token: agent.token },
      );
      expect(reply.status).toBe(201);
      expect(reply.text).toMatch(
        /^contact\/c_[0-9a-z]{16} name="Jane Doe" email=jane@acme.com stage=lead tags=vip,renewal custom.tier=gold do_not_contact=false version=1 /,
      );
      expect(reply.text).toContain('\n# created\n');
      expect(reply.text).toMatch(/# request_id: req_/);
    });

    it('updates the contact with the same email instead of duplicating it, merging fields', async () => {
      const first = await post({
        name: 'Sam Lee',
        email: 'sam@lee.dev',
        phone: '+1 555 0100',
        custom: { a: 1, b: 2 },
      });
      expect(first.status).toBe(201);
      const second = await post({ email: 'SAM@lee.dev', title: 'CTO', custom: { b: null, c: 3 } });
      expect(second.status).toBe(200);
      expect(second.json.data.id).toBe(first.json.data.id);
      expect(second.json.data).toMatchObject({
        name: 'Sam Lee',
        phone: '+1 555 0100',
        title: 'CTO',
        custom: { a: 1, c: 3 },
        version: 2,
      });
      const text = await call(
        t.app,
        'POST',
        '/contacts',
        { email: 'sam@lee.dev', stage: 'customer' },
        { token: agent.token },
      );
      expect(text.text).toContain('# updated');
    });

    it('concurrent upserts of one email make exactly one contact', async () => {
      const replies = await Promise.all(
        Array.from({ length: 10 }, (_, i) => post({ email: 'race@acme.com', name: `Racer ${i}` })),
      );
      expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      expect(new Set(replies.map((r) => r.json.data.id)).size).toBe(1);
      const list = await call(t.app, 'GET', '/contacts?email=race@acme.com', undefined, {
        token: agent.token,
        json: true,
      });
      expect(list.json.data).toHaveLength(1);
    });

    it('rejects unknown fields, listing the allowed ones', async () => {
      const reply = await post({ name: 'X', emial: 'x@y.z' });
      expect(reply.status).toBe(400);
      expect(reply.json.outcome).toBe('error');
      expect(reply.json.error.code).toBe('invalid_input');
      expect(reply.json.error.message).toContain('emial: unknown field');
      expect(reply.json.error.hint).toContain('allowed fields for contacts.create: name, email, phone');
    });

    it('names every invalid field in one error', async () => {
      const reply = await call(
        t.app,
        'POST',
        '/contacts',
        { name: 'Bad', email: 'not-an-email', follow_up_at: 'tomorrow', tags: 'vip' },
        { token: agent.token },
      );
      expect(reply.status).toBe(400);
      expect(reply.text).toMatch(/^error invalid_input: .*email: not a valid email address/);
      expect(reply.text).toContain('follow_up_at: an RFC3339 time');
      expect(reply.text).toContain('tags:');
      expect(reply.text).toMatch(/\nhint: /);
    });

    it('needs a name or an email', async () => {
      const reply = await post({ title: 'Nobody' });
      expect(reply.status).toBe(400);
      expect(reply.json.error.message).toContain('at least a name or an email');
    });

    it('refuses a company_id that does not exist here', async () => {
      const reply = await post({ name: 'Orphan', company_id: 'co_0000000000000000' });
      expect(reply.status).toBe(400);
      expect(reply.json.error.hint).toContain('create the company first');
    });

    it('stores follow_up_at in UTC whatever offset it was sent with', async () => {
      const reply = await post({ name: 'Tz', follow_up_at: '2026-06-10T11:00:00+02:00' });
      expect(reply.json.data.follow_up_at).toBe('2026-06-10T09:00:00.000Z');
    });
  });

  describe('get and update', () => {
    it('fetches by bare id and by handle', async () => {
      const created = await post({ name: 'Handle Test', email: 'handle@test.dev' });
      const { id, handle } = created.json.data;
      for (const path of [
        `/contacts/${id}`,
        `/contacts/${handle}`,
        `/contacts/${encodeURIComponent(handle)}`,
      ]) {
        const reply = await call(t.app, 'GET', path, undefined, { token: agent.token, json: true });
        expect(reply.status, path).toBe(200);
        expect(reply.json.data.email).toBe('handle@test.dev');
      }
    });

    it('PATCH changes only what is sent and null clears', async () => {
      const created = await post({ name: 'Patchy', email: 'patchy@x.dev', title: 'VP', stage: 'lead' });
      const id = created.json.data.id;
      const reply = await call(
        t.app,
        'PATCH',
        `/contacts/${id}`,
        { title: null, stage: 'qualified' },
        { token: agent.token, json: true },
      );
      expect(reply.status).toBe(200);
      expect(reply.json.data).toMatchObject({
        name: 'Patchy',
        email: 'patchy@x.dev',
        title: null,
        stage: 'qualified',
        version: 2,
      });
    });

    it('PATCH to an email another contact holds is a conflict', async () => {
      await post({ name: 'Holder', email: 'taken@x.dev' });
      const mover = await post({ name: 'Mover', email: 'mover@x.dev' });
      const reply = await call(
        t.app,
        'PATCH',
        `/contacts/${mover.json.data.id}`,
        { email: 'taken@x.dev' },
        { token: agent.token, json: true },
      );
      expect(reply.status).toBe(409);
      expect(reply.json.error.code).toBe('conflict');
    });

    it('PATCH with no fields says what can be sent', async () => {
      const created = await post({ name: 'Empty Patch' });
      const reply = await call(
        t.app,
        'PATCH',
        `/contacts/${created.json.data.id}`,
        {},
        { token: agent.token, json: true },
      );
      expect(reply.status).toBe(400);
      expect(reply.json.error.hint).toContain('follow_up_at');
    });

    it('a missing contact is 404 with a hint', async () => {
      const reply = await call(t.app, 'GET', '/contacts/c_0000000000000000', undefined, {
        token: agent.token,
      });
      expect(reply.status).toBe(404);
      expect(reply.text).toMatch(/^error not_found: contact\/c_0000000000000000 does not exist/);
      expect(reply.text).toMatch(/\nhint: /);
    });

    it('a malformed id is a 400 naming the expected form', async () => {
      const reply = await call(t.app, 'GET', '/contacts/nope', undefined, { token: agent.token, json: true });
      expect(reply.status).toBe(400);
      expect(reply.json.error.message).toContain('contact_id');
    });
  });

  describe('list', () => {
    it('filters, sorts and pages with a cursor', async () => {
      const fresh = await bootstrapAgent(t.app, 'lister');
      for (let i = 0; i < 7; i++) {
        await post(
          { name: `Person ${i}`, stage: i % 2 ? 'lead' : 'customer', tags: i < 3 ? ['vip'] : [] },
          fresh.token,
        );
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `/contacts?stage=lead&sort=-name&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await call(t.app, 'GET', query, undefined, { token: fresh.token, json: true });
        expect(page.status).toBe(200);
        seen.push(...page.json.data.map((c: { name: string }) => c.name));
        cursor = page.json.next_cursor;
      } while (cursor);
      expect(seen).toEqual(['Person 5', 'Person 3', 'Person 1']);

      const vip = await call(t.app, 'GET', '/contacts?tags=vip&stage=ne:lead', undefined, {
        token: fresh.token,
        json: true,
      });
      expect(vip.json.data.map((c: { name: string }) => c.name).sort()).toEqual(['Person 0', 'Person 2']);
    });

    it('text lists end with "# next: <cursor>" while rows remain', async () => {
      const reply = await call(t.app, 'GET', '/contacts?limit=1', undefined, { token: agent.token });
      const lines = reply.text.trim().split('\n');
      expect(lines[0]).toMatch(/^contact\/c_/);
      expect(lines.some((line) => /^# next: \S+$/.test(line))).toBe(true);
    });

    it('clamps limit above 200 with a warning', async () => {
      const reply = await call(t.app, 'GET', '/contacts?limit=500', undefined, {
        token: agent.token,
        json: true,
      });
      expect(reply.status).toBe(200);
      expect(reply.json.warnings).toEqual([expect.objectContaining({ code: 'limit_clamped' })]);
    });

    it('rejects unknown filters, bad operators and foreign cursors', async () => {
      const unknown = await call(t.app, 'GET', '/contacts?colour=red', undefined, {
        token: agent.token,
        json: true,
      });
      expect(unknown.status).toBe(400);
      expect(unknown.json.error.code).toBe('invalid_query');
      expect(unknown.json.error.hint).toContain('stage');
      const op = await call(t.app, 'GET', '/contacts?created_at=like:2026', undefined, {
        token: agent.token,
        json: true,
      });
      expect(op.status).toBe(400);
      const page = await call(t.app, 'GET', '/contacts?limit=1', undefined, {
        token: agent.token,
        json: true,
      });
      const reused = await call(
        t.app,
        'GET',
        `/contacts?limit=1&stage=lead&cursor=${page.json.next_cursor}`,
        undefined,
        {
          token: agent.token,
          json: true,
        },
      );
      expect(reused.status).toBe(400);
      expect(reused.json.error.code).toBe('invalid_cursor');
      const garbage = await call(t.app, 'GET', '/contacts?cursor=%%%garbage', undefined, {
        token: agent.token,
        json: true,
      });
      expect(garbage.status).toBe(400);
    });
  });
});
