import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../src/app.js';
import { ERROR_CODES, type ErrorCode } from '../src/errors.js';
import { toolName } from '../src/mcp/tools.js';
import type { AnyOperation } from '../src/operations/define.js';
import { operations } from '../src/operations/registry.js';
import { allowedFields } from '../src/operations/validation.js';
import { tenantTables } from '../src/store/tenant-tables.js';
import { type Agent, bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';
import { inviteHuman, type Person } from './mailbox.js';

/** An MCP client (the SDK's own) talking to the in-process app with a bearer token. */
async function connectMcp(app: App, publicUrl: string, token: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${publicUrl}/mcp`), {
    fetch: (url, init) => app.fetch(new Request(url, init)),
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'isolation-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

/** The REST route of an operation with its path parameters filled in; the rest goes in the query or body. */
function restCall(operation: AnyOperation, input: Record<string, unknown>) {
  const rest = { ...input };
  const path = operation.http.path.replace(/:(\w+)/g, (_, name: string) => {
    const value = String(rest[name] ?? 'missing');
    delete rest[name];
    return encodeURIComponent(value);
  });
  const method = operation.http.method;
  if (method === 'GET' || method === 'DELETE') {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(rest)) if (typeof value === 'string') query.set(key, value);
    return { method, target: query.size ? `${path}?${query}` : path, body: undefined };
  }
  return { method, target: path, body: rest };
}

/** What B's records are called: none of it may appear in an answer to A. */
const B_NAMES = ['B Person', 'B Co', 'B Deal', 'B Task', 'B note', 'B Batch', 'p@b.example', 'b.example'];

/**
 * Generated from the registry: every operation that takes an id, called by workspace A's agent
 * and by A's human with workspace B's ids — over POST /tools/{name}, its REST route and the MCP
 * tool of the same name — answers 404 (403 for a workspace it is not in) and leaves every row of
 * B exactly as it was. A new operation is covered without a new test.
 */
describe.each(DIALECTS)('tenant isolation across every operation on %s', (dialect) => {
  let t: TestApp;
  let a: Agent;
  let aHuman: Person;
  let b: Agent;
  const ids: Record<string, string> = {};
  const mcp: Client[] = [];

  const dump = async (workspaceId: string) => {
    const tables = await tenantTables(t.store.db, t.store.dialect);
    const rows: Record<string, unknown[]> = {};
    for (const table of tables) {
      const result = await sql<
        Record<string, unknown>
      >`select * from ${sql.table(table.name)} where workspace_id = ${workspaceId} order by 1, 2`.execute(
        t.store.db,
      );
      rows[table.name] = result.rows;
    }
    return JSON.stringify(rows);
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = await bootstrapAgent(t.app, 'agent_a');
    aHuman = await inviteHuman(t.app, t.config.dataDir, a, 'owner@a.dev');
    b = await bootstrapAgent(t.app, 'agent_b');
    const bHuman = await inviteHuman(t.app, t.config.dataDir, b, 'owner@b.dev');
    const as = (path: string, body: unknown) =>
      call(t.app, 'POST', path, body, { token: b.token, json: true });
    ids.company_id = (await as('/companies', { name: 'B Co', domain: 'b.example' })).json.data.id;
    ids.contact_id = (
      await as('/contacts', {
        name: 'B Person',
        email: 'p@b.example',
        phone: '+1 555 0100',
        company_id: ids.company_id,
      })
    ).json.data.id;
    ids.deal_id = (await as('/deals', { title: 'B Deal', contact_id: ids.contact_id })).json.data.id;
    ids.task_id = (await as('/tasks', { title: 'B Task', contact_id: ids.contact_id })).json.data.id;
    ids.activity_id = (
      await as(`/contacts/${ids.contact_id}/activities`, { kind: 'note', body: 'B note' })
    ).json.data.id;
    ids.proposal_id = (
      await as(`/contacts/${ids.contact_id}/proposals`, { changes: { phone: '+1 555 0199' } })
    ).json.data.id;
    ids.operation_id = (await as('/contacts/batch', { items: [{ name: 'B Batch' }] })).json.data.id;
    ids.workspace_id = b.workspaceId;
    ids.agent_id = b.agentId;
    ids.user_id = bHuman.userId;
    ids.token_id = (
      await call(t.app, 'GET', '/tokens', undefined, { token: b.token, json: true })
    ).json.data[0].id;
    ids.invite_id = 'inv_0000000000000000';
    for (const [field, value] of Object.entries(ids)) expect(value, field).toBeTruthy();
    // Let B's background work settle so the dumps compare only what the calls below could change.
    await vi.waitFor(
      async () => {
        const op = await call(t.app, 'GET', `/operations/${ids.operation_id}`, undefined, {
          token: b.token,
          json: true,
        });
        if (op.json.data.status !== 'succeeded') throw new Error(op.json.data.status);
      },
      { timeout: 15_000, interval: 25 },
    );
    await t.app.services.meter.flush();
    for (const token of [a.token, aHuman.token]) mcp.push(await connectMcp(t.app, t.config.publicUrl, token));
  });
  afterAll(async () => {
    for (const client of mcp) await client.close();
    await t.close();
  });

  const withIds = operations.filter((operation) =>
    allowedFields(operation.input).some((field) => field.endsWith('_id') && field !== 'workspace_id'),
  );

  it('covers every operation that names a record', () => {
    expect(withIds.length).toBeGreaterThan(20);
  });

  it.each(withIds.map((operation) => operation.name))(
    "%s with another workspace's ids: 404, nothing changed",
    async (name) => {
      const operation = operations.find((candidate) => candidate.name === name)!;
      const fields = allowedFields(operation.input);
      const input: Record<string, unknown> = {};
      const plausible: Record<string, unknown> = {
        name: 'Hijacked',
        title: 'Hijacked',
        changes: { title: 'Hijacked' },
        decision: 'approve',
        kind: 'note',
        body: 'Hijacked',
        role: 'admin',
        status: 'done',
      };
      for (const field of fields) {
        if (ids[field]) input[field] = ids[field];
        else if (field in plausible) input[field] = plausible[field];
      }
      const before = await dump(b.workspaceId);
      const rest = restCall(operation, input);
      for (const [who, token] of [a.token, aHuman.token].entries()) {
        const tag = `${name}_${who}`;
        const reply = await call(t.app, 'POST', `/tools/${name}`, input, {
          token,
          json: true,
          headers: { 'x-idempotency-key': `idem_iso_tools_${tag}` },
        });
        // 400 when the operation needs more input than ids: it must not get as far as B's data.
        expect([400, 403, 404], `${name}: ${reply.text}`).toContain(reply.status);
        for (const secret of B_NAMES) expect(reply.text, name).not.toContain(secret);

        const routed = await call(t.app, rest.method, rest.target, rest.body, {
          token,
          json: true,
          headers: { 'x-idempotency-key': `idem_iso_rest_${tag}` },
        });
        expect([400, 403, 404], `${rest.method} ${rest.target}: ${routed.text}`).toContain(routed.status);
        for (const secret of B_NAMES) expect(routed.text, rest.target).not.toContain(secret);

        const result = (await mcp[who]!.callTool({
          name: toolName(operation),
          arguments: { ...input, ...(operation.mutating ? { idempotency_key: `idem_iso_mcp_${tag}` } : {}) },
        })) as CallToolResult;
        const code = (result.structuredContent as { error?: { code: ErrorCode } } | undefined)?.error?.code;
        expect(result.isError, `MCP ${toolName(operation)}: ${JSON.stringify(result.content)}`).toBe(true);
        expect([400, 403, 404], `MCP ${toolName(operation)}: ${code}`).toContain(ERROR_CODES[code!]?.status);
        for (const secret of B_NAMES) expect(JSON.stringify(result), name).not.toContain(secret);
      }
      expect(await dump(b.workspaceId)).toBe(before);
    },
  );

  it('refuses mass assignment of tenancy and bookkeeping fields', async () => {
    for (const field of ['workspace_id', 'role', 'plan', 'created_by', 'version', 'id', 'deleted_at']) {
      const reply = await call(
        t.app,
        'POST',
        '/contacts',
        { name: 'Sneaky', [field]: 'x' },
        { token: a.token, json: true },
      );
      if (field === 'version') {
        // version is the optimistic-concurrency check on writes, never a value to store.
        expect(reply.status).toBe(400);
        continue;
      }
      expect(reply.status, field).toBe(400);
      expect(reply.json.error.message).toContain(`${field}: unknown field`);
    }
  });
});
