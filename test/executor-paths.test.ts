import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  approveAll,
  BASE,
  closeMcpClients,
  exhaustBudget,
  PATHS,
  type Path,
  runPath,
  type Workspace,
  workspace,
} from './executor-paths.js';
import { call, createTestApp, DIALECTS, type TestApp } from './harness.js';

/**
 * One executor (issue 15): the same input meets the same decision on every path — REST,
 * POST /tools/{name}, MCP tools/call, a batch item and an approved proposal — for a read-only
 * token, an exhausted budget, a plan cap reached, invalid input and an agent's sensitive-field
 * change. Each scenario has two workspaces alike: one for the direct paths, one whose policy has
 * every agent call of these operations approved by a human (approve_agent_operations), for the
 * proposal path; a proposal is approved after the scenario's state is set, so the approval meets
 * it (the budget and the plan caps are checked again when an approved proposal runs).
 */

type Input = (w: Workspace) => Record<string, unknown>;

const OPERATIONS: Record<string, Input> = {
  'contacts.create': () => ({ name: 'Dana Differential' }),
  'contacts.update': (w) => ({ contact_id: w.contactId, title: 'Head of Sales' }),
  'companies.create': () => ({ name: 'Differential Co' }),
  'deals.create': () => ({ title: 'Differential deal' }),
  'tasks.create': () => ({ title: 'Call Dana back' }),
  'companies.update': (w) => ({ company_id: w.companyId, industry: 'Software' }),
  'deals.update': (w) => ({ deal_id: w.dealId, amount_cents: 120000, currency: 'USD' }),
  'tasks.update': (w) => ({ task_id: w.taskId, notes: 'Ask about the renewal' }),
  'activities.create': (w) => ({ contact_id: w.contactId, kind: 'note', body: 'Met at the fair' }),
};
const NAMES = Object.keys(OPERATIONS);
const CREATES_CAPPED = ['contacts.create', 'companies.create', 'deals.create'];

type Table = Record<string, Record<Path, string>>;

/** Every path's decision for every operation: direct paths in `plain`, proposals in `approving`. */
async function decide(
  pair: { plain: Workspace; approving: Workspace },
  inputs: Record<string, Input>,
  options: { token?: (w: Workspace) => string; before?: () => Promise<void> } = {},
): Promise<Table> {
  const token = options.token ?? ((w: Workspace) => w.agent.token);
  const table: Table = {};
  const pending = new Map<string, string>();
  for (const [name, input] of Object.entries(inputs)) {
    const row = {} as Record<Path, string>;
    for (const path of PATHS) {
      const w = path === 'proposal' ? pair.approving : pair.plain;
      row[path] = await runPath(path, w, token(w), name, input(w), pending);
    }
    table[name] = row;
  }
  await options.before?.();
  for (const [name, decision] of await approveAll(pair.approving, pending)) table[name]!.proposal = decision;
  return table;
}

/** The expected table: one decision per operation, the same on every path. */
const same = (decisions: Record<string, string>): Table =>
  Object.fromEntries(
    Object.entries(decisions).map(([name, decision]) => [
      name,
      Object.fromEntries(PATHS.map((path) => [path, decision])) as Record<Path, string>,
    ]),
  );

