import { readFileSync, writeFileSync } from 'node:fs';
import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernTransport,
} from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE } from './fixtures/mcp.js';
import { bootstrapAgent, createTestApp, DIALECTS, type TestApp } from './harness.js';

/**
 * The agent-economy report of docs/mcp.md: a scripted agent (no model) does the most common tasks
 * of the two seed documents over MCP, and every request and answer byte is counted, per task, for
 * each revision and tool list. UPDATE_DOCS=1 writes the table into docs/mcp.md.
 */

type Mode = { label: string; tools: 'core' | 'both'; revision: '2025-11-25' | '2026-07-28' };
const MODES: Mode[] = [
  { label: 'core, 2025-11-25', tools: 'core', revision: '2025-11-25' },
  { label: 'core, 2026-07-28', tools: 'core', revision: '2026-07-28' },
  { label: 'every typed tool, 2025-11-25', tools: 'both', revision: '2025-11-25' },
];

interface Meter {
  calls: number;
  bytes: number;
}

interface CallResult {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
}
type CallTool = (name: string, args: Record<string, unknown>) => Promise<CallResult>;

/** One client of the mode, on the in-process app, whose fetch counts calls and answer bytes. */
async function meteredClient(t: TestApp, token: string, mode: Mode, meter: Meter) {
  const fetch = async (url: string | URL, init?: RequestInit) => {
    const response = await t.app.fetch(new Request(url, init));
    const body = await response.arrayBuffer();
    meter.calls += 1;
    meter.bytes += body.byteLength;
    return new Response(body, { status: response.status, headers: response.headers });
  };
  const url = new URL(`${BASE}/mcp`);
  const requestInit = { headers: { authorization: `Bearer ${token}` } };
  if (mode.revision === '2026-07-28') {
    const client = new ModernClient(
      { name: 'economy', version: '1.0.0' },
      { versionNegotiation: { mode: { pin: mode.revision } } },
    );
    await client.connect(new ModernTransport(url, { fetch, requestInit }));
    const callTool: CallTool = async (name, args) =>
      (await client.callTool({ name, arguments: args })) as CallResult;
    return { callTool, list: () => client.listTools(), close: () => client.close() };
  }
  const client = new Client({ name: 'economy', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url, { fetch, requestInit }));
  const callTool: CallTool = async (name, args) =>
    (await client.callTool({ name, arguments: args })) as CallResult;
  return { callTool, list: () => client.listTools(), close: () => client.close() };
}

const key = () => `idem_${crypto.randomUUID()}`;
// biome-ignore lint/suspicious/noExplicitAny: the scripted agent reads envelopes freely
const data = (result: CallResult): any => {
  if (result.isError) throw new Error(`tool failed: ${JSON.stringify(result.structuredContent)}`);
  return (result.structuredContent as { data: unknown }).data;
};

/**
 * The tasks, each as the scripted agent does it in a mode: with the core list it uses the record
 * tools, and find_operation only for what the core does not cover; with every typed tool listed it
 * calls them by name.
 */
