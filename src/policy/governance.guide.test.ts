import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governanceFixture } from '../../test/fixtures/governance.js';
import { type Agent, call, DIALECTS, type TestApp } from '../../test/harness.js';
import { inviteHuman, latestCode, outboxMessages } from '../../test/mailbox.js';

describe.each(DIALECTS)('agent governance on %s', (dialect) => {
  const fx = governanceFixture(dialect);
  let t: TestApp;
  let agent: Agent;
  beforeAll(async () => {
    ({ t, agent } = await fx.setup());
  });
  afterAll(async () => t.close());
  // The guide's own idempotency keys (its own token and prefix: a counter of its own keeps them apart).
  let keys = 0;

  it('runs the integration steps of the guide end to end', async () => {
    const manifest = JSON.parse((await call(t.app, 'GET', '/agentcrm.json')).text);
    expect(manifest).toMatchObject({
      service_kind: 'agent_native_crm',
      primary_user: 'llm_agent',
      account_creation: { automatic_agent_signup: true, default_plan: 'sandbox' },
    });
    const boot = await call(
      t.app,
      'POST',
      '/agent-bootstrap',
      { agent_name: 'guide_agent', requested_plan: 'sandbox' },
      {
        json: true,
        headers: {
          'x-request-id': 'req_boot_1',
          'x-idempotency-key': 'idem_7d1c2e9a-4b3f-4e8a-9c61-52f0b8a3d4e7',
          'x-agent-tool-name': 'account.bootstrap',
        },
      },
    );
    expect(boot.json.request_id).toBe('req_boot_1');
    const guide: Agent = {
      token: boot.json.data.token,
      workspaceId: boot.json.data.workspace_id,
      agentId: boot.json.data.agent_id,
    };
    const owner = await inviteHuman(t.app, t.config.dataDir, guide, 'owner@guide.dev');

    const catalog = JSON.parse((await call(t.app, 'GET', '/agentcrm-tools.json?full=true')).text);
    const tools = new Map<
      string,
      { mutating: boolean; requires_idempotency_key: boolean; requires_human_approval: string }
    >(catalog.tools.map((entry: { name: string }) => [entry.name, entry]));
    expect(tools.get('contacts.propose_update')).toMatchObject({
      mutating: true,
      requires_human_approval: 'sometimes',
    });
    for (const name of [
      'contacts.search',
      'contacts.get_context',
      'tasks.create',
      'tasks.complete',
      'operations.get_status',
      'proposals.get_status',
      'policy.explain_capabilities',
      'humans.invite_billing_owner',
      'system.async_health',
    ]) {
      expect(tools.has(name), name).toBe(true);
    }

    const as = (token: string) => (name: string, body: unknown) =>
      call(t.app, 'POST', `/tools/${name}`, body, {
        token,
        json: true,
        headers: { 'x-idempotency-key': `idem_guide_${++keys}` },
      });
    const agentTool = as(guide.token);
    const created = await agentTool('contacts.create', { name: 'Jane Doe', email: 'jane@acme.com' });
    expect(created.json.outcome).toBe('applied');
    const id = created.json.data.id;

    const direct = await agentTool('contacts.update', { contact_id: id, email: 'jane.doe@acme.com' });
    expect(direct.status).toBe(403);
    expect(direct.json).toMatchObject({
      outcome: 'denied',
      policy: { decision: 'deny', reason_code: 'contact.sensitive_field' },
    });
    expect(direct.json.next_actions[0].tool_name).toBe('contacts.propose_update');

    const proposed = await agentTool('contacts.propose_update', {
      contact_id: id,
      changes: { email: 'jane.doe@acme.com', title: 'CTO' },
      reason: 'she wrote from her new address',
    });
    expect(proposed.status).toBe(202);
    expect(proposed.json).toMatchObject({
      outcome: 'proposed',
      policy: { decision: 'require_approval', reason_code: 'contact.sensitive_field' },
      data: { status: 'pending', target: `contact/${id}`, reason: 'she wrote from her new address' },
    });
    expect(proposed.json.data.diff.email).toEqual(['jane@acme.com', 'jane.doe@acme.com']);
    expect(proposed.json.next_actions[0].tool_name).toBe('proposals.get_status');
    const proposalId = proposed.json.data.id;

    const pending = await agentTool('proposals.get_status', { proposal_id: proposalId });
    expect(pending.json.data.status).toBe('pending');
    const selfApproval = await call(
      t.app,
      'POST',
      `/proposals/${proposalId}/decide`,
      { decision: 'approve' },
      { token: guide.token, json: true },
    );
    expect(selfApproval.status).toBe(403);
    expect(selfApproval.json.error.code).toBe('approval_requires_human');

    const first = await call(
      t.app,
      'POST',
      `/proposals/${proposalId}/decide`,
      { decision: 'approve' },
      { token: owner.token, json: true },
    );
    expect(first.json.error.code).toBe('escalation_required');
    const code = latestCode(await outboxMessages(t.config.dataDir), 'owner@guide.dev');
    const approved = await call(
      t.app,
      'POST',
      `/proposals/${proposalId}/decide`,
      { decision: 'approve' },
      {
        token: owner.token,
        json: true,
        headers: { 'x-escalation-code': code },
      },
    );
    expect(approved.status).toBe(200);
    expect(approved.json.policy.reason_code).toBe('proposal.approved');

    const applied = await agentTool('proposals.get_status', { proposal_id: proposalId });
    expect(applied.json.data).toMatchObject({ status: 'applied', decided_by: `user/${owner.userId}` });
    expect(applied.json.next_actions).toEqual([]);
    const after = await call(t.app, 'GET', `/contacts/${id}`, undefined, { token: guide.token, json: true });
    expect(after.json.data).toMatchObject({ email: 'jane.doe@acme.com', title: 'CTO', version: 2 });
    const audit = await call(t.app, 'GET', `/audit?target=contact/${id}`, undefined, {
      token: owner.token,
      json: true,
    });
    const applyRow = audit.json.data.find(
      (row: { operation: string }) => row.operation === 'contacts.propose_update',
    );
    expect(applyRow).toMatchObject({
      reason_code: 'proposal.approved',
      reason: 'she wrote from her new address',
    });
  });

  it('explains what the caller may do and why', async () => {
    const mine = await call(t.app, 'GET', '/policy/capabilities', undefined, {
      token: agent.token,
      json: true,
    });
    const byName = new Map(mine.json.data.tools.map((entry: { name: string }) => [entry.name, entry]));
    expect(byName.get('proposals.decide')).toMatchObject({
      can: 'no',
      reason_code: 'approval_requires_human',
    });
    expect(byName.get('contacts.propose_update')).toMatchObject({
      can: 'sometimes_approval',
      reason_code: 'contact.sensitive_field',
    });
    expect(byName.get('contacts.delete')).toMatchObject({
      can: 'with_approval',
      reason_code: 'delete.requires_approval',
    });
    expect(byName.get('policy.update')).toMatchObject({ can: 'no', reason_code: 'forbidden' });
    const text = await call(t.app, 'GET', '/policy/capabilities', undefined, { token: agent.token });
    expect(text.text).toMatch(/^tool\/contacts.search can=yes reason_code=policy.allowed/m);
  });
});
