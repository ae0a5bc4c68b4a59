import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from '../../test/harness.js';
import type { App } from '../app.js';
import { toolCatalog } from '../discovery/catalog.js';
import { operations } from '../operations/registry.js';

const BASE = 'https://crm.example.org';

/** The SDK's own client, talking to the in-process app with a bearer token. */
async function connect(app: App, token: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${BASE}/mcp`), {
    fetch: (url, init) => app.fetch(new Request(url, init)),
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'test-client', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

const text = (result: CallToolResult | unknown) => {
  const content = (result as CallToolResult).content[0];
  return content?.type === 'text' ? content.text : '';
};
// biome-ignore lint/suspicious/noExplicitAny: tests read envelopes freely
const envelope = (result: unknown): any => (result as CallToolResult).structuredContent;
const withoutRequestId = (body: string) => body.replace(/^# request_id: .*$/m, '');

describe.each(DIALECTS)('MCP server on %s', (dialect) => {
  let t: TestApp;
  let token: string;
  let client: Client;
  beforeAll(async () => {
    t = await createTestApp(dialect, { PUBLIC_URL: BASE });
    token = (await bootstrapAgent(t.app, 'mcp_agent')).token;
    client = await connect(t.app, token);
  });
  afterAll(async () => {
    await client.close();
    await t.close();
  });

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

  it('is stateless over HTTP: no session id, GET is 405, DELETE is accepted', async () => {
    const init = await t.app.request('/mcp', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'raw', version: '1' },
        },
      }),
    });
    expect(init.status).toBe(200);
    expect(init.headers.get('mcp-session-id')).toBeNull();
    expect(((await init.json()) as { result: { serverInfo: { name: string } } }).result.serverInfo.name).toBe(
      'agentcrm',
    );
    const get = await t.app.request('/mcp', {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, DELETE');
    const del = await t.app.request('/mcp', {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(del.status).toBe(200);
  });
  it('answers a typed tools/call without the SDK exactly as through it, and leaves the rest to the SDK', async () => {
    const headers = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
    };
    const rpc = (body: unknown, extra: Record<string, string> = {}) =>
      t.app.request('/mcp', {
        method: 'POST',
        headers: { ...headers, ...extra },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const toolCall = (id: string | number, name: string, args: object, more: object = {}) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name, arguments: args, ...more },
    });
    // Request ids differ per call; everything else must be the same on both paths.
    // biome-ignore lint/suspicious/noExplicitAny: tests read JSON-RPC answers freely
    const read = (response: Response): Promise<any> => response.json();
    const comparable = (answer: unknown) =>
      JSON.parse(JSON.stringify(answer).replace(/req_[0-9a-z]+/g, 'req_x'));
    const created = await client.callTool({
      name: 'contacts_create',
      arguments: { name: 'Fast Path', email: 'fast@example.com', idempotency_key: 'idem_fast_1' },
    });
    const contactId = envelope(created).data.id as string;
    for (const [name, args] of [
      ['contacts_get', { contact_id: contactId }],
      ['contacts_get', { contact_id: 'c_doesnotexist' }],
      ['contacts_get', { id: contactId }],
      ['contacts_update', { contact_id: contactId, stage: 'lead' }],
    ] as const) {
      // `_meta` in params is one of the shapes the fast path leaves to the SDK's server.
      const direct = await rpc(toolCall(7, name, args));
      const sdk = await rpc(toolCall(7, name, args, { _meta: {} }));
      expect(direct.status).toBe(200);
      for (const header of [
        'content-type',
        'access-control-allow-origin',
        'access-control-expose-headers',
        'x-content-type-options',
        'mcp-session-id',
      ]) {
        expect(direct.headers.get(header), header).toBe(sdk.headers.get(header));
      }
      expect(direct.headers.get('access-control-expose-headers')).toContain('www-authenticate');
      expect(direct.headers.get('x-request-id')).toMatch(/^req_/);
      expect(comparable(await direct.json())).toEqual(comparable(await sdk.json()));
    }
    const named = await read(await rpc(toolCall('call-a', 'contacts_get', { contact_id: contactId })));
    expect(named).toMatchObject({
      jsonrpc: '2.0',
      id: 'call-a',
      result: { structuredContent: { outcome: 'applied' } },
    });
    expect(named.result.structuredContent.data.id).toBe(contactId);

    // What the fast path does not take still gets the SDK's answers.
    expect(
      (await rpc(toolCall(1, 'contacts_get', { contact_id: contactId }), { accept: 'application/json' }))
        .status,
    ).toBe(406);
    expect(
      (await rpc(toolCall(1, 'contacts_get', { contact_id: contactId }), { 'content-type': 'text/plain' }))
        .status,
    ).toBe(415);
    const version = await rpc(toolCall(1, 'contacts_get', { contact_id: contactId }), {
      'mcp-protocol-version': '1999-01-01',
    });
    expect(version.status).toBe(400);
    const malformed = await rpc('{"jsonrpc":"2.0",');
    expect(malformed.status).toBe(400);
    expect((await read(malformed)).error.code).toBe(-32700);
    const notRpc = await rpc({
      jsonrpc: '1.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'contacts_get' },
    });
    expect(notRpc.status).toBe(400);
    const unknown = await read(await rpc(toolCall(2, 'no_such_tool', {})));
    expect(unknown.result.isError).toBe(true);
    expect(unknown.result.content[0].text).toContain('not_found');
    const badArgs = await read(
      await rpc({ ...toolCall(3, 'contacts_get', {}), params: { name: 'contacts_get', arguments: [] } }),
    );
    expect(badArgs.error).toBeDefined();
    expect(badArgs.result).toBeUndefined();
    const batch = await read(
      await rpc([toolCall(4, 'contacts_get', { contact_id: contactId }), toolCall(5, 'contacts_search', {})]),
    );
    expect(batch.map((answer: { id: number }) => answer.id).sort()).toEqual([4, 5]);
    const note = await rpc({ jsonrpc: '2.0', method: 'notifications/initialized' });
    expect(note.status).toBe(202);
    const anonymous = await t.app.request('/mcp', {
      method: 'POST',
      headers: { ...headers, authorization: '' },
      body: JSON.stringify(toolCall(6, 'contacts_get', { contact_id: contactId })),
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('access-control-allow-origin')).toBe('*');
    expect(anonymous.headers.get('access-control-expose-headers')).toContain('www-authenticate');
    const preflight = await t.app.request('/mcp', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://inspector.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, mcp-protocol-version',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,POST,DELETE');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('mcp-protocol-version');
  });
});

describe.each(DIALECTS)('MCP_TOOLS and limits on %s', (dialect) => {
  it('lists only the request tool, or only the typed tools', async () => {
    const t = await createTestApp(dialect, { PUBLIC_URL: BASE, MCP_TOOLS: 'request' });
    const typed = await createTestApp(dialect, { PUBLIC_URL: BASE, MCP_TOOLS: 'typed' });
    try {
      const client = await connect(t.app, (await bootstrapAgent(t.app)).token);
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['request']);
      const hidden = await client.callTool({ name: 'contacts_search', arguments: {} });
      expect(hidden.isError).toBe(true);
      await client.close();

      const typedClient = await connect(typed.app, (await bootstrapAgent(typed.app)).token);
      const names = (await typedClient.listTools()).tools.map((tool) => tool.name);
      expect(names).toHaveLength(operations.length);
      expect(names).not.toContain('request');
      expect(
        (await typedClient.callTool({ name: 'request', arguments: { method: 'GET', path: '/whoami' } }))
          .isError,
      ).toBe(true);
      await typedClient.close();
    } finally {
      await t.close();
      await typed.close();
    }
  });

  it('counts typed tool calls against the token rate limit', async () => {
    const t = await createTestApp(dialect, {
      PUBLIC_URL: BASE,
      PLAN_OVERRIDES: '{"sandbox":{"requests_per_minute":3}}',
    });
    try {
      const agent = await bootstrapAgent(t.app);
      const client = await connect(t.app, agent.token);
      const results = [];
      for (let i = 0; i < 4; i++)
        results.push(await client.callTool({ name: 'contacts_search', arguments: {} }));
      expect(results.slice(0, 3).every((result) => !result.isError)).toBe(true);
      expect(envelope(results[3]).error.code).toBe('rate_limited');
      await client.close();
    } finally {
      await t.close();
    }
  });
});
