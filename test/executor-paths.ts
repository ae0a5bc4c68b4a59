import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { vi } from 'vitest';
import { authenticate } from '../src/auth/tokens.js';
import { isAppError } from '../src/errors.js';
import { runBatchItem } from '../src/operations/batch.js';
import { findOperation } from '../src/operations/registry.js';
import { type Agent, bootstrapAgent, call, type Reply, type TestApp } from './harness.js';
import { inviteHuman, latestCode, outboxMessages, type Person } from './mailbox.js';

/**
 * The paths by which one operation's input reaches the executor, each reduced to the decision it
 * met: `applied`, `proposed`, or `refused:<code>` (a policy denial's reason code, an error's code,
 * a batch item's error code, or the code of an approved proposal that failed).
 */
export const PATHS = ['rest', 'tools', 'mcp', 'batch', 'proposal'] as const;
export type Path = (typeof PATHS)[number];

export const BASE = 'https://crm.example.org';

/** One workspace of a scenario: an agent, its human (an admin), and an MCP client per token. */
export interface Workspace {
  t: TestApp;
  agent: Agent;
  human: Person;
  /** The fixture records (for updates and activities), made by the human, and the contact's email. */
  contactId: string;
  companyId: string;
  dealId: string;
  taskId: string;
  email: string;
}

let keys = 0;
const key = () => `idem_paths_${++keys}`;

// biome-ignore lint/suspicious/noExplicitAny: tests read envelopes freely
function decisionOf(envelope: any): string {
  if (envelope.outcome === 'applied') return 'applied';
  if (envelope.outcome === 'proposed') return 'proposed';
  if (envelope.outcome === 'denied') return `refused:${envelope.policy.reason_code}`;
  return `refused:${envelope.error?.code ?? 'unknown'}`;
}

/** Repeats a call that asks for a step-up code with the code emailed to the person. */
export async function withStepUp(w: Workspace, method: string, path: string, body: unknown): Promise<Reply> {
  const first = await call(w.t.app, method, path, body, { token: w.human.token, json: true });
  if (first.json?.error?.code !== 'escalation_required') return first;
  const code = latestCode(await outboxMessages(w.t.config.dataDir), w.human.email);
  const sep = path.includes('?') ? '&' : '?';
  return call(w.t.app, method, `${path}${sep}code=${code}`, body, { token: w.human.token, json: true });
}

/**
 * A fresh workspace: an agent, its human, a fixture contact; on production with a budget when
 * asked, and with every agent call of the given operations approved by a human when asked.
 */
export async function workspace(
  t: TestApp,
  name: string,
  options: { production?: boolean; approve?: string[] } = {},
): Promise<Workspace> {
  const agent = await bootstrapAgent(t.app, name);
  const domain = `${name.replace(/_/g, '-')}.dev`;
  const human = await inviteHuman(t.app, t.config.dataDir, agent, `owner@${domain}`);
  const email = `fixture@${domain}`;
  const w: Workspace = { t, agent, human, contactId: '', companyId: '', dealId: '', taskId: '', email };
  if (options.production) {
    const asked = await call(t.app, 'POST', '/billing/upgrade', {}, { token: agent.token, json: true });
    const decided = await withStepUp(w, 'POST', `/proposals/${asked.json.data.id}/decide`, {
      decision: 'approve',
    });
    if (decided.json.data?.status !== 'applied') throw new Error(`upgrade failed: ${decided.text}`);
  }
  if (options.approve) {
    const patched = await call(
      t.app,
      'PATCH',
      '/policy',
      { approve_agent_operations: options.approve },
      { token: human.token, json: true },
    );
    if (patched.status !== 200) throw new Error(`policy failed: ${patched.text}`);
  }
  const make = async (path: string, body: object) => {
    const reply = await call(t.app, 'POST', path, body, { token: human.token, json: true });
    if (reply.status !== 201) throw new Error(`fixture ${path} failed: ${reply.text}`);
    return reply.json.data.id as string;
  };
  w.contactId = await make('/contacts', { name: 'Fixture', email });
  w.companyId = await make('/companies', { name: 'Fixture Co' });
  w.dealId = await make('/deals', { title: 'Fixture deal' });
  w.taskId = await make('/tasks', { title: 'Fixture task' });
  return w;
}

/** Sets the budget at this month's estimated cost: every further write is over it. */
export async function exhaustBudget(w: Workspace, centsAbove = 0): Promise<void> {
  const billing = await call(w.t.app, 'GET', '/billing', undefined, { token: w.human.token, json: true });
  const set = await call(
    w.t.app,
    'POST',
    '/billing/budget',
    { monthly_budget_cents: Math.max(1, billing.json.data.cost_cents + centsAbove) },
    { token: w.human.token, json: true },
  );
  if (set.status !== 200) throw new Error(`budget failed: ${set.text}`);
}

/** The operation's REST route with its path parameters filled from the input. */
function restCall(name: string, input: Record<string, unknown>) {
  const operation = findOperation(name)!;
  const body = { ...input };
  const path = operation.http.path.replace(/:(\w+)/g, (_, param: string) => {
    const value = body[param];
    delete body[param];
    return String(value);
  });
  return { method: operation.http.method, path, body };
}

const mcpClients = new Map<string, Client>();

