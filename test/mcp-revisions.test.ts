import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernTransport,
} from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, connect, connectModern, envelope, REVISION } from './fixtures/mcp.js';
import { bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';

/**
 * /mcp speaks both revisions from one catalog: 2026-07-28 (stateless, per-request _meta,
 * server/discover) through the SDK v2, and 2025-11-25 through the v1 path, with the same tools,
 * the same answers and the same refusals.
 */
describe.each(DIALECTS)('MCP 2026-07-28 beside 2025-11-25 on %s', (dialect) => {
  let t: TestApp;
  let agent: { token: string };
  let modern: ModernClient;
  beforeAll(async () => {
    t = await createTestApp(dialect, { PUBLIC_URL: BASE });
    agent = await bootstrapAgent(t.app, 'modern_agent');
    modern = await connectModern(t.app, agent.token);
  });
  afterAll(async () => {
    await modern?.close();
    await t.close();
  });

  it('negotiates 2026-07-28 and lists the same default tools as a 2025-11-25 client, under 40 KB', async () => {
    expect(modern.getNegotiatedProtocolVersion()).toBe(REVISION);
    expect(modern.getProtocolEra()).toBe('modern');
    const { tools } = await modern.listTools();
    expect(Buffer.byteLength(JSON.stringify({ tools }))).toBeLessThanOrEqual(40_000);
    const legacy = await connect(t.app, agent.token);
    try {
      const old = (await legacy.listTools()).tools;
      expect(tools.map((tool) => tool.name)).toEqual(old.map((tool) => tool.name));
    } finally {
      await legacy.close();
    }
    expect(tools.map((tool) => tool.name)).toContain('records_create');
  });

  it('calls a typed tool, a record tool and request, with structuredContent checked against the output schema', async () => {
    const created = await modern.callTool({
      name: 'records_create',
      arguments: {
        type: 'contact',
        values: { name: 'Modern Ada', email: 'modern.ada@example.com' },
        idempotency_key: `idem_${crypto.randomUUID()}`,
      },
    });
    expect(created.isError).toBeFalsy();
    const contact = (created.structuredContent as { data: { id: string; name: string } }).data;
    expect(contact.name).toBe('Modern Ada');
    const whoami = await modern.callTool({ name: 'account_whoami', arguments: {} });
    expect((whoami.structuredContent as { outcome: string }).outcome).toBe('applied');
    const viaRequest = await modern.callTool({
      name: 'request',
      arguments: { method: 'GET', path: `/contacts/${contact.id}` },
    });
    const first = viaRequest.content[0];
    expect(first?.type === 'text' ? first.text : '').toMatch(/name="Modern Ada"/);
    // The record written over 2026-07-28 is the one the HTTP API shows.
    const http = await call(t.app, 'GET', `/contacts/${contact.id}`, undefined, {
      token: agent.token,
      json: true,
    });
    expect(http.json.data.email).toBe('modern.ada@example.com');
  });

  it('answers a proposal with the proposal id to poll, on both revisions', async () => {
    const created = await modern.callTool({
      name: 'contacts_create',
      arguments: {
        name: 'Sensitive',
        email: 'sensitive@example.com',
        idempotency_key: `idem_${crypto.randomUUID()}`,
      },
    });
    const id = (created.structuredContent as { data: { id: string } }).data.id;
    const proposed = await modern.callTool({
      name: 'contacts_propose_update',
      arguments: {
        contact_id: id,
        changes: { phone: '+1 555 0100' },
        idempotency_key: `idem_${crypto.randomUUID()}`,
      },
    });
    const answer = proposed.structuredContent as { outcome: string; data: { id: string; status: string } };
    expect(answer.outcome).toBe('proposed');
    expect(answer.data.id).toMatch(/^p_/);
    const status = await modern.callTool({
      name: 'proposals_get_status',
      arguments: { proposal_id: answer.data.id },
    });
    expect((status.structuredContent as { data: { status: string } }).data.status).toBe('pending');
    const legacy = await connect(t.app, agent.token);
    try {
      const same = await legacy.callTool({
        name: 'proposals_get_status',
        arguments: { proposal_id: answer.data.id },
      });
      expect(envelope(same).data.status).toBe('pending');
    } finally {
      await legacy.close();
    }
  });

  it('sends a client that declared URL elicitation to the approval page first, then answers the proposal once', async () => {
    const opened: { url?: string; message?: string }[] = [];
    const asking = new ModernClient(
      { name: 'elicitation-client', version: '2.0.0' },
      { versionNegotiation: { mode: { pin: REVISION } }, capabilities: { elicitation: { url: {} } } },
    );
    asking.setRequestHandler('elicitation/create', async (request) => {
      opened.push(request.params as { url?: string; message?: string });
      return { action: 'accept' };
    });
    await asking.connect(
      new ModernTransport(new URL(`${BASE}/mcp`), {
        fetch: (url, init) => t.app.fetch(new Request(url, init)),
        requestInit: { headers: { authorization: `Bearer ${agent.token}` } },
      }),
    );
    try {
      const created = await asking.callTool({
        name: 'contacts_create',
        arguments: {
          name: 'Elicited',
          email: 'elicited@example.com',
          idempotency_key: `idem_${crypto.randomUUID()}`,
        },
      });
      expect(opened).toHaveLength(0); // applied at once: nothing to approve
      const id = (created.structuredContent as { data: { id: string } }).data.id;
      const before = await call(t.app, 'GET', '/proposals?limit=100', undefined, {
        token: agent.token,
        json: true,
      });
      const proposed = await asking.callTool({
        name: 'contacts_propose_update',
        arguments: {
          contact_id: id,
          changes: { phone: '+1 555 0199' },
          idempotency_key: `idem_${crypto.randomUUID()}`,
        },
      });
      const answer = proposed.structuredContent as { outcome: string; data: { id: string } };
      expect(answer.outcome).toBe('proposed');
      expect(opened).toHaveLength(1);
      expect(opened[0]!.url).toBe(`${BASE}/human/approvals#proposal-${answer.data.id}`);
      expect(opened[0]!.message).toContain(answer.data.id);
      // The retry after the page was a replay: one proposal, not two.
      const after = await call(t.app, 'GET', '/proposals?limit=100', undefined, {
        token: agent.token,
        json: true,
      });
      expect(after.json.data.length).toBe(before.json.data.length + 1);
    } finally {
      await asking.close();
    }
  });

  it('refuses a 2026-07-28 request without a token, and another workspace’s record, as 2025-11-25 does', async () => {
    const anonymous = new ModernClient(
      { name: 'anonymous', version: '2.0.0' },
      { versionNegotiation: { mode: { pin: REVISION } } },
    );
    const transport = new ModernTransport(new URL(`${BASE}/mcp`), {
      fetch: (url, init) => t.app.fetch(new Request(url, init)),
    });
    await expect(anonymous.connect(transport)).rejects.toThrow();

    const other = await bootstrapAgent(t.app, 'other_modern_agent');
    const theirs = await call(
      t.app,
      'POST',
      '/contacts',
      { name: 'Theirs', email: 'theirs@example.com' },
      {
        token: other.token,
        json: true,
      },
    );
    const read = await modern.callTool({
      name: 'records_get',
      arguments: { type: 'contact', id: theirs.json.data.id },
    });
    expect(read.isError).toBe(true);
    expect((read.structuredContent as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('answers a scope refusal of a token minted by hand as a tool result, not the OAuth step-up 403', async () => {
    // Only an OAuth client can re-authorize (test/mcp-oauth-modern.test.ts); a narrowed API token
    // reads the refusal and its hint like any other.
    const minted = await call(
      t.app,
      'POST',
      '/tokens',
      { token_name: 'read only', scopes: ['read'] },
      {
        token: agent.token,
        json: true,
      },
    );
    const readOnly = await connectModern(t.app, minted.json.data.token);
    try {
      const refused = await readOnly.callTool({
        name: 'records_create',
        arguments: {
          type: 'contact',
          values: { name: 'No' },
          idempotency_key: `idem_${crypto.randomUUID()}`,
        },
      });
      expect(refused.isError).toBe(true);
      const error = (refused.structuredContent as { error: { code: string; hint: string } }).error;
      expect(error.code).toBe('scope_insufficient');
      expect(error.hint).toMatch(/mint one with POST \/auth\/verify/);
    } finally {
      await readOnly.close();
    }
  });
});
