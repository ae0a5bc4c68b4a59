import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';

/** Every answer echoes the idempotency key the call carried: refusals before any operation ran too. */
describe.each(DIALECTS)('idempotency key echo on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  beforeAll(async () => {
    t = await createTestApp(dialect, { MAX_BODY_BYTES: '65536' });
    agent = await bootstrapAgent(t.app, 'echo_agent');
  }, 60_000); // setup runs sign-ups and migrations: slow on a loaded machine
  afterAll(async () => t.close());

  /** The same request in JSON and in text: both must carry the key. */
  async function both(
    method: string,
    path: string,
    body: unknown,
    key: string,
    options: { token?: string; raw?: string; header?: string } = {},
  ) {
    const headers = { [options.header ?? 'x-idempotency-key']: key };
    const common = {
      headers,
      ...(options.token ? { token: options.token } : {}),
      ...(options.raw !== undefined ? { raw: options.raw } : {}),
    };
    const json = await call(t.app, method, path, body, { ...common, json: true });
    const text = await call(t.app, method, path, body, common);
    expect(json.json.idempotency_key, `${method} ${path} (JSON)`).toBe(key);
    expect(text.text, `${method} ${path} (text)`).toContain(`# idempotency_key: ${key}\n`);
    expect(text.status).toBe(json.status);
    return json;
  }

  it('on validation errors, through REST and /tools', async () => {
    const rest = await both('POST', '/contacts', { email: 'not-an-email' }, 'idem_bad_rest', {
      token: agent.token,
    });
    expect(rest.status).toBe(400);
    expect(rest.json.error.code).toBe('invalid_input');
    const tool = await both('POST', '/tools/contacts.create', { name: 'X', nope: 1 }, 'idem_bad_tool', {
      token: agent.token,
    });
    expect(tool.status).toBe(400);
    const patch = await both('PATCH', '/contacts/c_0000000000000000', { email: 'x' }, 'idem_bad_patch', {
      token: agent.token,
    });
    expect(patch.status).toBe(400);
    const malformed = await both('POST', '/contacts', undefined, 'idem_bad_json', {
      token: agent.token,
      raw: '{"name":',
    });
    expect(malformed.json.error.code).toBe('invalid_json');
  });

  it('on auth, routing, size and policy refusals, and with the Idempotency-Key spelling', async () => {
    expect((await both('POST', '/contacts', { name: 'X' }, 'idem_noauth')).status).toBe(401);
    expect((await both('POST', '/nowhere', {}, 'idem_404', { token: agent.token })).status).toBe(404);
    expect(
      (await both('POST', '/tools/no.such_tool', {}, 'idem_notool', { token: agent.token })).status,
    ).toBe(404);
    const big = await both('POST', '/contacts', undefined, 'idem_big', {
      token: agent.token,
      raw: JSON.stringify({ name: 'x'.repeat(70_000) }),
    });
    expect(big.status).toBe(413);
    const alias = await both('POST', '/contacts', { email: 'bad' }, 'idem_alias', {
      token: agent.token,
      header: 'idempotency-key',
    });
    expect(alias.status).toBe(400);
    const created = await both('POST', '/contacts', { name: 'Echo Eve', email: 'eve@echo.dev' }, 'idem_ok', {
      token: agent.token,
    });
    expect(created.status).toBe(201); // the text call replays the JSON call's answer
    const reused = await both('POST', '/contacts', { name: 'Other' }, 'idem_ok', { token: agent.token });
    expect(reused.status).toBe(422);
    const denied = await both(
      'PATCH',
      `/contacts/${created.json.data.id}`,
      { phone: '+1 555 0199' },
      'idem_denied',
      { token: agent.token },
    );
    expect(denied.json.outcome).toBe('denied');
  });

  it('carries no idempotency line when the call sent no key', async () => {
    const reply = await call(t.app, 'POST', '/contacts', { email: 'bad' }, { token: agent.token });
    expect(reply.text).not.toContain('idempotency_key');
    const json = await call(t.app, 'POST', '/contacts', { email: 'bad' }, { token: agent.token, json: true });
    expect(json.json.idempotency_key).toBeNull();
  });
});
