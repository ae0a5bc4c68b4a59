import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../src/operations/registry.js';
import { BASE, connect, envelope, mcpFixture } from './fixtures/mcp.js';
import { bootstrapAgent, createTestApp, DIALECTS, type TestApp } from './harness.js';

const key = () => `idem_${crypto.randomUUID()}`;

/**
 * The default tool list (MCP_TOOLS=core): small enough for an agent to afford, and every operation
 * still reachable, typed. The official SDK client checks each result's structuredContent against
 * the tool's outputSchema itself: a result that did not match would throw here.
 */
describe.each(DIALECTS)('the default MCP tool list on %s', (dialect) => {
  const fx = mcpFixture(dialect, {});
  let t: TestApp;
  let client: Client;
  beforeAll(async () => {
    ({ t, client } = await fx.setup());
  });
  afterAll(async () => fx.close());

  it('lists the core in under 40 KB, each typed tool with an output schema and annotations', async () => {
    const { tools } = await client.listTools();
    const bytes = Buffer.byteLength(JSON.stringify({ tools }));
    expect(bytes).toBeLessThanOrEqual(40_000);
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual([
      'request',
      'records_search',
      'records_get',
      'records_create',
      'records_update',
      'activities_create',
      'tasks_complete',
      'reminders_list',
      'contacts_propose_update',
      'proposals_get_status',
      'operations_get_status',
      'policy_explain_capabilities',
      'account_whoami',
      'find_operation',
      'call_operation',
    ]);
    for (const tool of tools) {
      expect(tool.annotations, tool.name).toBeDefined();
      if (!['request', 'find_operation', 'call_operation'].includes(tool.name))
        expect(tool.outputSchema?.type, tool.name).toBe('object');
    }
    expect(tools.find((tool) => tool.name === 'records_get')!.inputSchema.properties!.type).toMatchObject({
      enum: ['contact', 'company', 'deal', 'task'],
    });
    // Everything listed, for comparison: the default list is a small part of it.
    const all = await createTestApp(dialect, { PUBLIC_URL: BASE, MCP_TOOLS: 'both' });
    try {
      const allClient = await connect(all.app, (await bootstrapAgent(all.app)).token);
      const every = (await allClient.listTools()).tools;
      expect(every).toHaveLength(operations.length + 1);
      // Portable schemas: nullable is anyOf, never a "type" list, which clients that map tool
      // schemas onto a one-type dialect (Gemini's) reject; the Inspector's --strict flags it.
      const typeLists: string[] = [];
      const walk = (node: unknown, path: string) => {
        if (Array.isArray(node)) {
          for (const [index, item] of node.entries()) walk(item, `${path}[${index}]`);
        } else if (node && typeof node === 'object') {
          for (const [key, value] of Object.entries(node)) {
            if (key === 'type' && Array.isArray(value)) typeLists.push(path);
            walk(value, `${path}.${key}`);
          }
        }
      };
      for (const tool of every) walk({ input: tool.inputSchema, output: tool.outputSchema }, tool.name);
      expect(typeLists).toEqual([]);
      expect(Buffer.byteLength(JSON.stringify({ tools: every }))).toBeGreaterThan(bytes * 4);
      // Every typed tool's output schema holds for its results: read a page and one record.
      const created = await allClient.callTool({
        name: 'contacts_create',
        arguments: { name: 'Every Tool', email: 'every@example.com', idempotency_key: key() },
      });
      expect(envelope(created).outcome).toBe('applied');
      const page = await allClient.callTool({ name: 'contacts_search', arguments: { fields: 'name' } });
      expect(envelope(page).data[0]).toMatchObject({ name: 'Every Tool' });
      await allClient.close();
    } finally {
      await all.close();
    }
  });

  it('creates, reads, finds and updates records of each type with the record tools', async () => {
    const created = await client.callTool({
      name: 'records_create',
      arguments: {
        type: 'contact',
        values: { name: 'Core Jane', email: 'core.jane@acme.com', stage: 'lead' },
        reason: 'met at the fair',
        idempotency_key: key(),
      },
    });
    expect(created.isError).toBeFalsy();
    const contact = envelope(created).data;
    expect(contact).toMatchObject({ name: 'Core Jane', stage: 'lead', version: 1 });

    const got = await client.callTool({
      name: 'records_get',
      arguments: { type: 'contact', id: contact.id },
    });
    expect(envelope(got).data).toMatchObject({ id: contact.id, email: 'core.jane@acme.com' });

    const updated = await client.callTool({
      name: 'records_update',
      arguments: {
        type: 'contact',
        id: contact.id,
        values: { stage: 'qualified' },
        expected_version: 1,
        idempotency_key: key(),
      },
    });
    expect(envelope(updated).data).toMatchObject({ stage: 'qualified', version: 2 });
    // A change made meanwhile is not overwritten.
    const stale = await client.callTool({
      name: 'records_update',
      arguments: {
        type: 'contact',
        id: contact.id,
        values: { stage: 'lead' },
        expected_version: 1,
        idempotency_key: key(),
      },
    });
    expect(stale.isError).toBe(true);
    expect(envelope(stale).error.code).toBe('version_conflict');

    const found = await client.callTool({
      name: 'records_search',
      arguments: { type: 'contact', where: { stage: 'qualified' }, fields: 'name,stage' },
    });
    expect(envelope(found).data).toEqual([expect.objectContaining({ id: contact.id, name: 'Core Jane' })]);

    const deal = await client.callTool({
      name: 'records_create',
      arguments: {
        type: 'deal',
        values: {
          title: 'Core deal',
          stage: 'qualified',
          amount_cents: 50_000,
          currency: 'USD',
          contact_id: contact.id,
        },
        idempotency_key: key(),
      },
    });
    expect(envelope(deal).data).toMatchObject({ title: 'Core deal', contact_id: contact.id });
    const task = await client.callTool({
      name: 'records_create',
      arguments: {
        type: 'task',
        values: { title: 'Call Jane', contact_id: contact.id },
        idempotency_key: key(),
      },
    });
    const done = await client.callTool({
      name: 'tasks_complete',
      arguments: { task_id: envelope(task).data.id, idempotency_key: key() },
    });
    expect(envelope(done).data).toMatchObject({ status: 'done' });
    // The same key replays the answer instead of writing twice.
    const again = await client.callTool({
      name: 'records_create',
      arguments: { type: 'task', values: { title: 'Call Jane' }, idempotency_key: 'idem_core_once' },
    });
    const replay = await client.callTool({
      name: 'records_create',
      arguments: { type: 'task', values: { title: 'Call Jane' }, idempotency_key: 'idem_core_once' },
    });
    expect(envelope(replay).data.id).toBe(envelope(again).data.id);
  });

  it('refuses a bad record call with the code and a hint, and never writes', async () => {
    const badType = await client.callTool({
      name: 'records_create',
      arguments: { type: 'spaceship', values: { name: 'X' }, idempotency_key: key() },
    });
    expect(badType.isError).toBe(true);
    expect(envelope(badType).error).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('contact'),
    });
    expect(envelope(badType).error.hint).toMatch(/"type"/);
    const noId = await client.callTool({ name: 'records_get', arguments: { type: 'deal' } });
    expect(envelope(noId).error.code).toBe('invalid_input');
    const badValues = await client.callTool({
      name: 'records_create',
      arguments: { type: 'contact', values: { email: 'not an email' }, idempotency_key: key() },
    });
    expect(envelope(badValues).error.code).toBe('invalid_input');
    expect(envelope(badValues).error.hint).toBeTruthy();
    const noKey = await client.callTool({
      name: 'records_create',
      arguments: { type: 'task', values: { title: 'T' } },
    });
    expect(envelope(noKey).error.code).toBe('idempotency_key_required');
    const page = await client.callTool({
      name: 'records_search',
      arguments: { type: 'contact', search: 'not an email' },
    });
    expect(envelope(page).data).toEqual([]);
  });

  it('finds any operation and calls it through call_operation, as its typed tool would answer', async () => {
    const found = await client.callTool({ name: 'find_operation', arguments: { query: 'webhook' } });
    const names = (found.structuredContent as { operations: { name: string }[] }).operations.map(
      (op) => op.name,
    );
    expect(names).toContain('webhooks.create');
    const one = await client.callTool({ name: 'find_operation', arguments: { name: 'contacts.merge' } });
    expect(one.structuredContent).toMatchObject({ name: 'contacts.merge', call_with: 'call_operation' });
    expect((one.structuredContent as { inputSchema: { required: string[] } }).inputSchema.required).toContain(
      'idempotency_key',
    );

    const viaCall = await client.callTool({
      name: 'call_operation',
      arguments: { name: 'contacts.search', arguments: { search: 'Core Jane' } },
    });
    const viaTyped = await client.callTool({ name: 'contacts_search', arguments: { search: 'Core Jane' } });
    expect(envelope(viaCall).data).toEqual(envelope(viaTyped).data);
    expect(envelope(viaCall).data.length).toBeGreaterThan(0);

    const unknown = await client.callTool({
      name: 'call_operation',
      arguments: { name: 'contacts.explode' },
    });
    expect(envelope(unknown).error.code).toBe('invalid_input');
    expect(envelope(unknown).error.hint).toMatch(/find_operation/);
  });

  it('gives an agent nothing through the generic tools that its typed tools refuse', async () => {
    const other = await bootstrapAgent(t.app, 'other_agent');
    const otherClient = await connect(t.app, other.token);
    try {
      const theirs = await otherClient.callTool({
        name: 'records_create',
        arguments: {
          type: 'contact',
          values: { name: 'Private', email: 'private@other.com' },
          idempotency_key: key(),
        },
      });
      const id = envelope(theirs).data.id;
      const read = await client.callTool({ name: 'records_get', arguments: { type: 'contact', id } });
      expect(envelope(read).error.code).toBe('not_found');
      const write = await client.callTool({
        name: 'records_update',
        arguments: { type: 'contact', id, values: { name: 'Mine now' }, idempotency_key: key() },
      });
      expect(envelope(write).error.code).toBe('not_found');
      const listed = await client.callTool({
        name: 'records_search',
        arguments: { type: 'contact', search: 'Private' },
      });
      expect(envelope(listed).data).toEqual([]);
      // A people-only operation is refused to an agent whichever tool asks for it.
      const typed = await client.callTool({ name: 'members_list', arguments: {} });
      const generic = await client.callTool({ name: 'call_operation', arguments: { name: 'members.list' } });
      expect(typed.isError).toBe(true);
      expect(envelope(generic).error.code).toBe(envelope(typed).error.code);
    } finally {
      await otherClient.close();
    }
  });
});
