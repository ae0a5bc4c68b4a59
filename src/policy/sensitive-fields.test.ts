import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { inviteHuman, type Person } from '../../test/mailbox.js';

/**
 * The guide: "Sensitive contact field updates always go through contacts.propose_update". Every
 * path by which an agent writes an existing contact is tried; filling an EMPTY field is allowed
 * only when the workspace switches agents_fill_empty_sensitive_fields on.
 */
describe.each(DIALECTS)('sensitive contact fields on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let human: Person;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app, 'sensitive_agent');
    human = await inviteHuman(t.app, t.config.dataDir, agent, 'owner@sensitive.dev');
  }, 60_000); // setup runs sign-ups and migrations: slow on a loaded machine
  afterAll(async () => t.close());

  let keys = 0;
  const as = (token: string) => ({ token, json: true, headers: { 'x-idempotency-key': `idem_s_${++keys}` } });
  const byAgent = (method: string, path: string, body?: unknown) =>
    call(t.app, method, path, body, as(agent.token));
  const contact = async (body: Record<string, unknown>) => {
    const reply = await byAgent('POST', '/contacts', body);
    expect(reply.status).toBe(201);
    return reply.json.data.id as string;
  };
  const read = async (id: string) =>
    (await call(t.app, 'GET', `/contacts/${id}`, undefined, as(agent.token))).json.data;
  const finished = async (id: string) =>
    vi.waitFor(
      async () => {
        const reply = await call(t.app, 'GET', `/operations/${id}`, undefined, as(agent.token));
        if (['queued', 'running'].includes(reply.json.data.status)) throw new Error('still running');
        return reply.json.data;
      },
      { timeout: 15_000, interval: 25 },
    );
  const expectDenied = (reply: {
    status: number;
    json: { outcome: string; policy: unknown; next_actions: { tool_name: string }[] };
  }) => {
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({
      outcome: 'denied',
      policy: { decision: 'deny', reason_code: 'contact.sensitive_field' },
    });
    expect(reply.json.next_actions[0]!.tool_name).toBe('contacts.propose_update');
  };

  it('lets an agent create a new contact carrying sensitive fields', async () => {
    const id = await contact({
      name: 'New Nora',
      email: 'nora@new.dev',
      phone: '+1 555 0100',
      do_not_contact: true,
    });
    expect(await read(id)).toMatchObject({ phone: '+1 555 0100', do_not_contact: true });
  });

  it('denies an agent filling an empty phone or raising do_not_contact, on PATCH, upsert and /tools', async () => {
    const id = await contact({ name: 'Empty Emma', email: 'emma@empty.dev' });
    expectDenied(await byAgent('PATCH', `/contacts/${id}`, { phone: '+1 555 0111' }));
    expectDenied(await byAgent('PATCH', `/contacts/${id}`, { do_not_contact: true }));
    expectDenied(await byAgent('POST', '/contacts', { email: 'emma@empty.dev', phone: '+1 555 0111' }));
    expectDenied(await byAgent('POST', '/tools/contacts.update', { contact_id: id, phone: '+1 555 0111' }));
    // Other fields of the same contact still apply at once.
    expect((await byAgent('PATCH', `/contacts/${id}`, { title: 'CTO' })).status).toBe(200);
    const now = await read(id);
    expect(now.phone ?? null).toBeNull();
    expect(now.do_not_contact).toBe(false);
    expect(now.title).toBe('CTO');
    // A person writes directly.
    const byHuman = await call(t.app, 'PATCH', `/contacts/${id}`, { phone: '+1 555 0112' }, as(human.token));
    expect(byHuman.status).toBe(200);
  });

  it('denies it through the MCP tool too, echoing the idempotency key', async () => {
    const id = await contact({ name: 'Mcp Mia' });
    const transport = new StreamableHTTPClientTransport(new URL('https://crm.example.org/mcp'), {
      fetch: (url, init) => t.app.fetch(new Request(url, init)),
      requestInit: { headers: { authorization: `Bearer ${agent.token}` } },
    });
    const client = new Client({ name: 'sensitive-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const result = (await client.callTool({
        name: 'contacts_update',
        arguments: { contact_id: id, phone: '+1 555 0160', idempotency_key: 'idem_mcp_phone' },
      })) as CallToolResult;
      expect(result.structuredContent).toMatchObject({
        outcome: 'denied',
        policy: { reason_code: 'contact.sensitive_field' },
        idempotency_key: 'idem_mcp_phone',
      });
      const content = result.content[0];
      expect(content?.type === 'text' ? content.text : '').toContain('# idempotency_key: idem_mcp_phone');
    } finally {
      await client.close();
    }
    expect((await read(id)).phone ?? null).toBeNull();
  });

  it('makes contacts.propose_update of an empty field a proposal for a human', async () => {
    const id = await contact({ name: 'Proposed Pia' });
    const reply = await byAgent('POST', `/contacts/${id}/proposals`, {
      changes: { phone: '+1 555 0120' },
      reason: 'she said so',
    });
    expect(reply.status).toBe(202);
    expect(reply.json).toMatchObject({
      outcome: 'proposed',
      policy: { reason_code: 'contact.sensitive_field' },
    });
    expect((await read(id)).phone ?? null).toBeNull();
  });

  it('denies it item by item in a batch, a CSV import and a bulk update', async () => {
    const id = await contact({ name: 'Batch Ben', email: 'ben@batch.dev' });
    const batch = await byAgent('POST', '/contacts/batch', {
      items: [
        { email: 'ben@batch.dev', phone: '+1 555 0130' },
        { name: 'Fresh Fay', phone: '+1 555 0131' },
      ],
    });
    expect(batch.status).toBe(202);
    const batched = await finished(batch.json.data.id);
    expect(batched).toMatchObject({ done: 1, failed: 1 });
    expect(batched.errors[0]).toMatchObject({ index: 0, code: 'contact.sensitive_field' });

    const csv = 'email,phone\nben@batch.dev,+1 555 0132\n';
    const imported = await byAgent('POST', '/contacts/import', { csv });
    expect(imported.status).toBe(202);
    const rows = await finished(imported.json.data.id);
    expect(rows).toMatchObject({ done: 0, failed: 1 });
    expect(rows.errors[0].code).toBe('contact.sensitive_field');

    const bulk = await byAgent('POST', '/contacts/bulk-update', {
      where: { email: 'ben@batch.dev' },
      changes: { do_not_contact: true },
    });
    expect(bulk.status).toBe(202);
    const updated = await finished(bulk.json.data.id);
    expect(updated).toMatchObject({ done: 0, failed: 1 });
    expect(updated.errors[0].code).toBe('contact.sensitive_field');
    expect(await read(id)).toMatchObject({ do_not_contact: false });
    expect((await read(id)).phone ?? null).toBeNull();
  });

  it("holds an agent's merge that would fill the survivor's phone; a person's merge applies", async () => {
    const survivor = await contact({ name: 'Merge Max', email: 'max@merge.dev' });
    const carrier = await contact({ name: 'Merge Max', phone: '+1 555 0140' }); // new: allowed
    const merged = await byAgent('POST', `/contacts/${survivor}/merge`, { from: [carrier] });
    expect(merged.status).toBe(202);
    expect(merged.json).toMatchObject({
      outcome: 'proposed',
      policy: { reason_code: 'contact.sensitive_field' },
      data: { target: `contact/${survivor}` },
    });
    expect(merged.json.data.diff.phone).toEqual([null, '+1 555 0140']);
    expect((await read(survivor)).phone ?? null).toBeNull();
    // A merge that touches no sensitive field applies at once.
    const plain = await contact({ name: 'Plain Pat', email: 'pat@plain.dev' });
    const twin = await contact({ name: 'Plain Pat', title: 'VP' });
    expect((await byAgent('POST', `/contacts/${plain}/merge`, { from: [twin] })).status).toBe(200);
    const byHuman = await call(
      t.app,
      'POST',
      `/contacts/${survivor}/merge`,
      { from: [carrier] },
      as(human.token),
    );
    expect(byHuman.status).toBe(200);
    expect(byHuman.json.data.phone).toBe('+1 555 0140');
  });

  it('publishes the option, off by default; an agent cannot switch it', async () => {
    const document = JSON.parse((await call(t.app, 'GET', '/agentcrm-policy.json')).text);
    expect(document.settings.agents_fill_empty_sensitive_fields).toMatchObject({ default: false });
    const help = (await call(t.app, 'GET', '/help')).text;
    expect(help).toContain('agents_fill_empty_sensitive_fields');
    expect(help).toContain('even filling an empty one');
    const policy = await call(t.app, 'GET', '/policy', undefined, as(agent.token));
    expect(policy.json.data.agents_fill_empty_sensitive_fields).toBe(false);
    const byAgentPolicy = await byAgent('PATCH', '/policy', { agents_fill_empty_sensitive_fields: true });
    expect(byAgentPolicy.status).toBe(403);
  });

  it('with the option on, an agent fills empty fields but still cannot overwrite or flip do_not_contact', async () => {
    const on = await call(
      t.app,
      'PATCH',
      '/policy',
      { agents_fill_empty_sensitive_fields: true },
      as(human.token),
    );
    expect(on.status).toBe(200);
    expect(on.json.data.agents_fill_empty_sensitive_fields).toBe(true);
    const id = await contact({ name: 'Option Olga', email: 'olga@option.dev' });
    const filled = await byAgent('PATCH', `/contacts/${id}`, { phone: '+1 555 0150' });
    expect(filled.status).toBe(200);
    expect(filled.json.data.phone).toBe('+1 555 0150');
    expectDenied(await byAgent('PATCH', `/contacts/${id}`, { phone: '+1 555 0151' }));
    expectDenied(await byAgent('PATCH', `/contacts/${id}`, { phone: null }));
    expectDenied(await byAgent('PATCH', `/contacts/${id}`, { do_not_contact: true }));
    const proposedFill = await byAgent('POST', `/contacts/${id}/proposals`, {
      changes: { owner: `user/${human.userId}` },
    });
    expect(proposedFill.status).toBe(200);
    expect(proposedFill.json.outcome).toBe('applied');
    const capabilities = await call(t.app, 'GET', '/policy/capabilities', undefined, as(agent.token));
    const update = capabilities.json.data.tools.find(
      (tool: { name: string }) => tool.name === 'contacts.update',
    );
    expect(update.why).toContain('filling an empty one');
    const off = await call(
      t.app,
      'PATCH',
      '/policy',
      { agents_fill_empty_sensitive_fields: null },
      as(human.token),
    );
    expect(off.json.data.agents_fill_empty_sensitive_fields).toBe(false);
    const other = await contact({ name: 'Option Otto' });
    expectDenied(await byAgent('PATCH', `/contacts/${other}`, { phone: '+1 555 0152' }));
  });
});
