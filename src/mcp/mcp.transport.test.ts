import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, connect, envelope, mcpFixture } from '../../test/fixtures/mcp.js';
import { bootstrapAgent, createTestApp, DIALECTS, type TestApp } from '../../test/harness.js';
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
