import type { Client as ModernClient } from '@modelcontextprotocol/client';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, connect, connectModern } from './fixtures/mcp.js';
import { bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';

type Content = { type: string; uri?: string; name?: string; text?: string };

/**
 * Records as MCP resources: a tool answer that is one record links to it, and reading the link
 * answers the record for the caller (its own workspace only), on both protocol revisions.
 */
describe.each(DIALECTS)('records as MCP resources on %s', (dialect) => {
  let t: TestApp;
  let token: string;
  let legacy: Client;
  let modern: ModernClient;
  beforeAll(async () => {
    t = await createTestApp(dialect, { PUBLIC_URL: BASE });
    token = (await bootstrapAgent(t.app, 'resource_agent')).token;
    legacy = await connect(t.app, token);
    modern = await connectModern(t.app, token);
  });
  afterAll(async () => {
    await legacy.close();
    await modern.close();
    await t.close();
  });

  it('links a written record, and the link reads back the record on both revisions', async () => {
    const created = await legacy.callTool({
      name: 'records_create',
      arguments: {
        type: 'company',
        values: { name: 'Linked Co', domain: 'linked.example' },
        idempotency_key: `idem_${crypto.randomUUID()}`,
      },
    });
    const company = (created.structuredContent as { data: { id: string; handle: string } }).data;
    const link = (created.content as Content[]).find((item) => item.type === 'resource_link');
    expect(link).toMatchObject({ uri: `${BASE}/companies/${company.id}`, name: company.handle });
    for (const client of [legacy, modern]) {
      const read = await client.readResource({ uri: link!.uri! });
      const envelope = JSON.parse((read.contents[0] as { text: string }).text);
      expect(envelope).toMatchObject({ outcome: 'applied', data: { id: company.id, name: 'Linked Co' } });
    }
    // The same address over HTTP is the same record.
    const http = await call(t.app, 'GET', `/companies/${company.id}`, undefined, { token, json: true });
    expect(http.json.data.name).toBe('Linked Co');
    const templates = await legacy.listResourceTemplates();
    expect(templates.resourceTemplates.map((template) => template.uriTemplate)).toEqual(
      expect.arrayContaining([
        `${BASE}/contacts/{id}`,
        `${BASE}/companies/{id}`,
        `${BASE}/deals/{id}`,
        `${BASE}/tasks/{id}`,
      ]),
    );
  });

  it('does not link a page of records, and reads nothing of another workspace', async () => {
    const page = await legacy.callTool({ name: 'records_search', arguments: { type: 'company' } });
    expect((page.content as Content[]).filter((item) => item.type === 'resource_link')).toEqual([]);

    const other = await bootstrapAgent(t.app, 'other_resource_agent');
    const theirs = await call(
      t.app,
      'POST',
      '/contacts',
      { name: 'Hidden', email: 'hidden@other.example' },
      {
        token: other.token,
        json: true,
      },
    );
    for (const client of [legacy, modern]) {
      const read = await client.readResource({ uri: `${BASE}/contacts/${theirs.json.data.id}` });
      const envelope = JSON.parse((read.contents[0] as { text: string }).text);
      expect(envelope.outcome).toBe('error');
      expect(envelope.error.code).toBe('not_found');
      expect(JSON.stringify(envelope)).not.toContain('Hidden');
    }
  });
});
