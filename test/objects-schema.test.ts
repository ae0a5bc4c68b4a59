import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type Reply,
  type TestApp,
} from './harness.js';
import { inviteHuman, latestCode, outboxMessages, type Person } from './mailbox.js';

/**
 * Custom object types and typed fields, the schema half (issue 17, first step): an agent proposes a
 * type, a person approves it, an admin changes the schema directly; bad definitions are refused
 * with the allowed list and a hint; typed custom.<key> fields on contacts are checked against the
 * values already stored; archive and restore keep everything; caps, policy and isolation hold.
 */
describe.each(DIALECTS)('object types and fields on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let human: Person;
  let keys = 0;
  const as = (token: string, method: string, path: string, body?: unknown): Promise<Reply> =>
    call(t.app, method, path, body, {
      token,
      json: true,
      headers: { 'x-idempotency-key': `idem_objects_${dialect}_${++keys}` },
    });
  const asAgent = (method: string, path: string, body?: unknown) => as(agent.token, method, path, body);
  const asHuman = (method: string, path: string, body?: unknown) => as(human.token, method, path, body);

  /** A person's sensitive call: the first answer emails a step-up code, the second uses it. */
  async function stepUp(path: string, body: unknown): Promise<Reply> {
    const first = await asHuman('POST', path, body);
    if (first.json.error?.code !== 'escalation_required') return first;
    const code = latestCode(await outboxMessages(t.config.dataDir), human.email);
    return asHuman('POST', `${path}?code=${code}`, body);
  }

  const projects = {
    api_name: 'projects',
    label_singular: 'Project',
    label_plural: 'Projects',
    field_definitions: [
      { api_name: 'title', type: 'text', required: true },
      { api_name: 'budget', type: 'money' },
      {
        api_name: 'status',
        type: 'select',
        options: ['planned', 'active', 'done'],
        default: 'planned',
        indexed: true,
      },
      { api_name: 'company', type: 'relation', relation: { to: 'companies' } },
    ],
  };

  beforeAll(async () => {
    t = await createTestApp(dialect, { PLAN_OVERRIDES: '{"sandbox":{"object_types":2,"object_fields":6}}' });
    agent = await bootstrapAgent(t.app, 'schema_agent');
    human = await inviteHuman(t.app, t.config.dataDir, agent, 'owner@schema.dev');
  });
  afterAll(async () => t.close());

  it("an agent's new type is a proposal with its migration preview; a person approves it and it exists", async () => {
    const preview = await asAgent('POST', '/objects?dry_run=true', projects);
    expect(preview.status).toBe(200);
    expect(preview.json.data).toMatchObject({ dry_run: true, decision: 'require_approval' });
    expect(preview.json.data.reason_code).toBe('schema.change_requires_approval');

    const proposed = await asAgent('POST', '/objects', projects);
    expect(proposed.status).toBe(202);
    expect(proposed.json.outcome).toBe('proposed');
    expect(proposed.json.policy.reason_code).toBe('schema.change_requires_approval');
    const proposal = proposed.json.data;
    expect(proposal.target).toBe('object/projects');
    // The inbox reads it field by field.
    expect(proposal.diff).toEqual({
      object: [null, 'projects (Project / Projects)'],
      'fields.title': [null, 'text, required'],
      'fields.budget': [null, 'money'],
      'fields.status': [null, 'select (planned, active, done), indexed, default "planned"'],
      'fields.company': [null, 'relation → companies'],
      migration: [null, 'a new type: no records yet'],
    });
    // Nothing exists until a person decides.
    expect((await asAgent('GET', '/objects/projects')).status).toBe(404);

    const approved = await stepUp(`/proposals/${proposal.id}/decide`, { decision: 'approve' });
    expect(approved.status).toBe(200);
    expect(approved.json.data.status).toBe('applied');

    const type = await asAgent('GET', '/objects/projects');
    expect(type.status).toBe(200);
    expect(type.json.data).toMatchObject({ handle: 'object/projects', kind: 'custom', status: 'active' });
    expect(type.json.data.fields.map((field: { api_name: string }) => field.api_name)).toEqual([
      'title',
      'budget',
      'status',
      'company',
    ]);
    expect(type.json.data.fields[2]).toMatchObject({
      handle: 'field/projects.status',
      type: 'select',
      options: ['planned', 'active', 'done'],
      default: 'planned',
      indexed: true,
      created_by: `agent/${agent.agentId}`,
    });
    expect(type.json.data.fields[3].relation).toEqual({ to: 'companies', many: false });

    // The text answer: the type's line, then one indented line per field.
    const text = await call(t.app, 'GET', '/objects/projects', undefined, { token: agent.token });
    expect(text.text).toMatch(/^object\/projects api_name=projects kind=custom label_singular=Project /m);
    expect(text.text).toMatch(
      /^ {2}fields field\/projects\.budget object=projects api_name=budget path=budget label=budget type=money /m,
    );
  });

  it('lists built-in kinds with their own columns beside the custom types', async () => {
    const all = await asAgent('GET', '/objects');
    const names = all.json.data.map((object: { api_name: string }) => object.api_name);
    expect(names).toEqual(['contacts', 'companies', 'deals', 'tasks', 'activities', 'projects']);
    const contacts = all.json.data[0];
    expect(contacts).toMatchObject({ kind: 'builtin', label_singular: 'Contact', accepts_fields: true });
    expect(contacts.builtin_fields).toEqual(expect.arrayContaining(['email', 'custom', 'follow_up_at']));
    expect(all.json.data[3]).toMatchObject({ api_name: 'tasks', accepts_fields: false });
  });

  it("an admin's change applies at once; every step is audited with its actor", async () => {
    const added = await asHuman('POST', '/objects/projects/fields', { api_name: 'due', type: 'date' });
    expect(added.status).toBe(201);
    expect(added.json.data).toMatchObject({ handle: 'field/projects.due', type: 'date', status: 'active' });

    const renamed = await asHuman('PATCH', '/objects/projects/fields/due', { label: 'Due date' });
    expect(renamed.status).toBe(200);
    expect(renamed.json.data).toMatchObject({ label: 'Due date', version: 2 });

    const archived = await asHuman('DELETE', '/objects/projects/fields/due');
    expect(archived.json.data).toMatchObject({ status: 'archived' });
    expect(archived.json.data.archived_at).not.toBeNull();
    const listed = await asAgent('GET', '/objects/projects');
    expect(listed.json.data.fields.find((f: { api_name: string }) => f.api_name === 'due').status).toBe(
      'archived',
    );
    const again = await asHuman('DELETE', '/objects/projects/fields/due');
    expect(again.status).toBe(409);
    expect(again.json.error.hint).toMatch(/restore it with POST \/objects\/projects\/fields\/due\/restore/);

    const restored = await asHuman('POST', '/objects/projects/fields/due/restore');
    expect(restored.json.data).toMatchObject({ status: 'active', label: 'Due date', archived_at: null });

    const audit = await asHuman('GET', '/audit?target=field/projects.due');
    const steps = audit.json.data.map((entry: { operation: string; actor_type: string; actor_id: string }) =>
      [entry.operation, `${entry.actor_type}/${entry.actor_id}`].join(' '),
    );
    expect(steps.sort()).toEqual(
      ['objects.add_field', 'objects.archive_field', 'objects.restore_field', 'objects.update_field'].map(
        (operation) => `${operation} user/${human.userId}`,
      ),
    );
    const created = await asHuman('GET', '/audit?target=object/projects');
    expect(created.json.data[0]).toMatchObject({
      operation: 'objects.create',
      actor_type: 'agent',
      actor_id: agent.agentId,
    });
  });

  it('refuses bad definitions with the allowed list and a hint', async () => {
    const refuse = async (body: unknown, path = '/objects') => {
      const reply = await asHuman('POST', path, body);
      expect(reply.status, reply.text).toBe(400);
      expect(reply.json.error.hint.length).toBeGreaterThan(10);
      return reply.json.error;
    };
    const base = { label_singular: 'X', label_plural: 'Xs' };
    const reserved = await refuse({ ...base, api_name: 'contacts' });
    expect(reserved.message).toMatch(/contacts is reserved/);
    expect(reserved.details.allowed).toEqual(expect.arrayContaining(['contacts', 'webhooks', 'proposals']));
    expect((await refuse({ ...base, api_name: 'webhooks' })).message).toMatch(/reserved/);
    expect((await refuse({ ...base, api_name: 'Bad-Name' })).message).toMatch(/lower-case letters/);
    expect((await refuse({ ...base, api_name: 'projects' })).message).toMatch(/already exists/);
    const badType = await refuse({
      ...base,
      api_name: 'tickets',
      field_definitions: [{ api_name: 'x', type: 'float' }],
    });
    expect(badType.message).toMatch(/field_definitions\.0\.type/);
    expect(JSON.stringify(badType)).toContain('multi_select');
    const reservedField = await refuse({
      ...base,
      api_name: 'tickets',
      field_definitions: [{ api_name: 'id', type: 'text' }],
    });
    expect(reservedField.message).toMatch(/id is reserved/);
    const twice = await refuse({
      ...base,
      api_name: 'tickets',
      field_definitions: [
        { api_name: 'a', type: 'text' },
        { api_name: 'a', type: 'number' },
      ],
    });
    expect(twice.message).toMatch(/already has a field a/);
    const noOptions = await refuse({
      ...base,
      api_name: 'tickets',
      field_definitions: [{ api_name: 's', type: 'select' }],
    });
    expect(noOptions.hint).toMatch(/"options"/);
    const nowhere = await refuse({
      ...base,
      api_name: 'tickets',
      field_definitions: [{ api_name: 'r', type: 'relation', relation: { to: 'invoices' } }],
    });
    // A type may point at itself (a project's parent project).
    expect(nowhere.details.allowed).toEqual(['contacts', 'companies', 'deals', 'projects', 'tickets']);
    const badDefault = await refuse({
      ...base,
      api_name: 'tickets',
      field_definitions: [{ api_name: 'n', type: 'number', default: 'ten' }],
    });
    expect(badDefault.hint).toMatch(/"default": 0/);
    expect(
      (
        await refuse({
          ...base,
          api_name: 'tickets',
          field_definitions: [{ api_name: 'b', type: 'boolean', unique: true }],
        })
      ).details.allowed,
    ).toContain('email');
    // A field on a type that does not exist: 404 with the types there are.
    const missing = await asHuman('POST', '/objects/invoices/fields', { api_name: 'x', type: 'text' });
    expect(missing.status).toBe(404);
    expect(missing.json.error.details.allowed).toEqual(['contacts', 'companies', 'deals', 'projects']);
    // Choices are only added.
    const shrink = await asHuman('PATCH', '/objects/projects/fields/status', { options: ['planned'] });
    expect(shrink.status).toBe(400);
    expect(shrink.json.error.message).toMatch(/active, done would be removed/);
    const grow = await asHuman('PATCH', '/objects/projects/fields/status', {
      options: ['planned', 'active', 'done', 'paused'],
    });
    expect(grow.json.data.options).toEqual(['planned', 'active', 'done', 'paused']);
  });

  it('a typed custom field on contacts is checked against the values already stored', async () => {
    const a = await asHuman('POST', '/contacts', { name: 'Seats A', custom: { seats: 10 } });
    const b = await asHuman('POST', '/contacts', { name: 'Seats B', custom: { seats: 'many' } });
    await asHuman('POST', '/contacts', { name: 'No seats' });
    const blocked = await asHuman('POST', '/objects/contacts/fields', { api_name: 'seats', type: 'number' });
    expect(blocked.status).toBe(400);
    expect(blocked.json.error.message).toMatch(
      /1 record\(s\) of contacts hold a custom\.seats that is not a number/,
    );
    expect(blocked.json.error.details.blocking).toEqual([{ id: b.json.data.id, value: 'many' }]);
    const required = await asHuman('POST', '/objects/contacts/fields', {
      api_name: 'tier',
      type: 'text',
      required: true,
    });
    expect(required.json.error.message).toMatch(/have no tier, so it cannot be required yet/);

    await asHuman('PATCH', `/contacts/${b.json.data.id}`, { custom: { seats: 25 } });
    // The agent's declaration is a proposal whose preview counts the records that hold the key.
    const proposed = await asAgent('POST', '/objects/contacts/fields', { api_name: 'seats', type: 'number' });
    expect(proposed.status).toBe(202);
    expect(proposed.json.data.diff).toEqual({
      'fields.seats': [null, 'number'],
      migration: [null, '2 record(s) hold a value, all convert; 1 have none'],
    });
    const declared = await asHuman('POST', '/objects/contacts/fields', { api_name: 'seats', type: 'number' });
    expect(declared.status).toBe(201);
    expect(declared.json.data).toMatchObject({ handle: 'field/contacts.seats', path: 'custom.seats' });
    expect(a.json.data.custom.seats).toBe(10);
  });

  it('checks every write of a typed custom field, on single writes and in batches; undeclared keys stay free', async () => {
    const wrong = await asHuman('POST', '/contacts', {
      name: 'Wrong',
      custom: { seats: 'ten', tier: 'gold' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.message).toBe(
      'custom.seats: not a number value (Invalid input: expected number, received string)',
    );
    expect(wrong.json.error.hint).toMatch(/declared number on contacts \(GET \/objects\/contacts\)/);
    const right = await asAgent('POST', '/contacts', { name: 'Right', custom: { seats: 12, tier: 'gold' } });
    expect(right.status).toBe(201);
    const id = right.json.data.id;
    const bad = await asAgent('PATCH', `/contacts/${id}`, { custom: { seats: '12 seats' } });
    expect(bad.status).toBe(400);
    expect((await asAgent('GET', `/contacts/${id}`)).json.data.custom).toEqual({ seats: 12, tier: 'gold' });
    const cleared = await asAgent('PATCH', `/contacts/${id}`, { custom: { seats: null, tier: 'any text' } });
    expect(cleared.status).toBe(200);
    expect(cleared.json.data.custom).toEqual({ tier: 'any text' });

    // A required select with a default on companies: left out, it is filled; off the list, refused.
    const declared = await asHuman('POST', '/objects/companies/fields', {
      api_name: 'segment',
      type: 'select',
      options: ['smb', 'enterprise'],
      required: true,
      default: 'smb',
    });
    expect(declared.status, declared.text).toBe(201);
    const filled = await asAgent('POST', '/companies', { name: 'Filled Co' });
    expect(filled.json.data.custom).toEqual({ segment: 'smb' });
    const off = await asAgent('POST', '/companies', { name: 'Off Co', custom: { segment: 'mid' } });
    expect(off.status).toBe(400);
    expect(off.json.error.details.allowed).toEqual(['smb', 'enterprise']);

    // A batch: each item checked; the bad one fails alone.
    const queued = await asHuman('POST', '/contacts/batch', {
      items: [
        { name: 'Batch ok', custom: { seats: 3 } },
        { name: 'Batch bad', custom: { seats: 'three' } },
        { name: 'Batch plain' },
      ],
    });
    expect(queued.status, queued.text).toBe(202);
    let job = queued.json.data;
    for (let attempt = 0; attempt < 200 && ['queued', 'running'].includes(job.status); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      job = (await asHuman('GET', `/operations/${job.id}`)).json.data;
    }
    expect(job).toMatchObject({ done: 2, failed: 1 });
    expect(job.errors[0]).toMatchObject({ code: 'invalid_input' });
    expect(job.errors[0].message).toMatch(/custom\.seats: not a number value/);

    // Archived, the field no longer checks; restored, it checks again.
    await asHuman('DELETE', '/objects/contacts/fields/seats');
    const free = await asAgent('POST', '/contacts', { name: 'Free', custom: { seats: 'lots' } });
    expect(free.status).toBe(201);
    const blocked = await asHuman('POST', '/objects/contacts/fields/seats/restore');
    expect(blocked.status).toBe(400);
    expect(blocked.json.error.details.blocking).toEqual([{ id: free.json.data.id, value: 'lots' }]);
    expect(blocked.json.error.hint).toMatch(/then restore it/);
    await asHuman('PATCH', `/contacts/${free.json.data.id}`, { custom: { seats: 40 } });
    expect((await asHuman('POST', '/objects/contacts/fields/seats/restore')).json.data.status).toBe('active');
    // Made required: refused while records lack it and there is no default.
    const required = await asHuman('PATCH', '/objects/contacts/fields/seats', { required: true });
    expect(required.status).toBe(400);
    expect(required.json.error.message).toMatch(/have no seats, so it cannot be required yet/);
  });

  it('sorts and range-filters by a typed custom field, page by page with the keyset cursor', async () => {
    const refused = await asAgent('GET', '/contacts?sort=custom.score');
    expect(refused.status).toBe(400);
    expect(refused.json.error.hint).toMatch(
      /custom\.score is not a typed field: declare it \(POST \/objects\/contacts\/fields/,
    );
    expect(
      (await asHuman('POST', '/objects/contacts/fields', { api_name: 'score', type: 'number' })).status,
    ).toBe(201);
    const scores = [7, -2, 7, 30.5, 0, 12];
    for (const [index, score] of scores.entries())
      expect(
        (await asAgent('POST', '/contacts', { name: `Scored ${index}`, custom: { score } })).status,
      ).toBe(201);

    const walk = async (query: string) => {
      const seen: { name: string; score: number | null }[] = [];
      let cursor: string | null = null;
      do {
        const page: Reply = await asAgent(
          'GET',
          `/contacts?${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.status, page.text).toBe(200);
        for (const contact of page.json.data)
          seen.push({ name: contact.name, score: contact.custom?.score ?? null });
        cursor = page.json.next_cursor;
      } while (cursor);
      return seen;
    };
    const all = await walk('sort=custom.score');
    const scored = all.filter((contact) => contact.score !== null);
    expect(scored.map((contact) => contact.score)).toEqual([-2, 0, 7, 7, 12, 30.5]);
    // Records without a value come after those with one, in either direction.
    expect(all.slice(scored.length).every((contact) => contact.score === null)).toBe(true);
    const down = await walk('sort=-custom.score');
    expect(down.slice(0, 6).map((contact) => contact.score)).toEqual([30.5, 12, 7, 7, 0, -2]);
    expect(down).toHaveLength(all.length);
    const ranged = await walk('sort=custom.score&custom.score=gte:7');
    expect(ranged.map((contact) => contact.score)).toEqual([7, 7, 12, 30.5]);
    // A text-typed key sorts as text; seats (number) and tier stay as they were.
    expect((await asAgent('GET', '/contacts?sort=custom.tier')).status).toBe(400);
  });

  it('caps types and fields by plan, shown in /whoami; archive and restore count against them', async () => {
    const second = await asHuman('POST', '/objects', {
      api_name: 'tickets',
      label_singular: 'Ticket',
      label_plural: 'Tickets',
    });
    expect(second.status).toBe(201);
    const third = await asHuman('POST', '/objects', {
      api_name: 'invoices',
      label_singular: 'I',
      label_plural: 'Is',
    });
    expect(third.status).toBe(403);
    expect(third.json.error).toMatchObject({ code: 'plan_limit_reached' });
    expect(third.json.error.message).toMatch(/allows 2 custom object types/);
    const who = await call(t.app, 'GET', '/whoami', undefined, { token: agent.token });
    expect(who.text).toContain('\nobject_types: 2 / 2\n');
    expect(who.text).toContain('\nobject_fields: 5 / 6\n');

    // Archiving frees the room; restoring needs it back.
    expect((await asHuman('DELETE', '/objects/tickets')).json.data.status).toBe('archived');
    expect(
      (await asHuman('POST', '/objects', { api_name: 'invoices', label_singular: 'I', label_plural: 'Is' }))
        .status,
    ).toBe(201);
    const restore = await asHuman('POST', '/objects/tickets/restore');
    expect(restore.status).toBe(403);
    expect(restore.json.error.code).toBe('plan_limit_reached');
    const refusedField = await asHuman('POST', '/objects/tickets/fields', { api_name: 'x', type: 'text' });
    expect(refusedField.status).toBe(409);
    expect(refusedField.json.error.hint).toMatch(/restore it first/);
    // A built-in kind is never archived.
    const builtin = await asHuman('DELETE', '/objects/contacts');
    expect(builtin.status).toBe(400);
    expect(builtin.json.error.message).toMatch(/built-in kind/);
  });

  it('follows the policy: allow applies an agent change at once, deny refuses it', async () => {
    expect((await asHuman('PATCH', '/policy', { schema_changes: 'allow' })).status).toBe(200);
    const applied = await asAgent('POST', '/objects/projects/fields', {
      api_name: 'notes',
      type: 'long_text',
    });
    expect(applied.status).toBe(201);
    expect((await asHuman('PATCH', '/policy', { schema_changes: 'deny' })).status).toBe(200);
    const denied = await asAgent('DELETE', '/objects/projects/fields/notes');
    expect(denied.status).toBe(403);
    expect(denied.json.policy.reason_code).toBe('schema.agent_denied');
    expect((await asAgent('GET', '/objects/projects')).json.data.fields.at(-1).status).toBe('active');
    expect((await asHuman('PATCH', '/policy', { schema_changes: 'require_approval' })).status).toBe(200);
  });

  it('serialises concurrent schema changes: one of five identical creates wins, the rest are told it exists', async () => {
    // Room for one more type under the plan's cap of two.
    expect((await asHuman('DELETE', '/objects/invoices')).status).toBe(200);
    const replies = await Promise.all(
      Array.from({ length: 5 }, () =>
        asHuman('POST', '/objects', { api_name: 'race_type', label_singular: 'R', label_plural: 'Rs' }),
      ),
    );
    expect(replies.map((reply) => reply.status).sort()).toEqual([201, 400, 400, 400, 400]);
    for (const reply of replies.filter((r) => r.status === 400))
      expect(reply.json.error.message).toMatch(/race_type already exists/);
    const fieldless = await asHuman('POST', '/objects/tasks/fields', { api_name: 'x', type: 'text' });
    expect(fieldless.status).toBe(400);
    expect(fieldless.json.error.details.allowed).toEqual(['contacts', 'companies', 'deals']);
  });

  it("never shows or changes another workspace's types", async () => {
    const stranger = await bootstrapAgent(t.app, 'schema_stranger');
    const theirs = await as(stranger.token, 'GET', '/objects');
    expect(theirs.json.data.map((object: { api_name: string }) => object.api_name)).not.toContain('projects');
    expect((await as(stranger.token, 'GET', '/objects/projects')).status).toBe(404);
    const add = await as(stranger.token, 'POST', '/objects/projects/fields', { api_name: 'x', type: 'text' });
    expect(add.status).toBe(404);
    // Their own type of the same name is theirs alone.
    const own = await as(stranger.token, 'POST', '/objects', { ...projects, field_definitions: [] });
    expect(own.status).toBe(202);
    expect((await asAgent('GET', '/objects/projects')).json.data.fields).toHaveLength(6);
  });
});
