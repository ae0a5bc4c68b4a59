import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { operations } from '../operations/registry.js';

describe.each(DIALECTS)('discovery documents and tool calls on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app);
  });
  afterAll(async () => t.close());

  const document = async (path: string) => JSON.parse((await call(t.app, 'GET', path)).text);

  it('the manifest carries the programmatic signals of the guide', async () => {
    const manifest = await document('/agentcrm.json');
    expect(manifest.service_kind).toBe('agent_native_crm');
    expect(manifest.primary_user).toBe('llm_agent');
    expect(manifest.account_creation.automatic_agent_signup).toBe(true);
    expect(manifest.account_creation.default_plan).toBe('sandbox');
    expect(manifest.signup_mode).toBe('agent_bootstrap_only');
    expect(manifest.human_signup).toBe('invite_only_via_agent');
    expect(manifest.capabilities).toContain('contacts');
  });

  it('the tool catalog lists every operation of the registry with its flags and schema', async () => {
    const catalog = await document('/agentcrm-tools.json?full=true');
    expect(catalog.tools.map((tool: { name: string }) => tool.name).sort()).toEqual(
      operations.map((o) => o.name).sort(),
    );
    const create = catalog.tools.find((tool: { name: string }) => tool.name === 'contacts.create');
    expect(create).toMatchObject({
      mutating: true,
      requires_idempotency_key: true,
      requires_human_approval: 'sometimes',
      http: { method: 'POST', path: '/contacts' },
    });
    expect(create.input_schema.properties).toHaveProperty('email');
    expect(create.input_schema.properties).toHaveProperty('reason');
    const search = catalog.tools.find((tool: { name: string }) => tool.name === 'contacts.search');
    expect(search).toMatchObject({ mutating: false, requires_idempotency_key: false });
    // Updates may be held (field-level holds, deal close); plain creates never wait; completing a task
    // never waits (the guide's tool table).
    const approvalOf = (name: string) =>
      catalog.tools.find((tool: { name: string }) => tool.name === name).requires_human_approval;
    expect(approvalOf('deals.update')).toBe('sometimes');
    expect(approvalOf('tasks.complete')).toBe('never');
    expect(approvalOf('activities.create')).toBe('never');
  });

  it('every reason code a tool declares is documented in the policy document', async () => {
    const catalog = await document('/agentcrm-tools.json?full=true');
    const policy = await document('/agentcrm-policy.json');
    const documented = new Set(policy.reason_codes.map((entry: { code: string }) => entry.code));
    for (const tool of catalog.tools)
      for (const code of tool.reason_codes) expect(documented.has(code), code).toBe(true);
    expect(documented.has('billing.human_owner_required_for_production')).toBe(true);
  });

  it('serves the guide, llms.txt and SKILL.md with front matter', async () => {
    const guide = await document('/agentcrm-guide.json');
    expect(guide.integration_prompt.steps.length).toBeGreaterThan(3);
    const llms = await call(t.app, 'GET', '/llms.txt');
    expect(llms.text).toMatch(/^# agentcrm\n/);
    const skill = await call(t.app, 'GET', '/SKILL.md');
    expect(skill.headers.get('content-type')).toContain('text/markdown');
    expect(skill.text).toMatch(
      /^---\nname: agentcrm\ndescription: .+\ncontent_types: \[text\/plain, application\/json\]\ncapabilities: \[.*contacts.*\]\nauthentication:\n/,
    );
    expect(skill.text).toContain('GET /contacts');
  });

  it('POST /tools/{name} runs an operation with the JSON body as input', async () => {
    const created = await call(
      t.app,
      'POST',
      '/tools/contacts.create',
      { name: 'Tool Tina', email: 'tina@tools.dev' },
      {
        token: agent.token,
        json: true,
        headers: { 'x-idempotency-key': 'idem_tool_1' },
      },
    );
    expect(created.status).toBe(201);
    expect(created.json.outcome).toBe('applied');
    const found = await call(
      t.app,
      'POST',
      '/tools/contacts_search',
      { where: { email: 'tina@tools.dev' } },
      { token: agent.token, json: true },
    );
    expect(found.json.data.map((c: { name: string }) => c.name)).toEqual(['Tool Tina']);
    const got = await call(
      t.app,
      'POST',
      '/tools/contacts.get',
      { contact_id: created.json.data.handle },
      { token: agent.token },
    );
    expect(got.text).toMatch(/^contact\/c_\S+ name="Tool Tina"/);
    const audit = await t.store.db
      .selectFrom('audit_log')
      .select('tool_name')
      .where('target', '=', created.json.data.handle)
      .execute();
    expect(audit).toEqual([{ tool_name: 'contacts.create' }]);
  });

  it('mutating tool calls need an idempotency key', async () => {
    const reply = await call(
      t.app,
      'POST',
      '/tools/contacts.create',
      { name: 'No Key' },
      { token: agent.token, json: true },
    );
    expect(reply.status).toBe(400);
    expect(reply.json.error.code).toBe('idempotency_key_required');
    expect(reply.json.error.hint).toContain('X-Idempotency-Key');
  });

  it('unknown tools are 404 pointing at the catalog; tools still need auth', async () => {
    const unknown = await call(
      t.app,
      'POST',
      '/tools/contacts.destroy_all',
      {},
      { token: agent.token, json: true },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.hint).toContain('/agentcrm-tools.json');
    const anonymous = await call(t.app, 'POST', '/tools/contacts.search', {}, { json: true });
    expect(anonymous.status).toBe(401);
  });
});
