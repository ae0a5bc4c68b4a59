import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';
import { setPolicy } from './mailbox.js';

const BASE = 'https://crm.example.org';

describe.each(DIALECTS)('fields= and expand= on %s', (dialect) => {
  let t: TestApp;
  let a: Agent;
  let b: Agent;
  const ids: Record<string, string> = {};
  let key = 0;
  const post = async (agent: Agent, path: string, body: unknown) => {
    const reply = await call(t.app, 'POST', path, body, {
      token: agent.token,
      json: true,
      headers: { 'x-idempotency-key': `idem_projection_${++key}` },
    });
    if (reply.status >= 300) throw new Error(`${path}: ${reply.text}`);
    return reply.json.data.id as string;
  };
  const get = (path: string, agent = a) =>
    call(t.app, 'GET', path, undefined, { token: agent.token, json: true });
  const getText = (path: string, agent = a) => call(t.app, 'GET', path, undefined, { token: agent.token });

  beforeAll(async () => {
    t = await createTestApp(dialect, { PUBLIC_URL: BASE });
    a = await bootstrapAgent(t.app, 'projection_a');
    b = await bootstrapAgent(t.app, 'projection_b');
    await setPolicy(t.app, t.config.dataDir, a, { agent_deletes: 'allow' });
    ids.acme = await post(a, '/companies', { name: 'ACME Corp', domain: 'acme.com', industry: 'Tools' });
    ids.jane = await post(a, '/contacts', { name: 'Jane Doe', email: 'jane@acme.com', company_id: ids.acme });
    ids.sam = await post(a, '/contacts', { name: 'Sam Lee', email: 'sam@lee.dev' });
    // Seven open deals (two more than an expansion shows), the soonest close first; one won.
    for (let i = 1; i <= 7; i++) {
      ids[`deal${i}`] = await post(a, '/deals', {
        title: `Deal ${i}`,
        contact_id: ids.jane,
        company_id: ids.acme,
        expected_close_at: `2026-0${(i % 7) + 2}-01T00:00:00Z`,
      });
    }
    ids.won = await post(a, '/deals', { title: 'Won deal', contact_id: ids.jane, status: 'won' });
    ids.task = await post(a, '/tasks', { title: 'Send the quote', contact_id: ids.jane, deal_id: ids.deal1 });
    ids.doneTask = await post(a, '/tasks', { title: 'Old', contact_id: ids.jane, status: 'done' });
    ids.call = await post(a, `/contacts/${ids.jane}/activities`, {
      kind: 'call',
      body: 'Intro call',
      deal_id: ids.deal1,
    });
  });
  afterAll(async () => t.close());

  it('relation fields on a get, in JSON and text', async () => {
    const json = await get(`/contacts/${ids.jane}?fields=name,email,company.name,company.custom.tier`);
    expect(json.status).toBe(200);
    expect(json.json.data).toEqual({
      handle: `contact/${ids.jane}`,
      id: ids.jane,
      name: 'Jane Doe',
      email: 'jane@acme.com',
      company: { name: 'ACME Corp' },
    });
    const text = await getText(`/contacts/${ids.jane}?fields=name,company.name,company.domain`);
    expect(text.text.split('\n')[0]).toBe(
      `contact/${ids.jane} name="Jane Doe" company.name="ACME Corp" company.domain=acme.com`,
    );
  });

  it('relation fields on lists of every kind', async () => {
    const contacts = await get('/contacts?fields=name,company.domain&sort=name');
    expect(contacts.json.data).toEqual([
      { handle: `contact/${ids.jane}`, id: ids.jane, name: 'Jane Doe', company: { domain: 'acme.com' } },
      { handle: `contact/${ids.sam}`, id: ids.sam, name: 'Sam Lee', company: null },
    ]);
    const text = await getText('/contacts?fields=name,company.domain&sort=name');
    expect(text.text.split('\n').slice(0, 2)).toEqual([
      `contact/${ids.jane} name="Jane Doe" company.domain=acme.com`,
      `contact/${ids.sam} name="Sam Lee"`,
    ]);
    const deals = await get(`/deals?status=won&fields=title,contact.email,company.name`);
    expect(deals.json.data).toEqual([
      {
        handle: `deal/${ids.won}`,
        id: ids.won,
        title: 'Won deal',
        contact: { email: 'jane@acme.com' },
        company: null,
      },
    ]);
    const tasks = await get(`/tasks?status=open&fields=title,contact.name,deal.title,company.name`);
    expect(tasks.json.data).toEqual([
      {
        handle: `task/${ids.task}`,
        id: ids.task,
        title: 'Send the quote',
        contact: { name: 'Jane Doe' },
        deal: { title: 'Deal 1' },
        company: null,
      },
    ]);
    const activities = await getText(`/activities?fields=kind,contact.email,deal.title`);
    expect(activities.text.split('\n')[0]).toBe(
      `activity/${ids.call} kind=call contact.email=jane@acme.com deal.title="Deal 1"`,
    );
    const companies = await get('/companies?fields=name');
    expect(companies.json.data).toEqual([{ handle: `company/${ids.acme}`, id: ids.acme, name: 'ACME Corp' }]);
  });

  it('expand on a get: the company whole, bounded lists with where to read the rest', async () => {
    const reply = await get(`/contacts/${ids.jane}?expand=company,open_deals,open_tasks,recent_activities`);
    const data = reply.json.data;
    expect(data.name).toBe('Jane Doe');
    expect(data.company).toMatchObject({
      handle: `company/${ids.acme}`,
      name: 'ACME Corp',
      domain: 'acme.com',
    });
    expect(data.company.version).toBeUndefined();
    // Deals 1..7 close in months 3..8, 2 (deal 7 first); five shown, soonest first.
    expect(data.open_deals.map((deal: { title: string }) => deal.title)).toEqual([
      'Deal 7',
      'Deal 1',
      'Deal 2',
      'Deal 3',
      'Deal 4',
    ]);
    expect(data.open_deals[0].contact_id).toBeUndefined();
    expect(data.more).toEqual({ open_deals: `GET /deals?contact_id=${ids.jane}&status=open` });
    expect(data.open_tasks.map((task: { id: string }) => task.id)).toEqual([ids.task]);
    expect(data.recent_activities).toEqual([
      expect.objectContaining({ handle: `activity/${ids.call}`, kind: 'call', body: 'Intro call' }),
    ]);

    const text = await getText(`/contacts/${ids.jane}?fields=name&expand=open_tasks,open_deals`);
    const lines = text.text.split('\n');
    expect(lines[0]).toBe(
      `contact/${ids.jane} name="Jane Doe" more.open_deals="GET /deals?contact_id=${ids.jane}&status=open"`,
    );
    expect(lines[1]).toMatch(
      new RegExp(`^  open_tasks task/${ids.task} title="Send the quote" .*status=open`),
    );
    expect(lines.filter((line) => line.startsWith('  open_deals deal/'))).toHaveLength(5);
  });

  it('expand on lists, combined with fields; companies and deals expand too', async () => {
    const contacts = await get('/contacts?fields=name,company.name&expand=open_deals&sort=name');
    expect(contacts.json.data[0]).toMatchObject({ name: 'Jane Doe', company: { name: 'ACME Corp' } });
    expect(contacts.json.data[0].open_deals).toHaveLength(5);
    expect(contacts.json.data[1]).toEqual({
      handle: `contact/${ids.sam}`,
      id: ids.sam,
      name: 'Sam Lee',
      company: null,
      open_deals: [],
    });
    const company = await get(`/companies/${ids.acme}?fields=name&expand=contacts,open_deals`);
    expect(company.json.data.contacts).toEqual([expect.objectContaining({ handle: `contact/${ids.jane}` })]);
    expect(company.json.data.open_deals).toHaveLength(5);
    expect(company.json.data.more.open_deals).toBe(`GET /deals?company_id=${ids.acme}&status=open`);
    const deal = await get(
      `/deals/${ids.deal1}?fields=title&expand=contact,company,open_tasks,recent_activities`,
    );
    expect(deal.json.data).toMatchObject({
      title: 'Deal 1',
      contact: { handle: `contact/${ids.jane}`, name: 'Jane Doe' },
      company: { handle: `company/${ids.acme}` },
      open_tasks: [expect.objectContaining({ id: ids.task })],
      recent_activities: [expect.objectContaining({ id: ids.call })],
    });
    const tasks = await getText(`/tasks/${ids.task}?fields=title&expand=deal`);
    expect(tasks.text.split('\n')[0]).toMatch(
      new RegExp(
        `^task/${ids.task} title="Send the quote" deal.handle=deal/${ids.deal1} deal.id=${ids.deal1} deal.title="Deal 1"`,
      ),
    );
  });

  it('tool calls take fields and expand as input; writes answer with them too', async () => {
    const reply = await call(
      t.app,
      'POST',
      '/tools/contacts.search',
      { where: { email: 'jane@acme.com' }, fields: ['name', 'company.name'], expand: 'open_tasks' },
      { token: a.token, json: true },
    );
    expect(reply.json.data).toEqual([
      {
        handle: `contact/${ids.jane}`,
        id: ids.jane,
        name: 'Jane Doe',
        company: { name: 'ACME Corp' },
        open_tasks: [expect.objectContaining({ id: ids.task })],
      },
    ]);
    const created = await call(
      t.app,
      'POST',
      '/deals?fields=title,contact.name',
      { title: 'Fresh', contact_id: ids.sam },
      { token: a.token, json: true },
    );
    expect(created.status).toBe(201);
    expect(created.json.data).toEqual({
      handle: expect.stringMatching(/^deal\//),
      id: expect.any(String),
      title: 'Fresh',
      contact: { name: 'Sam Lee' },
    });
  });

  it('unknown fields and expansions are refused with the valid names, before anything is written', async () => {
    const unknown = await get(`/contacts/${ids.jane}?fields=name,shoe_size`);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.code).toBe('invalid_input');
    expect(unknown.json.error.message).toContain('shoe_size');
    expect(unknown.json.error.hint).toContain('email');
    expect(unknown.json.error.hint).toContain('company.<field>');
    const relation = await getText(`/contacts?fields=company.shoe_size`);
    expect(relation.status).toBe(400);
    expect(relation.text).toMatch(/^error invalid_input: fields: unknown for contacts: company.shoe_size$/m);
    expect(relation.text).toMatch(/^hint: .*company\.<field> with a field of a company: id, name, domain/m);
    const whole = await get(`/contacts?fields=company`);
    expect(whole.json.error.hint).toContain('expand=company');
    const expansion = await get(`/contacts?expand=deals`);
    expect(expansion.status).toBe(400);
    expect(expansion.json.error).toMatchObject({
      code: 'invalid_input',
      hint: 'expand one or more of: company, open_deals, open_tasks, recent_activities',
    });
    const nothing = await get('/whoami?expand=company');
    expect(nothing.json.error.code).toBe('invalid_input');
    const malformed = await get('/contacts?fields=na me');
    expect(malformed.json.error.code).toBe('invalid_input');
    const write = await call(
      t.app,
      'POST',
      '/deals?fields=title,colour',
      { title: 'Never written' },
      { token: a.token, json: true },
    );
    expect(write.status).toBe(400);
    expect((await get('/deals?title=Never%20written')).json.data).toEqual([]);
  });

  it('a deleted related record shows as null, its id stays in deleted_refs; deleted children are left out', async () => {
    const company = await post(a, '/companies', { name: 'Gone Inc', domain: 'gone.example' });
    const contact = await post(a, '/contacts', { name: 'Left Behind', company_id: company });
    const deal = await post(a, '/deals', { title: 'Doomed', contact_id: contact });
    for (const path of [`/companies/${company}`, `/deals/${deal}`]) {
      const ask = await call(t.app, 'DELETE', path, undefined, { token: a.token, json: true });
      const done = await call(t.app, 'DELETE', ask.json.data.confirm_url, undefined, {
        token: a.token,
        json: true,
      });
      expect(done.status).toBe(200);
    }
    const reply = await get(`/contacts/${contact}?fields=name,company.name,deleted_refs&expand=open_deals`);
    expect(reply.json.data).toEqual({
      handle: `contact/${contact}`,
      id: contact,
      name: 'Left Behind',
      company: null,
      deleted_refs: [`company/${company}`],
      open_deals: [],
    });
    const expanded = await get(`/contacts/${contact}?expand=company`);
    expect(expanded.json.data.company).toBeNull();
    expect(expanded.json.data.company_id).toBe(company);
    const text = await getText(`/contacts/${contact}?fields=name,company.name`);
    expect(text.text.split('\n')[0]).toBe(`contact/${contact} name="Left Behind"`);
  });

  it("expansions stay in the caller's workspace, even where another workspace holds the same ids", async () => {
    const mine = await post(a, '/contacts', { name: 'Crossed Wires', company_id: ids.acme });
    const theirDeal = await post(b, '/deals', { title: 'Their deal' });
    // Ids are unique by construction and references cannot cross workspaces (composite foreign
    // keys), so the nearest thing is storage holding equal ids in two workspaces: B gets a company
    // with the id of A's company and a contact with the id of A's contact, which has B's deal.
    const stamp = '2026-03-01T09:00:00.000Z';
    const common = {
      tags: '[]',
      custom: '{}',
      version: 1,
      created_at: stamp,
      updated_at: stamp,
      deleted_at: null,
    };
    await t.store.db
      .insertInto('companies')
      .values({
        workspace_id: b.workspaceId,
        id: ids.acme!,
        name: 'Impostor',
        domain: null,
        industry: null,
        size: null,
        website: null,
        ...common,
      })
      .execute();
    await t.store.db
      .insertInto('contacts')
      .values({
        workspace_id: b.workspaceId,
        id: mine,
        name: 'Lookalike',
        email: null,
        phone: null,
        title: null,
        stage: null,
        company_id: ids.acme!,
        follow_up_at: null,
        follow_up_note: null,
        do_not_contact: 0,
        owner: null,
        ...common,
      })
      .execute();
    await t.store.db.updateTable('deals').set({ contact_id: mine }).where('id', '=', theirDeal).execute();

    const reply = await get(`/contacts/${mine}?fields=name,company.name&expand=open_deals,recent_activities`);
    expect(reply.json.data).toEqual({
      handle: `contact/${mine}`,
      id: mine,
      name: 'Crossed Wires',
      company: { name: 'ACME Corp' },
      open_deals: [],
      recent_activities: [],
    });
    const list = await get(`/contacts?id=${mine}&expand=company,open_deals`);
    expect(list.json.data[0].company.name).toBe('ACME Corp');
    expect(list.json.data[0].open_deals).toEqual([]);
    const company = await get(`/companies/${ids.acme}?fields=name&expand=contacts`);
    expect(company.json.data.contacts.map((contact: { name: string }) => contact.name)).not.toContain(
      'Lookalike',
    );
    // B sees only its own records under the same ids.
    const theirs = await get(`/contacts/${mine}?fields=name,company.name&expand=open_deals`, b);
    expect(theirs.json.data).toMatchObject({ name: 'Lookalike', company: { name: 'Impostor' } });
    expect(theirs.json.data.open_deals).toEqual([expect.objectContaining({ id: theirDeal })]);
    const theirCompany = await get(`/companies/${ids.acme}?expand=contacts,open_deals`, b);
    expect(theirCompany.json.data.contacts).toEqual([expect.objectContaining({ name: 'Lookalike' })]);
    expect(theirCompany.json.data.open_deals).toEqual([]);
  });

  it('a 50-row page with relation fields and expansions is complete and correct', async () => {
    const c = await bootstrapAgent(t.app, 'projection_page');
    const expected = new Map<string, { company: string; deals: string[] }>();
    for (let i = 0; i < 50; i++) {
      const company = await post(c, '/companies', { name: `Co ${i}`, domain: `co${i}.example` });
      const contact = await post(c, '/contacts', {
        name: `Person ${String(i).padStart(2, '0')}`,
        company_id: company,
      });
      const deals = [];
      for (let d = 0; d < (i % 3) + 1; d++)
        deals.push(await post(c, '/deals', { title: `D${i}.${d}`, contact_id: contact }));
      expected.set(contact, { company: `Co ${i}`, deals });
    }
    const reply = await get('/contacts?limit=50&fields=name,company.name&expand=open_deals,company', c);
    expect(reply.status).toBe(200);
    expect(reply.json.data).toHaveLength(50);
    for (const record of reply.json.data) {
      const want = expected.get(record.id)!;
      expect(record.company.name).toBe(want.company);
      expect(record.open_deals.map((deal: { id: string }) => deal.id).sort()).toEqual([...want.deals].sort());
    }
    // No query per record: the related tables are read a fixed number of times whatever the page
    // size (references check, company, open deals), counted at the query executor.
    const executor = t.store.db.getExecutor();
    const original = executor.executeQuery.bind(executor);
    let related = 0;
    executor.executeQuery = ((query, options) => {
      if (/from "(deals|companies)"/.test(query.sql)) related += 1;
      return original(query, options);
    }) as typeof executor.executeQuery;
    const counts: number[] = [];
    try {
      for (const limit of [5, 50]) {
        related = 0;
        const page = await get(
          `/contacts?limit=${limit}&fields=name,company.name&expand=open_deals,company`,
          c,
        );
        expect(page.json.data).toHaveLength(limit);
        counts.push(related);
      }
    } finally {
      executor.executeQuery = original;
    }
    expect(counts[0]).toBe(3);
    expect(counts[1]).toBe(counts[0]);

    const full = await getText('/contacts?limit=50', c);
    const lean = await getText('/contacts?limit=50&fields=name,email', c);
    expect(lean.text.length).toBeLessThan(full.text.length / 2);
  });

  it('MCP tools/call takes fields and expand; the catalog documents them', async () => {
    const transport = new StreamableHTTPClientTransport(new URL(`${BASE}/mcp`), {
      fetch: (url, init) => t.app.fetch(new Request(url, init)),
      requestInit: { headers: { authorization: `Bearer ${a.token}` } },
    });
    const client = new Client({ name: 'projection-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      const getTool = tools.find((tool) => tool.name === 'contacts_get')!;
      expect(getTool.inputSchema.properties?.fields).toBeDefined();
      expect(JSON.stringify(getTool.inputSchema.properties?.expand)).toContain('open_deals');
      const result = (await client.callTool({
        name: 'contacts_get',
        arguments: { contact_id: ids.jane, fields: 'name,company.name', expand: ['open_tasks'] },
      })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      // biome-ignore lint/suspicious/noExplicitAny: reading the envelope
      const data = (result.structuredContent as any).data;
      expect(data).toMatchObject({ name: 'Jane Doe', company: { name: 'ACME Corp' } });
      expect(data.open_tasks).toHaveLength(1);
      expect(data.email).toBeUndefined();
      const text = result.content[0]!.type === 'text' ? result.content[0]!.text : '';
      expect(text).toContain(`  open_tasks task/${ids.task}`);
      const refused = (await client.callTool({
        name: 'deals_search',
        arguments: { expand: 'open_deals' },
      })) as CallToolResult;
      expect(refused.isError).toBe(true);
      // biome-ignore lint/suspicious/noExplicitAny: reading the envelope
      expect((refused.structuredContent as any).error.hint).toContain('contact, company, open_tasks');
      const viaRequest = (await client.callTool({
        name: 'request',
        arguments: { method: 'GET', path: `/contacts/${ids.jane}?fields=email,company.domain` },
      })) as CallToolResult;
      expect(viaRequest.content[0]).toMatchObject({
        text: expect.stringContaining(`contact/${ids.jane} email=jane@acme.com company.domain=acme.com\n`),
      });
    } finally {
      await client.close();
    }

    const catalog = JSON.parse((await call(t.app, 'GET', '/agentcrm-tools.json')).text);
    // biome-ignore lint/suspicious/noExplicitAny: reading the catalog
    const search = catalog.tools.find((tool: any) => tool.name === 'contacts.search');
    expect(catalog.save_tokens).toContain('expand');
    expect(search.input_schema.properties.fields.description).toContain('company.<field>');
    expect(search.input_schema.properties.expand.description).toContain('open_deals');
    const openapi = JSON.parse((await call(t.app, 'GET', '/openapi.json')).text);
    const params = openapi.paths['/contacts'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(['fields', 'expand']));
    const help = (await call(t.app, 'GET', '/help')).text;
    expect(help).toContain('expand=');
  });
});
