import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { operations } from '../src/operations/registry.js';
import { allowedFields } from '../src/operations/validation.js';
import { tenantTables } from '../src/store/tenant-tables.js';
import { type Agent, bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';
import { inviteHuman, type Person } from './mailbox.js';

/**
 * Generated from the registry: every operation that takes an id, called by workspace A's agent
 * and by A's human with workspace B's ids, answers 404 (403 for a workspace it is not in) and
 * leaves every row of B exactly as it was. A new operation is covered without a new test.
 */
describe.each(DIALECTS)('tenant isolation across every operation on %s', (dialect) => {
  let t: TestApp;
  let a: Agent;
  let aHuman: Person;
  let b: Agent;
  const ids: Record<string, string> = {};

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
  });
  afterAll(async () => t.close());

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
      for (const token of [a.token, aHuman.token]) {
        const reply = await call(t.app, 'POST', `/tools/${name}`, input, {
          token,
          json: true,
          headers: { 'x-idempotency-key': `idem_iso_${name}_${token.slice(-6)}` },
        });
        // 400 when the operation needs more input than ids: it must not get as far as B's data.
        expect([400, 403, 404], `${name}: ${reply.text}`).toContain(reply.status);
        expect(JSON.stringify(reply.json.data ?? null)).not.toContain('B Person');
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