async function mcpClient(w: Workspace, token: string): Promise<Client> {
  const known = mcpClients.get(token);
  if (known) return known;
  const transport = new StreamableHTTPClientTransport(new URL(`${BASE}/mcp`), {
    fetch: (url, init) => w.t.app.fetch(new Request(url, init)),
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'executor-paths', version: '1.0.0' });
  await client.connect(transport);
  mcpClients.set(token, client);
  return client;
}

export async function closeMcpClients(): Promise<void> {
  for (const client of mcpClients.values()) await client.close();
  mcpClients.clear();
}

/** The batch routes whose items run a given operation; the others reach the executor's batch entry directly. */
const BATCH_ROUTES: Record<string, string> = {
  'contacts.create': '/contacts/batch',
  'companies.create': '/companies/batch',
  'deals.create': '/deals/batch',
};

/** The bulk updates whose items run a record update, and a query matching only the fixture. */
const BULK_UPDATES: Record<string, { path: string; idField: string; where: (w: Workspace) => object }> = {
  'contacts.update': {
    path: '/contacts/bulk-update',
    idField: 'contact_id',
    where: (w) => ({ email: w.email }),
  },
  'companies.update': {
    path: '/companies/bulk-update',
    idField: 'company_id',
    where: () => ({ name: 'Fixture Co' }),
  },
  'deals.update': {
    path: '/deals/bulk-update',
    idField: 'deal_id',
    where: () => ({ title: 'Fixture deal' }),
  },
};

async function finishedJob(w: Workspace, token: string, id: string) {
  return vi.waitFor(
    async () => {
      const reply = await call(w.t.app, 'GET', `/operations/${id}`, undefined, { token, json: true });
      if (['queued', 'running'].includes(reply.json.data.status)) throw new Error('still running');
      return reply.json.data;
    },
    { timeout: 30_000, interval: 50 },
  );
}

async function viaBatch(w: Workspace, token: string, name: string, input: Record<string, unknown>) {
  let reply: Reply | undefined;
  const headers = { 'x-idempotency-key': key() };
  if (BATCH_ROUTES[name]) {
    reply = await call(
      w.t.app,
      'POST',
      BATCH_ROUTES[name],
      { items: [input] },
      { token, json: true, headers },
    );
  } else if (BULK_UPDATES[name]) {
    const { path, idField, where } = BULK_UPDATES[name];
    const { [idField]: _, ...changes } = input;
    const body = { where: where(w), changes };
    reply = await call(w.t.app, 'POST', path, body, { token, json: true, headers });
  }
  if (reply) {
    if (reply.status !== 202 || !reply.json.data?.operation_id) return decisionOf(reply.json);
    const job = await finishedJob(w, token, reply.json.data.operation_id);
    return job.errors.length ? `refused:${job.errors[0].code}` : 'applied';
  }
  // No batch route runs this operation's items (tasks, activities): its item runs through the
  // executor's batch entry point, in a transaction as the job runner's chunk would be.
  const services = w.t.app.services;
  try {
    const caller = await authenticate(services, `Bearer ${token}`);
    const meta = {
      caller,
      requestId: 'req_paths',
      operationId: 'op_paths',
      batchOperation: name,
      reason: null,
      confirmed: false,
    };
    const outcome = await services.store.db
      .transaction()
      .execute((trx) => runBatchItem(services, trx, findOperation(name)!, input, meta));
    return 'refused' in outcome ? `refused:${outcome.refused.code}` : 'applied';
  } catch (error) {
    if (isAppError(error)) return `refused:${error.code}`;
    throw error;
  }
}

/**
 * The decision one path gives to one input. On the proposal path a call the policy turned into a
 * proposal answers `proposed` and its id is kept in `pending`, to be approved later.
 */
export async function runPath(
  path: Path,
  w: Workspace,
  token: string,
  name: string,
  input: Record<string, unknown>,
  pending?: Map<string, string>,
): Promise<string> {
  const headers = { 'x-idempotency-key': key() };
  if (path === 'rest' || path === 'proposal') {
    const rest = restCall(name, input);
    const reply = await call(w.t.app, rest.method, rest.path, rest.body, { token, json: true, headers });
    const decision = decisionOf(reply.json);
    if (decision === 'proposed') pending?.set(name, reply.json.data.id);
    return decision;
  }
  if (path === 'tools') {
    const reply = await call(w.t.app, 'POST', `/tools/${name}`, input, { token, json: true, headers });
    return decisionOf(reply.json);
  }
  if (path === 'mcp') {
    const client = await mcpClient(w, token);
    const result = await client.callTool({
      name: name.replace(/\./g, '_'),
      arguments: { ...input, idempotency_key: key() },
    });
    return decisionOf((result as CallToolResult).structuredContent);
  }
  return viaBatch(w, token, name, input);
}

/** Approves the pending proposals (one step-up for all) and gives each its final decision. */
export async function approveAll(w: Workspace, pending: Map<string, string>): Promise<Map<string, string>> {
  const decisions = new Map<string, string>();
  if (pending.size === 0) return decisions;
  const decided = await withStepUp(w, 'POST', '/proposals/decide', {
    ids: [...pending.values()],
    decision: 'approve',
  });
  if (decided.status !== 200) throw new Error(`decide failed: ${decided.text}`);
  for (const [name, id] of pending) {
    const read = await call(w.t.app, 'GET', `/proposals/${id}`, undefined, {
      token: w.human.token,
      json: true,
    });
    const { status, result } = read.json.data;
    decisions.set(name, status === 'applied' ? 'applied' : `refused:${result?.error?.code ?? status}`);
  }
  return decisions;
}
