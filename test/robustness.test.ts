import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';
import { inviteHuman, latestCode, outboxMessages } from './mailbox.js';

describe.each(DIALECTS)('unexpected states on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app);
  });
  afterAll(async () => t.close());

  it('a row the code cannot read is a 500 "internal" with the request id, never a stack trace', async () => {
    const created = await call(
      t.app,
      'POST',
      '/contacts',
      { name: 'Corrupted' },
      { token: agent.token, json: true },
    );
    // What an operator's bad manual edit would leave behind.
    await t.store.db
      .updateTable('contacts')
      .set({ tags: '{not json' })
      .where('id', '=', created.json.data.id)
      .execute();
    const text = await call(t.app, 'GET', `/contacts/${created.json.data.id}`, undefined, {
      token: agent.token,
    });
    expect(text.status).toBe(500);
    expect(text.text).toMatch(/^error internal: an unexpected error occurred/);
    expect(text.text).toContain(`report request id ${text.headers.get('x-request-id')}`);
    expect(text.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
    const json = await call(t.app, 'GET', `/contacts/${created.json.data.id}`, undefined, {
      token: agent.token,
      json: true,
    });
    expect(json.json).toMatchObject({ outcome: 'error', error: { code: 'internal' } });
    expect(JSON.stringify(json.json)).not.toContain('SyntaxError');
  });

  it('a proposal for an operation that no longer exists fails explicitly when approved', async () => {
    const human = await inviteHuman(t.app, t.config.dataDir, agent, 'owner@robust.dev');
    const now = t.clock.now().toISOString();
    // As left by an older version that had this operation.
    await t.store.db
      .insertInto('proposals')
      .values({
        workspace_id: agent.workspaceId,
        id: 'p_0000000000000001',
        operation: 'contacts.retired_operation',
        input: '{}',
        target: null,
        target_version: null,
        diff: '{}',
        status: 'pending',
        reason_code: 'contact.sensitive_field',
        summary: 'from an older version',
        reason: null,
        proposer_type: 'agent',
        proposer_id: agent.agentId,
        proposer_token_id: null,
        decided_by: null,
        decided_at: null,
        decision_note: null,
        result: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await call(
      t.app,
      'POST',
      '/proposals/p_0000000000000001/decide',
      { decision: 'approve' },
      { token: human.token },
    );
    const code = latestCode(await outboxMessages(t.config.dataDir), human.email);
    const decided = await call(
      t.app,
      'POST',
      `/proposals/p_0000000000000001/decide?code=${code}`,
      { decision: 'approve' },
      {
        token: human.token,
        json: true,
      },
    );
    expect(decided.json.data.status).toBe('failed');
    expect(decided.json.data.result.error.code).toBe('unsupported');
  });
});