describe.each(DIALECTS)('every path decides alike on %s', (dialect) => {
  let t: TestApp;
  let shared: { plain: Workspace; approving: Workspace };
  beforeAll(async () => {
    t = await createTestApp(dialect, {
      PUBLIC_URL: BASE,
      PLAN_OVERRIDES: '{"sandbox":{"contacts":2,"companies":2,"deals":2}}',
    });
    shared = {
      plain: await workspace(t, 'paths_plain'),
      approving: await workspace(t, 'paths_approving', { approve: NAMES }),
    };
  }, 120_000);
  afterAll(async () => {
    await closeMcpClients();
    await t.close();
  });

  it('policy.explain_capabilities tells the agent which operations wait for a human', async () => {
    const reply = await call(t.app, 'GET', '/policy/capabilities', undefined, {
      token: shared.approving.agent.token,
      json: true,
    });
    const tool = reply.json.data.tools.find((entry: { name: string }) => entry.name === 'tasks.create');
    expect(tool).toMatchObject({ can: 'with_approval', reason_code: 'policy.operation_requires_approval' });
  });

  it('a read-only token: scope_insufficient on every path', async () => {
    const readers = new Map<Workspace, string>();
    for (const w of [shared.plain, shared.approving]) {
      const minted = await call(
        t.app,
        'POST',
        '/tokens',
        { token_name: 'reader', scopes: ['read'] },
        { token: w.agent.token, json: true },
      );
      readers.set(w, minted.json.data.token);
    }
    const table = await decide(shared, OPERATIONS, { token: (w) => readers.get(w)! });
    expect(table).toEqual(
      same(Object.fromEntries(NAMES.map((name) => [name, 'refused:scope_insufficient']))),
    );
  }, 120_000);

  it('invalid input: invalid_input on every path', async () => {
    const invalid = Object.fromEntries(
      NAMES.map((name) => [name, (w: Workspace) => ({ ...OPERATIONS[name]!(w), nickname: 'Dee' })]),
    );
    const table = await decide(shared, invalid);
    expect(table).toEqual(same(Object.fromEntries(NAMES.map((name) => [name, 'refused:invalid_input']))));
  }, 120_000);

  it("an agent's sensitive-field change: contact.sensitive_field on every path", async () => {
    const sensitive: Record<string, Input> = {
      'contacts.update': (w) => ({ contact_id: w.contactId, phone: '+1 555 0199' }),
      'contacts.create': (w) => ({ email: w.email, phone: '+1 555 0199' }),
    };
    const table = await decide(shared, sensitive);
    expect(table).toEqual(
      same({
        'contacts.update': 'refused:contact.sensitive_field',
        'contacts.create': 'refused:contact.sensitive_field',
      }),
    );
  }, 120_000);

  it('a plan cap reached: plan_limit_reached for the capped creates, the rest applied, on every path', async () => {
    const pair = {
      plain: await workspace(t, 'paths_cap_plain'),
      approving: await workspace(t, 'paths_cap_approving', { approve: NAMES }),
    };
    /** The human fills the contact, company and deal caps (2 each; the fixtures are one of each). */
    const fill = async (w: Workspace) => {
      for (const [path, body] of [
        ['/contacts', { name: 'Filler' }],
        ['/companies', { name: 'Filler Co' }],
        ['/deals', { title: 'Filler deal' }],
      ] as const) {
        const reply = await call(t.app, 'POST', path, body, { token: w.human.token, json: true });
        expect(reply.status, reply.text).toBe(201);
      }
    };
    await fill(pair.plain);
    // The proposals are made below the caps and approved once they are reached.
    const table = await decide(pair, OPERATIONS, { before: () => fill(pair.approving) });
    expect(table).toEqual(
      same(
        Object.fromEntries(
          NAMES.map((name) => [
            name,
            CREATES_CAPPED.includes(name) ? 'refused:plan_limit_reached' : 'applied',
          ]),
        ),
      ),
    );
  }, 120_000);

  it('an exhausted budget: billing.budget_exceeded on every path', async () => {
    const pair = {
      plain: await workspace(t, 'paths_budget_plain', { production: true }),
      approving: await workspace(t, 'paths_budget_approving', { production: true, approve: NAMES }),
    };
    await exhaustBudget(pair.plain);
    await exhaustBudget(pair.approving);
    const table = await decide(pair, OPERATIONS);
    expect(table).toEqual(
      same(Object.fromEntries(NAMES.map((name) => [name, 'refused:billing.budget_exceeded']))),
    );
  }, 120_000);

  it('a budget 2 cents above the cost stops a batch where it stops single creates', async () => {
    const single = await workspace(t, 'paths_tight_single', { production: true });
    const batched = await workspace(t, 'paths_tight_batch', { production: true });
    await exhaustBudget(single, 2);
    await exhaustBudget(batched, 2);
    let created = 0;
    for (let i = 0; i < 200; i++) {
      const reply = await call(
        t.app,
        'POST',
        '/contacts',
        { name: `Single ${i}` },
        { token: single.agent.token, json: true },
      );
      if (reply.status !== 201) {
        expect(reply.json.policy.reason_code).toBe('billing.budget_exceeded');
        break;
      }
      created++;
    }
    expect(created).toBeGreaterThan(0);
    expect(created).toBeLessThan(200);

    const items = Array.from({ length: 200 }, (_, i) => ({ name: `Batched ${i}` }));
    const queued = await call(
      t.app,
      'POST',
      '/contacts/batch',
      { items },
      { token: batched.agent.token, json: true, headers: { 'x-idempotency-key': 'idem_tight_batch' } },
    );
    expect(queued.status, queued.text).toBe(202);
    const job = await vi.waitFor(
      async () => {
        const reply = await call(t.app, 'GET', `/operations/${queued.json.data.id}`, undefined, {
          token: batched.agent.token,
          json: true,
        });
        if (['queued', 'running'].includes(reply.json.data.status)) throw new Error('still running');
        return reply.json.data;
      },
      { timeout: 60_000, interval: 100 },
    );
    // The batch call itself is metered as one request more than the single creates were.
    expect(Math.abs(job.done - created)).toBeLessThanOrEqual(1);
    expect(job.failed).toBe(200 - job.done);
    expect(new Set(job.errors.map((error: { code: string }) => error.code))).toEqual(
      new Set(['billing.budget_exceeded']),
    );
  }, 180_000);

  it("an approved proposal is validated again against today's schema: failed with invalid_input", async () => {
    const w = shared.approving;
    const proposed = await call(
      t.app,
      'POST',
      '/contacts',
      { name: 'Old Schema' },
      { token: w.agent.token, json: true },
    );
    expect(proposed.json.policy.reason_code).toBe('policy.operation_requires_approval');
    // As if the schema had lost a field since the proposal was stored.
    await t.store.db
      .updateTable('proposals')
      .set({ input: JSON.stringify({ name: 'Old Schema', nickname: 'Olds' }) })
      .where('id', '=', proposed.json.data.id)
      .execute();
    const decisions = await approveAll(w, new Map([['contacts.create', proposed.json.data.id]]));
    expect(decisions.get('contacts.create')).toBe('refused:invalid_input');
  }, 60_000);
});
