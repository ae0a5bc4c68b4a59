import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAfter, section } from '../../test/agentonly-guide.js';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';

const BASE = 'https://crm.example.test';

/** Where our product is wider than AgentOnly's, the guide's line and the line we publish instead. */
const ADAPTED: Record<string, string> = {
  'You require deep custom-object modeling beyond contacts, tasks, proposals.':
    'You require deep custom-object modeling beyond contacts, companies, deals, tasks, proposals.',
  'Fetch /agentcrm-tools.json. Register each tool with its mutating, requires_idempotency_key, and requires_human_approval flags.':
    'Fetch /agentcrm-tools.json. Register each tool with its kind, mutating, requires_idempotency_key, and requires_human_approval flags.',
};

/** The value at a dotted path of a parsed document (`account_creation.default_plan`). */
// biome-ignore lint/suspicious/noExplicitAny: walking a parsed document
const at = (document: any, path: string): unknown =>
  path.split('.').reduce((node, part) => node?.[part], document);

describe.each(DIALECTS)('the AgentOnly guide, followed literally, on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  // biome-ignore lint/suspicious/noExplicitAny: documents are read freely
  let guide: any;
  let published: string;
  beforeAll(async () => {
    t = await createTestApp(dialect, { PUBLIC_URL: BASE });
    agent = await bootstrapAgent(t.app);
    published = (await call(t.app, 'GET', '/agentcrm-guide.json')).text;
    guide = JSON.parse(published);
  });
  afterAll(async () => t.close());

  /** A guide line is represented when it appears in the guide document, URLs read as paths. */
  const represented = (line: string) => {
    const wanted = (ADAPTED[line] ?? line).replaceAll('AgentOnly', 'agentcrm').replace(/[.:]$/, '');
    const haystack = published.replaceAll(BASE, '').replaceAll('…', '').replaceAll('\\"', '"');
    expect(haystack, line).toContain(wanted);
  };

  it('carries identity, endpoints and who can sign up, from the manifest', async () => {
    const manifest = JSON.parse((await call(t.app, 'GET', '/agentcrm.json')).text);
    const identity = section('identity').filter((line) => line.startsWith('- '));
    expect(identity).toHaveLength(8);
    for (const line of identity) {
      const [key, value] = line.slice(2).split(': ') as [string, string];
      const ours = at(guide.identity, key);
      expect(ours, key).toEqual(at(manifest, key));
      if (key === 'production_billing')
        expect(ours).toEqual({ today: 'human_owner_required', planned: 'agent_managed' });
      else if (key === 'human_role') expect(ours).toEqual(value.split(', '));
      else expect(String(ours), key).toBe(value);
    }
    const endpoints = section('endpoints').filter((line) => line.startsWith('- '));
    expect(endpoints).toHaveLength(6);
    expect(guide.endpoints.auth_required_to_read).toBe(false);
    for (const line of endpoints) {
      const [method, path] = line.slice(2).split(' ');
      expect(guide.endpoints.list, line).toContainEqual(
        expect.objectContaining({ method, path, url: `${BASE}${path}` }),
      );
    }
    expect(guide.who_can_sign_up.agents).toBe(`yes, automatically, via POST ${BASE}/agent-bootstrap`);
    expect(guide.who_can_sign_up.humans).toContain('humans.invite_billing_owner');
    expect(guide.who_can_sign_up.humans).toContain(`${BASE}/human?invite=`);
  });

  it('carries every line of evaluate: use if, all four do-not-use lines, the programmatic signals', async () => {
    const lines = section('01 evaluate');
    const useIf = listAfter(lines, 'Use AgentOnly if:');
    const doNot = listAfter(lines, 'Do not use if:');
    expect(doNot).toHaveLength(4);
    for (const line of [...useIf, ...doNot]) represented(line);
    expect(guide.evaluate.do_not_use_if).toHaveLength(4);
    const signals = listAfter(lines, 'Programmatic signals');
    const manifest = JSON.parse((await call(t.app, 'GET', '/agentcrm.json')).text);
    for (const signal of signals.filter((line) => line.includes('=='))) {
      expect(guide.evaluate.signals.map((s: { check: string }) => s.check)).toContain(signal);
      // Each signal holds on this server's manifest, as an agent would assert it.
      const [field, value] = signal.split(' == ') as [string, string];
      expect(at(manifest, field), field).toEqual(JSON.parse(value));
    }
    const areas = signals
      .find((line) => line.startsWith('tools include'))!
      .slice('tools include '.length)
      .split(', ');
    expect(guide.evaluate.tools_include).toEqual(areas);
    const catalog = JSON.parse((await call(t.app, 'GET', '/agentcrm-tools.json?full=true')).text);
    for (const area of areas) {
      expect(
        catalog.tools.some((tool: { name: string }) => tool.name.startsWith(area.replace('*', ''))),
      ).toBe(true);
    }
  });

  it('carries use: the envelope, every rule', async () => {
    const lines = section('02 use');
    const envelope = lines.find((line) => line.startsWith('Every tool returns'))!;
    const keys = [...envelope.matchAll(/[{,] "([a-z_]+)":/g)].map((m) => m[1]);
    const topLevel = [
      'outcome',
      'data',
      'policy',
      'explanation',
      'next_actions',
      'warnings',
      'request_id',
      'idempotency_key',
      'operation_id',
    ];
    for (const key of topLevel) expect(keys).toContain(key);
    expect(guide.use.envelope.fields).toEqual(topLevel);
    expect(guide.use.envelope.outcome).toEqual(['applied', 'proposed', 'denied', 'error']);
    expect(guide.use.envelope.policy_decision).toEqual(['allow', 'require_approval', 'deny']);
    // The envelope the guide promises is the one this server answers with.
    const answer = await call(t.app, 'GET', '/contacts', undefined, { token: agent.token, json: true });
    expect(Object.keys(answer.json)).toEqual(expect.arrayContaining(topLevel));
    for (const rule of listAfter(lines, 'Rules:')) represented(rule);
  });

  it('carries create_account: both paths, every header, the body (which signs up), every note', async () => {
    const lines = section('03 create_account');
    const path = lines.find((line) => line.startsWith('POST '))!.slice(5);
    const account = guide.create_account;
    expect(account.paths).toEqual(['/agent-bootstrap', path]);
    expect(account.urls).toEqual([`${BASE}/agent-bootstrap`, `${BASE}${path}`]);
    const headerNames = (line: string) =>
      [...line.matchAll(/([A-Z][A-Za-z-]+):/g)].map((m) => m[1]).filter((n) => n !== 'Headers');
    const wanted = headerNames(lines.find((line) => line.startsWith('Headers:'))!);
    expect(wanted).toEqual([
      'Content-Type',
      'Authorization',
      'X-Agent-Tool-Name',
      'X-Request-Id',
      'X-Idempotency-Key',
    ]);
    expect(account.headers.map((h: { name: string }) => h.name)).toEqual(wanted);
    expect(account.headers.find((h: { name: string }) => h.name === 'X-Agent-Tool-Name').value).toBe(
      'account.bootstrap',
    );
    const body = JSON.parse(lines.find((line) => line.startsWith('Body:'))!.slice(6));
    expect(account.body).toEqual(body);
    for (const note of listAfter(lines, 'Notes:')) represented(note);
    // Followed literally, at the guide's path with its headers, the call signs an agent up.
    const signup = await call(t.app, 'POST', path, account.body, {
      json: true,
      headers: {
        'content-type': 'application/json',
        'x-agent-tool-name': 'account.bootstrap',
        'x-request-id': 'req_guide_signup',
        'x-idempotency-key': 'idem_guide_signup_7f3a9c2e4b1d',
      },
    });
    expect(signup.status).toBe(201);
    expect(signup.json.data).toMatchObject({ plan: 'sandbox' });
    expect(signup.json.data.workspace_id).toMatch(/^wrk_/);
    const denied = await call(
      t.app,
      'POST',
      path,
      { ...account.body, requested_plan: 'production' },
      { json: true },
    );
    expect(denied.json.policy.reason_code).toBe('billing.human_owner_required_for_production');
  });

  it('carries the invite: both paths, headers, body (which invites), result, the human steps', async () => {
    const lines = section('04 invite');
    const path = lines.find((line) => line.startsWith('POST '))!.slice(5);
    const invite = guide.invite;
    expect(invite.paths).toEqual(['/agent-invite-human', path]);
    expect(invite.headers.map((h: { name: string }) => h.name)).toEqual([
      'Content-Type',
      'Authorization',
      'X-Agent-Tool-Name',
      'X-Request-Id',
      'X-Idempotency-Key',
    ]);
    expect(invite.headers.find((h: { name: string }) => h.name === 'X-Agent-Tool-Name').value).toBe(
      'humans.invite_billing_owner',
    );
    const body = JSON.parse(lines.find((line) => line.startsWith('Body:'))!.slice(6));
    expect(Object.keys(invite.body)).toEqual(Object.keys(body));
    for (const line of [...listAfter(lines, 'Result:'), ...listAfter(lines, 'The human:')]) represented(line);
    expect(invite.the_human).toHaveLength(4);
    const sent = await call(
      t.app,
      'POST',
      path,
      { ...invite.body, workspace_id: agent.workspaceId, agent_id: agent.agentId },
      {
        token: agent.token,
        json: true,
        headers: {
          'x-agent-tool-name': 'humans.invite_billing_owner',
          'x-idempotency-key': 'idem_guide_invite_1',
        },
      },
    );
    expect(sent.status).toBe(201);
  });

  it('carries the integration prompt with its signals, steps and hard rules, and the license', async () => {
    const lines = section('05 integration prompt');
    represented(lines[0]!.slice(lines[0]!.indexOf(') ') + 2));
    const prompt = guide.integration_prompt;
    const signals = listAfter(lines, '05 integration prompt');
    expect(signals).toHaveLength(4);
    expect(prompt.verify_signals).toEqual(signals);
    const steps = listAfter(lines, 'Steps:');
    expect(prompt.steps).toHaveLength(steps.length);
    for (const step of steps) represented(step);
    const rules = listAfter(lines, 'Hard rules:');
    expect(prompt.hard_rules).toHaveLength(5);
    for (const rule of rules) represented(rule);
    expect(prompt.steps[0].do).toContain(`POST ${BASE}/agent-bootstrap`);
    const license = section('license')[0]!.slice('license '.length);
    represented(license);
    expect(guide.license.api_terms).toBe(`${BASE}/human`);
  });
});
