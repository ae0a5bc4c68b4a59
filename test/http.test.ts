import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';

describe.each(DIALECTS)('HTTP transport on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  beforeAll(async () => {
    t = await createTestApp(dialect, { MAX_BODY_BYTES: '4096' });
    agent = await bootstrapAgent(t.app);
  });
  afterAll(async () => t.close());

  it('answers the probes without auth', async () => {
    expect((await call(t.app, 'GET', '/healthz')).text).toBe('ok\n');
    const ready = await call(t.app, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.text).toBe('ready\n');
  });

  it('serves the manual with every registered route', async () => {
    const help = await call(t.app, 'GET', '/help');
    expect(help.status).toBe(200);
    expect(help.text).toContain('POST /agent-bootstrap');
    expect(help.text).toMatch(
      /^GET \/contacts\/\{contact_id\} .*\[contacts.get, read, not mutating, approval never\]$/m,
    );
    expect(help.text).toMatch(
      /^PATCH \/contacts\/\{contact_id\} .*\[contacts.update, write, mutating, approval sometimes\]$/m,
    );
  });

  it('serves an OpenAPI document generated from the registry', async () => {
    const reply = await call(t.app, 'GET', '/openapi.json');
    const doc = JSON.parse(reply.text);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/contacts'].post.operationId).toBe('contacts.create');
    expect(
      doc.paths['/contacts'].post.requestBody.content['application/json'].schema.properties,
    ).toHaveProperty('email');
    expect(doc.paths['/agent-bootstrap'].post.security).toEqual([]);
  });

  it('serves an OpenAPI document that a validator accepts, every $ref resolving inside it', async () => {
    const doc = JSON.parse((await call(t.app, 'GET', '/openapi.json')).text);
    const result = await validate(structuredClone(doc));
    expect(result.valid, JSON.stringify(result)).toBe(true);
    // The recursive value of a custom field is one shared component, referenced by every write and
    // every record schema; the envelope, the error and each kind's record are components too.
    const names = 'ActivityRecord CompanyRecord ContactRecord DealRecord Envelope Error JsonValue TaskRecord';
    expect(Object.keys(doc.components.schemas).sort().join(' ')).toBe(names);
    // Every $ref points at a component, and every component is referenced.
    const refs = (JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? []).map((found) => found.slice(8, -1));
    expect(refs.filter((found) => found.endsWith('/JsonValue')).length).toBeGreaterThan(12);
    expect([...new Set(refs)].sort()).toEqual(names.split(' ').map((name) => `#/components/schemas/${name}`));
  });

  it('accepts JSON bodies sent with a form content type (curl -d)', async () => {
    const reply = await call(t.app, 'POST', '/contacts', undefined, {
      token: agent.token,
      raw: '{"name":"Form Type","email":"form@type.dev"}',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(reply.status).toBe(201);
  });

  it('malformed JSON is 400 invalid_json with a hint, in text and JSON', async () => {
    const text = await call(t.app, 'POST', '/contacts', undefined, { token: agent.token, raw: '{"name": ' });
    expect(text.status).toBe(400);
    expect(text.text).toMatch(/^error invalid_json: the request body is not valid JSON/);
    expect(text.text).toMatch(/\nhint: send a JSON object/);
    const json = await call(t.app, 'POST', '/contacts', undefined, {
      token: agent.token,
      raw: '[1,2]',
      json: true,
    });
    expect(json.status).toBe(400);
    expect(json.json).toMatchObject({ outcome: 'error', data: null, error: { code: 'invalid_json' } });
  });

  it('a body over the cap is 413', async () => {
    const reply = await call(
      t.app,
      'POST',
      '/contacts',
      { name: 'x'.repeat(5000) },
      { token: agent.token, json: true },
    );
    expect(reply.status).toBe(413);
    expect(reply.json.error.code).toBe('payload_too_large');
  });

  it('echoes a sent X-Request-Id and generates one otherwise', async () => {
    const sent = await call(t.app, 'GET', '/contacts', undefined, {
      token: agent.token,
      headers: { 'x-request-id': 'req_mine.1' },
    });
    expect(sent.headers.get('x-request-id')).toBe('req_mine.1');
    expect(sent.text).toContain('# request_id: req_mine.1');
    const generated = await call(t.app, 'GET', '/contacts', undefined, { token: agent.token, json: true });
    expect(generated.json.request_id).toMatch(/^req_[0-9a-z]{16}$/);
    expect(generated.headers.get('x-request-id')).toBe(generated.json.request_id);
    const hostile = await call(t.app, 'GET', '/healthz', undefined, {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(hostile.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('JSON comes from Accept or ?format=json and always has the whole envelope', async () => {
    const reply = await call(t.app, 'GET', '/contacts?format=json', undefined, { token: agent.token });
    expect(reply.headers.get('content-type')).toContain('application/json');
    const envelope = JSON.parse(reply.text);
    expect(Object.keys(envelope).sort()).toEqual(
      [
        'data',
        'explanation',
        'idempotency_key',
        'next_actions',
        'next_cursor',
        'operation_id',
        'outcome',
        'policy',
        'request_id',
        'warnings',
      ].sort(),
    );
    expect(envelope.policy).toEqual({ decision: 'allow', reason_code: 'policy.allowed' });
    const text = await call(t.app, 'GET', '/contacts?format=text', undefined, {
      token: agent.token,
      headers: { accept: 'application/json' },
    });
    expect(text.headers.get('content-type')).toContain('text/plain');
  });

  it('auth failures are 401 with a code and a hint', async () => {
    const missing = await call(t.app, 'GET', '/contacts', undefined, { json: true });
    expect(missing.status).toBe(401);
    expect(missing.json.error.code).toBe('auth_required');
    expect(missing.json.error.hint).toContain('agent-bootstrap');
    const unknown = await call(t.app, 'GET', '/contacts', undefined, {
      token: 'ck_notarealtoken',
      json: true,
    });
    expect(unknown.status).toBe(401);
    expect(unknown.json.error.code).toBe('invalid_token');
    const malformed = await call(t.app, 'GET', '/contacts', undefined, {
      headers: { authorization: 'Basic abc' },
    });
    expect(malformed.status).toBe(401);
    expect(malformed.text).toMatch(/^error invalid_token:/);
  });

  it('unknown routes are 404 and wrong methods 405 with Allow', async () => {
    const missing = await call(t.app, 'GET', '/nowhere', undefined, { json: true });
    expect(missing.status).toBe(404);
    expect(missing.json.error.hint).toContain('GET /help');
    const wrong = await call(t.app, 'PUT', '/contacts', undefined, { token: agent.token });
    expect(wrong.status).toBe(405);
    expect(wrong.text).toMatch(/^error method_not_allowed: /);
    expect(wrong.headers.get('allow')).toContain('POST');
  });

  it('X-Agent-Tool-Name must name the route operation', async () => {
    const ok = await call(t.app, 'GET', '/contacts', undefined, {
      token: agent.token,
      headers: { 'x-agent-tool-name': 'contacts.search' },
    });
    expect(ok.status).toBe(200);
    const mismatch = await call(t.app, 'GET', '/contacts', undefined, {
      token: agent.token,
      json: true,
      headers: { 'x-agent-tool-name': 'contacts.create' },
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.error.hint).toContain('contacts.search');
  });

  it('text values with spaces, quotes or = are JSON-quoted so each line parses alone', async () => {
    const reply = await call(
      t.app,
      'POST',
      '/contacts',
      { name: 'Ann "The Closer" O=Neil', title: 'Head, Sales', custom: { note: 'line1\nline2' } },
      { token: agent.token },
    );
    const line = reply.text.split('\n')[0]!;
    expect(line).toContain('name="Ann \\"The Closer\\" O=Neil"');
    expect(line).toContain('title="Head, Sales"');
    expect(line).toContain('custom.note="line1\\nline2"');
  });

  it('?fields= keeps only the asked-for fields (plus handle and id), in text and JSON', async () => {
    await call(
      t.app,
      'POST',
      '/contacts',
      { name: 'Lean Lou', email: 'lou@lean.dev', title: 'CFO', custom: { tier: 'gold', region: 'eu' } },
      { token: agent.token },
    );
    const json = await call(t.app, 'GET', '/contacts?email=lou@lean.dev&fields=name,custom.tier', undefined, {
      token: agent.token,
      json: true,
    });
    expect(json.json.data).toEqual([
      {
        handle: expect.stringMatching(/^contact\//),
        id: expect.any(String),
        name: 'Lean Lou',
        custom: { tier: 'gold' },
      },
    ]);
    const text = await call(t.app, 'GET', '/contacts?email=lou@lean.dev&fields=email', undefined, {
      token: agent.token,
    });
    expect(text.text).toMatch(/^contact\/c_\S+ email=lou@lean.dev\n/);
    const viaHeader = await call(
      t.app,
      'POST',
      '/tools/contacts.search',
      { where: { email: 'lou@lean.dev' } },
      { token: agent.token, json: true, headers: { 'x-fields': 'title' } },
    );
    expect(viaHeader.json.data[0]).toEqual({
      handle: expect.any(String),
      id: expect.any(String),
      title: 'CFO',
    });
    const unknown = await call(
      t.app,
      'GET',
      '/contacts?email=lou@lean.dev&fields=name,shoe_size',
      undefined,
      { token: agent.token, json: true },
    );
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatchObject({ code: 'invalid_input' });
    expect(unknown.json.error.hint).toContain('email');
    // Answers without a record view (the policy, proposals …) keep plain fields and warn.
    const plain = await call(t.app, 'GET', '/policy?fields=agent_deletes,shoe_size', undefined, {
      token: agent.token,
      json: true,
    });
    expect(plain.json.data).toEqual({
      handle: 'policy/workspace',
      agent_deletes: expect.any(String),
    });
    expect(plain.json.warnings[0]).toMatchObject({ code: 'fields_unknown' });
    // An answer whose text the operation writes itself (a record's history): the JSON form takes
    // the fields, and both forms say the text is not shortened.
    const made = await call(
      t.app,
      'POST',
      '/contacts',
      { name: 'Hist Ory' },
      { token: agent.token, json: true },
    );
    const path = `/contacts/${made.json.data.id}/history?fields=operation`;
    const historyJson = await call(t.app, 'GET', path, undefined, { token: agent.token, json: true });
    expect(historyJson.status).toBe(200);
    expect(historyJson.json.data).toHaveLength(1);
    expect(historyJson.json.data[0]).toMatchObject({ operation: 'contacts.create' });
    expect(historyJson.json.data[0]).not.toHaveProperty('changes');
    expect(historyJson.json.warnings).toEqual([expect.objectContaining({ code: 'fields_text_fixed' })]);
    const historyText = await call(t.app, 'GET', path, undefined, { token: agent.token });
    expect(historyText.status).toBe(200);
    expect(historyText.text).toContain('fields_text_fixed');
    const bad = await call(t.app, 'GET', '/contacts?fields=na me', undefined, {
      token: agent.token,
      json: true,
    });
    expect(bad.status).toBe(400);
  });

  describe('token expiry', () => {
    it('an idle token expires and each use renews it', async () => {
      const t = await createTestApp(dialect);
      const fresh = await bootstrapAgent(t.app, 'idle_agent');
      const idle = t.config.tokenIdleTtlSeconds * 1000;
      t.clock.advance(idle - 120_000);
      expect((await call(t.app, 'GET', '/contacts', undefined, { token: fresh.token })).status).toBe(200);
      t.clock.advance(idle - 120_000);
      expect((await call(t.app, 'GET', '/contacts', undefined, { token: fresh.token })).status).toBe(200);
      t.clock.advance(idle + 1);
      const expired = await call(t.app, 'GET', '/contacts', undefined, { token: fresh.token, json: true });
      expect(expired.status).toBe(401);
      expect(expired.json.error.code).toBe('token_expired');
      await t.close();
    });
  });
});
