import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { operations } from '../src/operations/registry.js';
import { allowedFields } from '../src/operations/validation.js';
import { B_LABELS, B_NAMES, isolationFixture } from './fixtures/isolation.js';
import { type Agent, call, DIALECTS, type TestApp } from './harness.js';
import type { Person } from './mailbox.js';

/**
 * Generated from the registry: every operation that takes an id, called by workspace A's agent
 * and by A's human with workspace B's ids — over POST /tools/{name}, its REST route, the MCP
 * tool of the same name and the MCP `request` tool — answers 404 (403 for a workspace it is not
 * in) and leaves every row of B exactly as it was. A new operation is covered without a new test.
 */
describe.each(DIALECTS)('tenant isolation across every operation on %s', (dialect) => {
  const fx = isolationFixture(dialect);
  const { ids, mcp, dump } = fx;
  let t: TestApp;
  let a: Agent;
  let aHuman: Person;
  let b: Agent;
  beforeAll(async () => {
    ({ t, a, aHuman, b } = await fx.setup());
  });
  afterAll(async () => fx.close());

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
