import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, projectionFixture } from './fixtures/projection.js';
import { type Agent, bootstrapAgent, call, DIALECTS, type TestApp } from './harness.js';

describe.each(DIALECTS)('fields= and expand= on %s', (dialect) => {
  const fx = projectionFixture(dialect);
  const { ids, post, get, getText } = fx;
  let t: TestApp;
  let a: Agent;
  let b: Agent;
  beforeAll(async () => {
    ({ t, a, b } = await fx.setup());
  });
  afterAll(async () => t.close());

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
    executor.executeQuery = ((query: { sql: string }, ...rest: unknown[]) => {
      if (/from "(deals|companies)"/.test(query.sql)) related += 1;
      return (original as (...args: unknown[]) => unknown)(query, ...rest);
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
      // contacts_get is not in the default list; find_operation gives its whole tool.
      const found = await client.callTool({ name: 'find_operation', arguments: { name: 'contacts.get' } });
      const getTool = found.structuredContent as { inputSchema: { properties?: Record<string, unknown> } };
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

    const catalog = JSON.parse((await call(t.app, 'GET', '/agentcrm-tools.json?full=true')).text);
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
