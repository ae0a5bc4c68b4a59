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
const B_LABELS = ['B Person', 'B Co', 'B Deal', 'B Task', 'B note', 'B Batch'];
const B_NAMES = [...B_LABELS, 'p@b.example', 'b.example'];

/**
 * Generated from the registry: every operation that takes an id, called by workspace A's agent
 * and by A's human with workspace B's ids — over POST /tools/{name}, its REST route, the MCP
 * tool of the same name and the MCP `request` tool — answers 404 (403 for a workspace it is not
 * in) and leaves every row of B exactly as it was. A new operation is covered without a new test.
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
    // An endpoint that matches no event, so no background delivery changes B while the dumps compare.
    ids.webhook_id = (
      await call(
        t.app,
        'POST',
        '/webhooks',
        { url: 'https://hooks.b.example/crm', events: ['nothing.matches'] },
        { token: bHuman.token, json: true },
      )
    ).json.data.id;
    ids.delivery_id = 'whd_0000000000000000';
    const bChange = (
      await call(t.app, 'GET', `/contacts/${ids.contact_id}/history`, undefined, {
        token: b.token,
        json: true,
      })
    ).json.data[0];
    ids.audit_id = bChange.id;
    ids.request_id = bChange.request_id;
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

        // The generic `request` tool of the same MCP server, on the REST route.
        const generic = (await mcp[who]!.callTool({
          name: 'request',
          arguments: { method: rest.method, path: rest.target, ...(rest.body ? { body: rest.body } : {}) },
        })) as CallToolResult;
        const genericText = (generic.content[0] as { text: string }).text;
        const genericCode = /^error (\w+):/m.exec(genericText)?.[1] as ErrorCode | undefined;
        expect(generic.isError, `MCP request ${rest.method} ${rest.target}: ${genericText}`).toBe(true);
        expect([400, 403, 404], `MCP request ${rest.target}: ${genericText}`).toContain(
          ERROR_CODES[genericCode!]?.status,
        );
        for (const secret of B_NAMES) expect(genericText, rest.target).not.toContain(secret);
      }
      expect(await dump(b.workspaceId)).toBe(before);
    },
  );

  /** Waits for an operation (job) of workspace A to end, so B's rows are compared after it ran. */
  const settled = async (operationId: string, token: string) => {
    let data: { status: string } = { status: 'queued' };
    await vi.waitFor(
      async () => {
        data = (await call(t.app, 'GET', `/operations/${operationId}`, undefined, { token, json: true })).json
          .data;
        if (['queued', 'running'].includes(data.status)) throw new Error(data.status);
      },
      { timeout: 15_000, interval: 25 },
    );
    return data;
  };

  // Items of a batch reach B only through the item operation's references (company_id, contact_id,
  // …) or an upsert's natural key (email, domain): references fail, keys match only A's records.
  const batches = operations.filter((operation) => allowedFields(operation.input).includes('items'));
  it.each(batches.map((operation) => operation.name))(
    "%s with items naming another workspace's records or keys: nothing of B changed",
    async (name) => {
      const table = name.split('.')[0]!;
      const itemFields = allowedFields(
        operations.find((candidate) => candidate.name === `${table}.create`)!.input,
      );
      const pick = (values: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(values).filter(([field]) => itemFields.includes(field)));
      const referencing = pick({ name: 'Hijacked', title: 'Hijacked', ...ids });
      const keyed = pick({ name: 'Hijacked', title: 'Hijacked', email: 'p@b.example', domain: 'b.example' });
      const before = await dump(b.workspaceId);
      let tried = 0;
      for (const [kind, item] of [
        ['references', referencing],
        ['keys', keyed],
      ] as const) {
        const references = Object.keys(item).filter((field) => field.endsWith('_id'));
        if (kind === 'references' && references.length === 0) continue;
        if (kind === 'keys' && !('email' in item || 'domain' in item)) continue;
        tried++;
        const queued = await call(
          t.app,
          'POST',
          `/tools/${name}`,
          { items: [item] },
          { token: a.token, json: true, headers: { 'x-idempotency-key': `idem_iso_batch_${name}_${kind}` } },
        );
        expect(queued.status, queued.text).toBe(202);
        const done = await settled(queued.json.data.id, a.token);
        if (kind === 'references') expect(done, JSON.stringify(done)).toMatchObject({ failed: 1 });
        expect(JSON.stringify(done)).not.toContain('B Person');
        expect(JSON.stringify(done)).not.toContain('B Co');
      }
      expect(tried, `${name}: items name nothing of B`).toBeGreaterThan(0);
      expect(await dump(b.workspaceId)).toBe(before);
    },
  );

  // A bulk operation's query runs inside the caller's workspace: B's ids match nothing.
  const bulks = operations.filter((operation) => allowedFields(operation.input).includes('where'));
  const bulkWrites = bulks.filter((operation) => operation.mutating);
  it.each(bulkWrites.map((operation) => operation.name))(
    "%s selecting another workspace's records matches none, nothing of B changed",
    async (name) => {
      const operation = operations.find((candidate) => candidate.name === name)!;
      const kind = name.split('.')[0]!.replace(/ies$/, 'y').replace(/s$/, '');
      const before = await dump(b.workspaceId);
      for (const where of [{ id: ids[`${kind}_id`]! }, { name: 'B Co' }, { title: 'B Deal' }]) {
        const input: Record<string, unknown> = { where };
        if (allowedFields(operation.input).includes('changes')) input.changes = { tags: ['hijacked'] };
        const reply = await call(t.app, 'POST', `/tools/${name}`, input, {
          token: a.token,
          json: true,
          headers: { 'x-idempotency-key': `idem_iso_bulk_${name}_${JSON.stringify(where)}` },
        });
        // 400 (a filter field that kind lacks), 428 with zero matches (a delete's confirmation
        // step), or 202 with an operation that touches nothing.
        expect([202, 400, 428], `${name}: ${reply.text}`).toContain(reply.status);
        if (reply.status === 428) expect(reply.json.data.matches).toBe(0);
        if (reply.status === 202)
          expect(await settled(reply.json.data.id, a.token)).toMatchObject({ done: 0 });
      }
      expect(await dump(b.workspaceId)).toBe(before);
    },
  );

  it('reads that filter by a reference (activities, audit, merge sources) reveal nothing of B', async () => {
    const before = await dump(b.workspaceId);
    const reads = [
      `/activities?contact=${ids.contact_id}`,
      `/activities?deal=${ids.deal_id}`,
      `/audit?target=${ids.contact_id}`,
      `/audit?target=contact/${ids.contact_id}`,
      `/contacts?company_id=${ids.company_id}`,
      `/tasks?contact_id=${ids.contact_id}`,
    ];
    for (const token of [a.token, aHuman.token]) {
      for (const target of reads) {
        const reply = await call(t.app, 'GET', target, undefined, { token, json: true });
        expect([200, 400, 404], `${target}: ${reply.text}`).toContain(reply.status);
        if (reply.status === 200) expect(reply.json.data, target).toEqual([]);
        for (const secret of B_NAMES) expect(reply.text).not.toContain(secret);
      }
    }
    // Merging B's contact into one of A's: refused, both untouched.
    const mine = await call(
      t.app,
      'POST',
      '/contacts',
      { name: 'A Survivor' },
      { token: a.token, json: true },
    );
    const merge = await call(
      t.app,
      'POST',
      `/contacts/${mine.json.data.id}/merge`,
      { from: [ids.contact_id] },
      { token: aHuman.token, json: true, headers: { 'x-idempotency-key': 'idem_iso_merge_from' } },
    );
    expect(merge.status, merge.text).toBe(404);
    expect(await dump(b.workspaceId)).toBe(before);
  });

  // (A's own records may by now share B's email and domain: the upsert test above made them.)
  it("the change feed, over REST and MCP, carries none of the other workspace's events", async () => {
    const bFeed = await call(t.app, 'GET', '/events?since=0&limit=500', undefined, {
      token: b.token,
      json: true,
    });
    expect(bFeed.json.data.length).toBeGreaterThan(5);
    for (const token of [a.token, aHuman.token]) {
      const feed = await call(t.app, 'GET', '/events?since=0&limit=500', undefined, { token, json: true });
      expect(feed.status).toBe(200);
      for (const secret of [...B_LABELS, ...Object.values(ids).filter((id) => !id.startsWith('inv_'))])
        expect(feed.text).not.toContain(secret);
    }
    for (const client of mcp) {
      const result = (await client.callTool({
        name: 'events_list',
        arguments: { since: '0' },
      })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      for (const secret of B_LABELS) expect(JSON.stringify(result)).not.toContain(secret);
      expect(JSON.stringify(result)).not.toContain(ids.contact_id);
    }
  });

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
