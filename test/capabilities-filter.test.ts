import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, envelope } from './fixtures/mcp.js';
import { BASE } from './fixtures/oauth.js';
import { bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';

/** policy.explain_capabilities for only the tools an agent asks about: a fraction of the whole answer. */
describe.each(DIALECTS)('explain capabilities for some tools on %s', (dialect) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp(dialect, { PUBLIC_URL: BASE });
    token = (await bootstrapAgent(t.app)).token;
  });
  afterAll(async () => t.close());

  it('answers only the named tools and prefixes, the same way as for all of them', async () => {
    const all = await call(t.app, 'GET', '/policy/capabilities', undefined, { token, json: true });
    const some = await call(t.app, 'GET', '/policy/capabilities?tools=contacts.*,deals.update', undefined, {
      token,
      json: true,
    });
    expect(some.status).toBe(200);
    const names = some.json.data.tools.map((tool: { name: string }) => tool.name);
    expect(names).toContain('contacts.update');
    expect(names).toContain('deals.update');
    expect(names.every((name: string) => name.startsWith('contacts.') || name === 'deals.update')).toBe(true);
    for (const tool of some.json.data.tools)
      expect(tool).toEqual(all.json.data.tools.find((entry: { name: string }) => entry.name === tool.name));
    expect(some.text.length * 3).toBeLessThan(all.text.length);
    // Over MCP too, with the tool's own names.
    const client = await connect(t.app, token);
    try {
      const result = await client.callTool({
        name: 'policy_explain_capabilities',
        arguments: { tools: 'contacts_update' },
      });
      expect(envelope(result).data.tools.map((tool: { name: string }) => tool.name)).toEqual([
        'contacts.update',
      ]);
    } finally {
      await client.close();
    }
  });

  it('refuses a name that matches no tool, with a hint', async () => {
    const reply = await call(t.app, 'GET', '/policy/capabilities?tools=contacts.explode', undefined, {
      token,
      json: true,
    });
    expect(reply.status).toBe(400);
    expect(reply.json.error.message).toContain('"contacts.explode" matches no tool');
    expect(reply.json.error.hint).toContain('contacts.*');
  });
});