function tasks(call: CallTool, core: boolean, agent: { workspaceId: string; agentId: string }) {
  const state: Record<string, string> = {};
  const create = (type: string, typed: string, values: Record<string, unknown>) =>
    core
      ? call('records_create', { type, values, idempotency_key: key() })
      : call(typed, { ...values, idempotency_key: key() });
  const update = (
    type: string,
    typed: string,
    idField: string,
    id: string,
    values: Record<string, unknown>,
  ) =>
    core
      ? call('records_update', { type, id, values, idempotency_key: key() })
      : call(typed, { [idField]: id, ...values, idempotency_key: key() });
  const search = (type: string, typed: string, args: Record<string, unknown>) =>
    core ? call('records_search', { type, ...args }) : call(typed, args);
  /** What the core list does not cover: found once, then called by name. */
  const other = async (words: string, name: string, args: Record<string, unknown>) => {
    if (!core) return call(name.replace(/\./g, '_'), args);
    await call('find_operation', { query: words });
    await call('find_operation', { name });
    return call('call_operation', { name, arguments: args });
  };
  return [
    ['explain what this agent may do', async () => data(await call('policy_explain_capabilities', {}))],
    [
      'check the rules for contact changes only',
      async () => data(await call('policy_explain_capabilities', { tools: 'contacts.*' })),
    ],
    ['who am I', async () => data(await call('account_whoami', {}))],
    [
      'add a contact',
      async () => {
        state.contact = data(
          await create('contact', 'contacts_create', {
            name: 'Jane Doe',
            email: 'jane@acme.com',
            stage: 'lead',
          }),
        ).id;
      },
    ],
    [
      'find a contact by email',
      async () => data(await search('contact', 'contacts_search', { where: { email: 'jane@acme.com' } })),
    ],
    [
      'search contacts by a word',
      async () => data(await search('contact', 'contacts_search', { search: 'jane', fields: 'name,email' })),
    ],
    [
      'read a contact',
      async () =>
        data(
          core
            ? await call('records_get', { type: 'contact', id: state.contact })
            : await call('contacts_get', { contact_id: state.contact }),
        ),
    ],
    [
      'add a company and link the contact',
      async () => {
        state.company = data(
          await create('company', 'companies_create', { name: 'Acme', domain: 'acme.com' }),
        ).id;
        data(
          await update('contact', 'contacts_update', 'contact_id', state.contact!, {
            company_id: state.company,
          }),
        );
      },
    ],
    [
      'move a contact to qualified',
      async () =>
        data(
          await update('contact', 'contacts_update', 'contact_id', state.contact!, { stage: 'qualified' }),
        ),
    ],
    [
      'log a call',
      async () =>
        data(
          await call('activities_create', {
            contact_id: state.contact,
            kind: 'call',
            body: 'Discussed pricing',
            idempotency_key: key(),
          }),
        ),
    ],
    [
      'set a follow-up',
      async () =>
        data(
          await update('contact', 'contacts_update', 'contact_id', state.contact!, {
            follow_up_at: new Date(Date.now() + 86_400_000).toISOString(),
            follow_up_note: 'Send the quote',
          }),
        ),
    ],
    ['read due follow-ups', async () => data(await call('reminders_list', { days: 7 }))],
    [
      'create a deal',
      async () => {
        state.deal = data(
          await create('deal', 'deals_create', {
            title: 'Acme pilot',
            stage: 'qualified',
            amount_cents: 500_000,
            currency: 'USD',
            contact_id: state.contact,
          }),
        ).id;
      },
    ],
    [
      'move the deal to proposal',
      async () => data(await update('deal', 'deals_update', 'deal_id', state.deal!, { stage: 'proposal' })),
    ],
    [
      'list open deals',
      async () => data(await search('deal', 'deals_search', { where: { stage: 'in:qualified,proposal' } })),
    ],
    [
      'create a task and complete it',
      async () => {
        const task = data(
          await create('task', 'tasks_create', { title: 'Send quote', contact_id: state.contact }),
        ).id;
        data(await call('tasks_complete', { task_id: task, idempotency_key: key() }));
      },
    ],
    [
      'propose a sensitive change',
      async () => {
        state.proposal = data(
          await call('contacts_propose_update', {
            contact_id: state.contact,
            changes: { phone: '+1 555 0100' },
            idempotency_key: key(),
          }),
        ).id;
      },
    ],
    [
      'check the proposal',
      async () => data(await call('proposals_get_status', { proposal_id: state.proposal })),
    ],
    [
      'invite the human',
      async () =>
        data(
          await other('invite human billing owner', 'humans.invite_billing_owner', {
            workspace_id: agent.workspaceId,
            agent_id: agent.agentId,
            human_email: 'owner@acme.com',
            idempotency_key: key(),
          }),
        ),
    ],
    [
      'import 500 contacts in one batch',
      async () =>
        data(
          await other('batch upsert contacts', 'contacts.batch_upsert', {
            items: Array.from({ length: 500 }, (_, i) => ({
              name: `Batch ${i}`,
              email: `batch.${i}@example.com`,
            })),
            idempotency_key: key(),
          }),
        ),
    ],
  ] as const;
}

