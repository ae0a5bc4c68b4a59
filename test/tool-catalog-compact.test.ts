import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../src/operations/registry.js';
import { bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';

/**
 * GET /agentcrm-tools.json is compact by default (the guide's flags for every tool, under 40 KB);
 * ?tool= gives whole entries and ?full=true the whole catalog, as before.
 */
describe.each(DIALECTS)('the compact tool catalog on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('lists every tool with the flags the guide says to register, in under 40 KB', async () => {
    const reply = await call(t.app, 'GET', '/agentcrm-tools.json');
    expect(reply.status).toBe(200);
    expect(Buffer.byteLength(reply.text)).toBeLessThanOrEqual(40_000);
    const catalog = JSON.parse(reply.text);
    expect(catalog.tools.map((tool: { name: string }) => tool.name).sort()).toEqual(
      operations.map((operation) => operation.name).sort(),
    );
    const full = JSON.parse((await call(t.app, 'GET', '/agentcrm-tools.json?full=true')).text);
    expect(Buffer.byteLength(JSON.stringify(full))).toBeGreaterThan(Buffer.byteLength(reply.text) * 3);
    for (const tool of catalog.tools) {
      const whole = full.tools.find((entry: { name: string }) => entry.name === tool.name);
      for (const flag of [
        'kind',
        'mutating',
        'requires_idempotency_key',
        'requires_human_approval',
        'callers',
      ])
        expect(tool[flag], `${tool.name}.${flag}`).toEqual(whole[flag]);
      expect(tool.input_schema).toBeUndefined();
    }
    expect(catalog.compact).toMatch(/\?tool=/);
  });

  it('gives whole entries by name (dotted or with underscores), the same as the full catalog', async () => {
    const full = JSON.parse((await call(t.app, 'GET', '/agentcrm-tools.json?full=true')).text);
    const reply = await call(t.app, 'GET', '/agentcrm-tools.json?tool=contacts.create,deals_update');
    expect(reply.status).toBe(200);
    const some = JSON.parse(reply.text);
    expect(some.tools.map((tool: { name: string }) => tool.name)).toEqual([
      'contacts.create',
      'deals.update',
    ]);
    expect(some.tools[0]).toEqual(
      full.tools.find((tool: { name: string }) => tool.name === 'contacts.create'),
    );
    expect(some.tools[0].input_schema.properties).toHaveProperty('email');
  });

  it('refuses an unknown tool or a bad flag with a hint', async () => {
    const unknown = await call(
      t.app,
      'GET',
      '/agentcrm-tools.json?tool=contacts.create,contacts.explode',
      undefined,
      {
        json: true,
      },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toContain('"contacts.explode"');
    expect(unknown.json.error.hint).toContain('?tool=');
    const empty = await call(t.app, 'GET', '/agentcrm-tools.json?tool=', undefined, { json: true });
    expect(empty.status).toBe(404);
    const bad = await call(t.app, 'GET', '/agentcrm-tools.json?full=yes', undefined, { json: true });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_input');
  });

  it('points a failed call at the tool’s own entry', async () => {
    const agent = await bootstrapAgent(t.app);
    const reply = await call(
      t.app,
      'POST',
      '/tools/contacts.create',
      { email: 'not an email' },
      {
        token: agent.token,
        json: true,
        headers: { 'x-idempotency-key': 'idem_compact_1' },
      },
    );
    expect(reply.json.error.code).toBe('invalid_input');
    expect(reply.json.error.hint).toContain('/agentcrm-tools.json?tool=contacts.create');
  });
});
