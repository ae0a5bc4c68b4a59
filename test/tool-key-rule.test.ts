import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { toolCatalog } from '../src/discovery/catalog.js';
import { requiresIdempotencyKey } from '../src/operations/call.js';
import { operations } from '../src/operations/registry.js';
import { bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';

const BASE = 'https://crm.example.org';

async function connect(app: App, token: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${BASE}/mcp`), {
    fetch: (url, init) => app.fetch(new Request(url, init)),
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'key-rule-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

// A field no operation has: a call that gets past the key rule is refused as invalid input and
// changes nothing, so every write of the registry can be tried without side effects.
const PROBE = { not_a_field_of_any_operation: true };
const writes = operations.filter((operation) => operation.mutating);

/**
 * The idempotency-key rule is decided in one place (operations/call.ts) for every transport: each
 * write of the registry, called as a tool without a key, gets the same answer from POST /tools/{name}
 * and from MCP tools/call, and the catalog and the MCP tool schemas publish that same rule.
 */
describe.each(DIALECTS)('the idempotency-key rule on %s', (dialect) => {
  let t: TestApp;
  let token: string;
  let client: Client;
  beforeAll(async () => {
    t = await createTestApp(dialect, { PUBLIC_URL: BASE, MCP_TOOLS: 'both' });
    token = (await bootstrapAgent(t.app, 'key_rule_agent')).token;
    client = await connect(t.app, token);
  });
  afterAll(async () => {
    await client.close();
    await t.close();
  });

  it('is the same on POST /tools/{name} and MCP for every write of the registry', async () => {
    expect(writes.length).toBeGreaterThan(10);
    for (const operation of writes) {
      const viaTools = await call(t.app, 'POST', `/tools/${operation.name}`, PROBE, { token, json: true });
      const viaMcp = (await client.callTool({
        name: operation.name.replace(/\./g, '_'),
        arguments: PROBE,
      })) as CallToolResult;
      const toolsCode = viaTools.json.error?.code;
      const mcpCode = (viaMcp.structuredContent as { error?: { code: string } } | undefined)?.error?.code;
      expect(viaMcp.isError, operation.name).toBe(true);
      expect(mcpCode, operation.name).toBe(toolsCode);
      const keyRequired = toolsCode === 'idempotency_key_required';
      expect(keyRequired, operation.name).toBe(requiresIdempotencyKey(operation));
      expect(viaTools.status, operation.name).toBe(400);
      // Past the key rule, the probe is refused for what it is, and changed nothing.
      if (!keyRequired) expect(toolsCode, operation.name).toBe('invalid_input');
    }
  });

  it('is the rule the tool catalog and the MCP tool schemas publish', async () => {
    const catalog = toolCatalog(operations).tools;
    const { tools } = await client.listTools();
    for (const operation of operations) {
      const entry = catalog.find((candidate) => candidate.name === operation.name)!;
      expect(entry.requires_idempotency_key, operation.name).toBe(requiresIdempotencyKey(operation));
      const tool = tools.find((candidate) => candidate.name === operation.name.replace(/\./g, '_'))!;
      expect(tool.inputSchema.required?.includes('idempotency_key') ?? false, operation.name).toBe(
        requiresIdempotencyKey(operation),
      );
    }
  });

  it('never asks a REST route for a key: POST /contacts without one creates the contact', async () => {
    const created = await call(t.app, 'POST', '/contacts', { name: 'Keyless Kim' }, { token, json: true });
    expect(created.status).toBe(201);
    expect(created.json.idempotency_key).toBeNull();
  });
});
