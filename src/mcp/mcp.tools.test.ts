import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, connect, envelope, mcpFixture, text, withoutRequestId } from '../../test/fixtures/mcp.js';
import { call, DIALECTS, type TestApp } from '../../test/harness.js';
import { toolCatalog } from '../discovery/catalog.js';
import { operations } from '../operations/registry.js';

describe.each(DIALECTS)('MCP server on %s', (dialect) => {
  const fx = mcpFixture(dialect);
  let t: TestApp;
  let token: string;
  let client: Client;
  beforeAll(async () => {
    ({ t, token, client } = await fx.setup());
  });
  afterAll(async () => fx.close());

  it('lists the request tool and one typed tool per operation, schemas and flags from the registry', async () => {
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(operations.length + 1);
    expect(tools[0]!.name).toBe('request');
    const catalog = toolCatalog(operations).tools;
    for (const operation of operations) {
      const tool = tools.find((candidate) => candidate.name === operation.name.replace(/\./g, '_'));
      expect(tool, operation.name).toBeDefined();
      expect(tool!.inputSchema.type).toBe('object');
      const entry = catalog.find((candidate) => candidate.name === operation.name)!;
      expect(tool!.description).toBe(entry.description);
      const { $schema: _ignored, ...schema } = entry.input_schema as Record<string, unknown>;
      for (const [field, definition] of Object.entries(schema.properties as object)) {
        expect(tool!.inputSchema.properties?.[field], `${operation.name}.${field}`).toEqual(definition);
      }
      expect(tool!.annotations?.readOnlyHint).toBe(!operation.mutating);
      // The guide's flags, which annotations cannot carry, are the catalog's.
      expect(tool!._meta, operation.name).toEqual({
        'agentcrm/kind': entry.kind,
        'agentcrm/requires_human_approval': entry.requires_human_approval,
        'agentcrm/callers': entry.callers,
      });
    }
    expect(tools.find((tool) => tool.name === 'contacts_propose_update')!._meta?.['agentcrm/kind']).toBe(
      'propose',
    );
    const search = tools.find((tool) => tool.name === 'contacts_search')!;
    expect(search.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });
    expect(search.inputSchema.properties?.idempotency_key).toBeUndefined();
    const create = tools.find((tool) => tool.name === 'contacts_create')!;
    expect(create.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
    });
    expect(create.inputSchema.required).toContain('idempotency_key');
    expect(create.inputSchema.properties?.reason).toBeDefined();
    const remove = tools.find((tool) => tool.name === 'contacts_delete')!;
    expect(remove.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    const requestCode = tools.find((tool) => tool.name === 'auth_request_code')!;
    expect(requestCode.inputSchema.required ?? []).not.toContain('idempotency_key');
    expect(requestCode.annotations?.idempotentHint).toBe(false);
  });

  it('runs a typed tool through the pipeline: envelope as structured content, text rendering as text', async () => {
    const created = await client.callTool({
      name: 'contacts_create',
      arguments: {
        name: 'Jane Doe',
        email: 'jane@acme.com',
        stage: 'lead',
        idempotency_key: 'idem_jane',
        reason: 'met at expo',
      },
    });
    expect(created.isError).toBeFalsy();
    expect(envelope(created)).toMatchObject({
      outcome: 'applied',
      data: { name: 'Jane Doe', email: 'jane@acme.com', handle: expect.stringMatching(/^contact\/c_/) },
      policy: { decision: 'allow' },
      idempotency_key: 'idem_jane',
    });
    expect(text(created)).toMatch(/^contact\/c_\S+ name="Jane Doe" email=jane@acme.com stage=lead /);
    expect(text(created)).toContain('# created');

    const replay = await client.callTool({
      name: 'contacts_create',
      arguments: {
        name: 'Jane Doe',
        email: 'jane@acme.com',
        stage: 'lead',
        idempotency_key: 'idem_jane',
        reason: 'met at expo',
      },
    });
    expect(envelope(replay).data.id).toBe(envelope(created).data.id);

    const found = await client.callTool({ name: 'contacts_search', arguments: { search: 'jane' } });
    expect(envelope(found).data).toHaveLength(1);
    const direct = await call(t.app, 'GET', '/contacts?search=jane', undefined, { token });
    expect(withoutRequestId(text(found))).toBe(withoutRequestId(direct.text));

    const audit = await call(t.app, 'GET', '/audit?operation=contacts.create', undefined, {
      token,
      json: true,
    });
    expect(audit.json.data[0]).toMatchObject({ tool_name: 'contacts.create', reason: 'met at expo' });
  });

  it('previews a write with dry_run, changing nothing', async () => {
    const preview = await client.callTool({
      name: 'contacts_create',
      arguments: { name: 'Dry Dora', email: 'dora@dry.dev', idempotency_key: 'idem_dry', dry_run: true },
    });
    expect(preview.isError).toBeFalsy();
    expect(envelope(preview).warnings.map((warning: { code: string }) => warning.code)).toContain('dry_run');
    const found = await client.callTool({ name: 'contacts_search', arguments: { search: 'dora' } });
    expect(envelope(found).data).toEqual([]);
    const wrong = await client.callTool({
      name: 'contacts_create',
      arguments: { name: 'Dry Dora', idempotency_key: 'idem_dry2', dry_run: 'yes' },
    });
    expect(envelope(wrong).error.code).toBe('invalid_input');
  });

  it('answers tool errors as isError results with the code and the hint, never protocol errors', async () => {
    const missingKey = await client.callTool({ name: 'contacts_create', arguments: { name: 'No Key' } });
    expect(missingKey.isError).toBe(true);
    expect(envelope(missingKey).error.code).toBe('idempotency_key_required');
    expect(text(missingKey)).toMatch(/^error idempotency_key_required: .*\nhint: .+/);

    const invalid = await client.callTool({
      name: 'contacts_create',
      arguments: { email: 'not-an-email', idempotency_key: 'idem_bad' },
    });
    expect(invalid.isError).toBe(true);
    expect(envelope(invalid).error).toMatchObject({ code: 'invalid_input', hint: expect.any(String) });

    const missing = await client.callTool({
      name: 'contacts_get',
      arguments: { contact_id: 'c_0000000000000000' },
    });
    expect(missing.isError).toBe(true);
    expect(envelope(missing).error.code).toBe('not_found');

    const unknown = await client.callTool({ name: 'contacts_frobnicate', arguments: {} });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(/^error not_found: no tool named "contacts_frobnicate"/);

    const badKey = await client.callTool({
      name: 'contacts_create',
      arguments: { name: 'X', idempotency_key: 7 },
    });
    expect(envelope(badKey).error.code).toBe('invalid_input');
  });

  it('keeps the token scopes: a read-only token cannot write through MCP', async () => {
    const minted = await call(
      t.app,
      'POST',
      '/tokens',
      { token_name: 'reader', scopes: ['read'] },
      { token, json: true },
    );
    const reader = await connect(t.app, minted.json.data.token);
    try {
      const write = await reader.callTool({
        name: 'contacts_create',
        arguments: { name: 'Nope', idempotency_key: 'idem_nope' },
      });
      expect(write.isError).toBe(true);
      expect(envelope(write).error.code).toBe('scope_insufficient');
      const viaRequest = await reader.callTool({
        name: 'request',
        arguments: { method: 'POST', path: '/contacts', body: { name: 'Nope' } },
      });
      expect(viaRequest.isError).toBe(true);
      expect(text(viaRequest)).toMatch(/^error scope_insufficient: /);
    } finally {
      await reader.close();
    }
  });

  it('answers the request tool with exactly the plain text of the HTTP API', async () => {
    const created = await client.callTool({
      name: 'request',
      arguments: { method: 'POST', path: '/companies', body: { name: 'Acme', domain: 'acme.com' } },
    });
    expect(created.isError).toBeFalsy();
    expect(text(created)).toMatch(/^company\/co_\S+ name=Acme domain=acme.com /);
    expect(created.structuredContent).toBeUndefined();

    const viaTool = await client.callTool({ name: 'request', arguments: { method: 'GET', path: '/whoami' } });
    const direct = await call(t.app, 'GET', '/whoami', undefined, { token });
    expect(withoutRequestId(text(viaTool))).toBe(withoutRequestId(direct.text));

    const notFound = await client.callTool({
      name: 'request',
      arguments: { method: 'GET', path: '/contacts/c_0000000000000000' },
    });
    expect(notFound.isError).toBe(true);
    expect(text(notFound)).toMatch(/^error not_found: .*\nhint: /);

    for (const args of [
      { method: 'GET', path: 'contacts' },
      { method: 'GET', path: '//evil.example/x' },
      { method: 'GET', path: '/contacts', body: { a: 1 } },
      { method: 'TRACE', path: '/contacts' },
      { method: 'POST', path: '/mcp', body: {} },
    ]) {
      const refused = await client.callTool({ name: 'request', arguments: args });
      expect(refused.isError, JSON.stringify(args)).toBe(true);
      expect(text(refused)).toMatch(/^error invalid_input: /);
    }
  });

  it('serves the manual and the tool catalog as resources', async () => {
    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri)).toEqual([
      `${BASE}/help`,
      `${BASE}/agentcrm-tools.json`,
    ]);
    const manual = await client.readResource({ uri: `${BASE}/help` });
    const help = await call(t.app, 'GET', '/help');
    expect((manual.contents[0] as { text: string }).text).toBe(help.text);
    const catalog = await client.readResource({ uri: `${BASE}/agentcrm-tools.json` });
    expect(JSON.parse((catalog.contents[0] as { text: string }).text).tools).toHaveLength(operations.length);
  });
});