describe.each(DIALECTS)('the agent economy over MCP on %s', (dialect) => {
  const rows = new Map<string, Record<string, Meter>>();
  const listed: Record<string, Meter> = {};
  const apps: TestApp[] = [];
  beforeAll(async () => {
    for (const mode of MODES)
      apps.push(await createTestApp(dialect, { PUBLIC_URL: BASE, MCP_TOOLS: mode.tools }));
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('does every task in every mode; with the core list, discovery only where the core does not reach', async () => {
    for (const [index, mode] of MODES.entries()) {
      const t = apps[index]!;
      const agent = await bootstrapAgent(t.app, 'economy_agent');
      const meter: Meter = { calls: 0, bytes: 0 };
      const client = await meteredClient(t, agent.token, mode, meter);
      await client.list();
      listed[mode.label] = { ...meter };
      const finds: string[] = [];
      const call: CallTool = async (name, args) => {
        if (name === 'find_operation') finds.push(String(args.query ?? args.name));
        return client.callTool(name, args);
      };
      for (const [task, run] of tasks(call, mode.tools === 'core', agent)) {
        const before = { ...meter };
        const findsBefore = finds.length;
        await run();
        const spent = { calls: meter.calls - before.calls, bytes: meter.bytes - before.bytes };
        rows.set(task, { ...rows.get(task), [mode.label]: spent });
        // No discovery for what the core list covers.
        if (!['invite the human', 'import 500 contacts in one batch'].includes(task))
          expect(finds.length, `${mode.label}: ${task}`).toBe(findsBefore);
      }
      await client.close();
    }
    // Listing tools: the core list costs a fraction of every typed tool.
    expect(listed['core, 2025-11-25']!.bytes * 4).toBeLessThan(listed['every typed tool, 2025-11-25']!.bytes);
    if (process.env.UPDATE_DOCS && dialect === DIALECTS[0]) writeReport(listed, rows);
  });
});

function writeReport(listed: Record<string, Meter>, rows: Map<string, Record<string, Meter>>) {
  const cell = (meter: Meter | undefined) =>
    meter ? `${meter.calls} / ${(meter.bytes / 1024).toFixed(1)} KB` : '';
  const header = `| task | ${MODES.map((m) => m.label).join(' | ')} |\n|---|${MODES.map(() => '---|').join('')}`;
  const lines = [
    `| connect and list the tools | ${MODES.map((m) => cell(listed[m.label])).join(' | ')} |`,
    ...[...rows].map(
      ([task, byMode]) => `| ${task} | ${MODES.map((m) => cell(byMode[m.label])).join(' | ')} |`,
    ),
  ];
  const total = (label: string) =>
    [listed[label]!, ...[...rows.values()].map((byMode) => byMode[label]!)].reduce(
      (sum, m) => ({ calls: sum.calls + m.calls, bytes: sum.bytes + m.bytes }),
      { calls: 0, bytes: 0 },
    );
  lines.push(`| **all of it** | ${MODES.map((m) => `**${cell(total(m.label))}**`).join(' | ')} |`);
  const table = `${header}\n${lines.join('\n')}`;
  const doc = readFileSync('docs/mcp.md', 'utf8');
  const start = '<!-- agent-economy:start -->';
  const end = '<!-- agent-economy:end -->';
  const next = doc.replace(new RegExp(`${start}[\\s\\S]*?${end}`), `${start}\n${table}\n${end}`);
  if (next === doc && !doc.includes(table)) throw new Error('docs/mcp.md has no agent-economy markers');
  writeFileSync('docs/mcp.md', next);
}
