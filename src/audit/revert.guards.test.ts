import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undoFixture } from '../../test/fixtures/revert.js';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { inviteHuman, latestCode, outboxMessages, type Person } from '../../test/mailbox.js';

describe.each(DIALECTS)('history and undo on %s', (dialect) => {
  const fx = undoFixture(dialect);
  const { api, revert, history, get, finished, dump } = fx;
  let t: TestApp;
  let agent: Agent;
  let human: Person;
  let other: Agent;
  let otherHuman: Person;
  beforeAll(async () => {
    ({ t, agent, human, other, otherHuman } = await fx.setup());
  });
  afterAll(async () => t.close());

  it("an agent's revert meets the policy: deleting needs a human's approval", async () => {
    const contact = (await api('POST', '/contacts', { name: 'Agent Made' }, agent.token)).json.data;
    const [created] = await history(`/contacts/${contact.id}`);
    const dry = await revert({ audit_id: created.id }, agent.token);
    expect(dry.json.warnings[0]).toMatchObject({
      code: 'policy',
      message: expect.stringContaining('delete.requires_approval'),
    });
    const proposed = await revert({ audit_id: created.id, apply: true }, agent.token);
    expect(proposed.status).toBe(202);
    expect(proposed.json.outcome).toBe('proposed');
    expect(proposed.json.policy.reason_code).toBe('delete.requires_approval');
    expect(await get(`/contacts/${contact.id}`)).toMatchObject({ name: 'Agent Made' });

    const body = { decision: 'approve' };
    const path = `/proposals/${proposed.json.data.id}/decide`;
    const first = await call(t.app, 'POST', path, body, { token: human.token, json: true });
    expect(first.json.error.code).toBe('escalation_required');
    const code = latestCode(await outboxMessages(t.config.dataDir), human.email);
    const approved = await call(t.app, 'POST', `${path}?code=${code}`, body, {
      token: human.token,
      json: true,
    });
    expect(approved.json.data.status).toBe('applied');
    expect((await api('GET', `/contacts/${contact.id}`)).status).toBe(404);
    expect((await history(`/contacts/${contact.id}`))[0]).toMatchObject({
      operation: 'operations.revert',
      actor: `agent/${agent.agentId}`,
      reverts: [created.id],
    });
  });

  it("an agent's revert that would clear a sensitive field waits for a human", async () => {
    const contact = (await api('POST', '/contacts', { name: 'Sensitive' }, agent.token)).json.data;
    // Only a workspace that lets agents fill empty sensitive fields lets this fill through.
    await api('PATCH', '/policy', { agents_fill_empty_sensitive_fields: true }, human.token);
    await api('PATCH', `/contacts/${contact.id}`, { email: 'filled@undo.dev' }, agent.token);
    await api('PATCH', '/policy', { agents_fill_empty_sensitive_fields: null }, human.token);
    const [filled] = await history(`/contacts/${contact.id}`);
    const proposed = await revert({ audit_id: filled.id, apply: true }, agent.token);
    expect(proposed.status).toBe(202);
    expect(proposed.json.policy.reason_code).toBe('contact.sensitive_field');
    expect(proposed.json.data.diff).toEqual({ email: ['filled@undo.dev', null] });
    expect((await get(`/contacts/${contact.id}`)).email).toBe('filled@undo.dev');
  });

  it('replays an applied revert under its idempotency key instead of reverting twice', async () => {
    const contact = (await api('POST', '/contacts', { name: 'Idem' })).json.data;
    await api('PATCH', `/contacts/${contact.id}`, { name: 'Idem 2' });
    const [change] = await history(`/contacts/${contact.id}`);
    const send = () =>
      call(
        t.app,
        'POST',
        '/tools/operations.revert',
        { audit_id: change.id, apply: true },
        {
          token: human.token,
          json: true,
          headers: { 'x-idempotency-key': `idem_revert_once_${dialect}` },
        },
      );
    const first = await send();
    const second = await send();
    expect(second.json.data).toEqual(first.json.data);
    expect(
      (await history(`/contacts/${contact.id}`)).filter(
        (e: { operation: string }) => e.operation === 'operations.revert',
      ),
    ).toHaveLength(1);
  });

  it("refuses another workspace's audit ids (404, nothing changed) and read-only tokens", async () => {
    const theirs = (await api('POST', '/contacts', { name: 'Theirs' }, other.token)).json.data;
    await api('PATCH', `/contacts/${theirs.id}`, { name: 'Theirs 2' }, other.token);
    const [change] = await history(`/contacts/${theirs.id}`, otherHuman.token);
    const queued = await api('POST', '/contacts/batch', { items: [{ name: 'Their batch' }] }, other.token);
    await finished(queued.json.data.id, other.token);
    const before = await dump(other.workspaceId);
    for (const token of [agent.token, human.token]) {
      for (const body of [
        { audit_id: change.id, apply: true },
        { operation_id: queued.json.data.id, apply: true },
        { request_id: queued.json.request_id, apply: true },
      ]) {
        const reply = await revert(body, token);
        expect(reply.status, JSON.stringify(body)).toBe(404);
      }
      expect((await api('POST', `/audit/${change.id}/revert`, { apply: true }, token)).status).toBe(404);
    }
    expect(await dump(other.workspaceId)).toBe(before);

    const readOnly = (await api('POST', '/tokens', { token_name: 'reader', scopes: ['read'] }, agent.token))
      .json.data;
    const mine = (await api('POST', '/contacts', { name: 'Mine' })).json.data;
    const [created] = await history(`/contacts/${mine.id}`);
    const refused = await revert({ audit_id: created.id, apply: true }, readOnly.token);
    expect(refused.status, refused.text).toBe(403);
    expect(refused.json.error.code).toBe('scope_insufficient');
    expect(await get(`/contacts/${mine.id}`)).toMatchObject({ name: 'Mine' });
  });

  it('refuses unclear or unsupported requests with a hint', async () => {
    const cases: [Record<string, unknown>, number][] = [
      [{}, 400],
      [{ audit_id: 'aud_0000000000000000', request_id: 'req_x' }, 404],
      [{ from: '2026-01-01T00:00:00Z' }, 400],
      [{ token_id: 'tok_0000000000000000' }, 404],
      [{ dry_run: false }, 400],
    ];
    for (const [body, status] of cases) {
      const reply = await revert(body);
      expect(reply.status, JSON.stringify(body)).toBe(status);
      expect(reply.json.error.hint).toBeTruthy();
    }
    const audit = (await api('GET', '/audit?operation=account.bootstrap')).json.data[0];
    const unsupported = await revert({ audit_id: audit.id });
    expect(unsupported.status).toBe(422);
    expect(unsupported.json.error.code).toBe('unsupported');
  });
});

describe.each(DIALECTS)('undo and plan caps on %s', (dialect) => {
  let t: TestApp;
  let human: Person;
  beforeAll(async () => {
    t = await createTestApp(dialect, { PLAN_OVERRIDES: '{"sandbox":{"contacts":2}}' });
    const agent = await bootstrapAgent(t.app, 'capped_agent');
    human = await inviteHuman(t.app, t.config.dataDir, agent, 'owner@capped.dev');
  });
  afterAll(async () => t.close());
  const api = (method: string, path: string, body?: unknown) =>
    call(t.app, method, path, body, { token: human.token, json: true });

  it('restoring a deleted record charges the cap again; undoing a create gives room back', async () => {
    const a = (await api('POST', '/contacts', { name: 'A' })).json.data;
    await api('POST', '/contacts', { name: 'B' });
    const asked = await api('DELETE', `/contacts/${a.id}`);
    await api('DELETE', `/contacts/${a.id}?confirm=${asked.json.data.confirm_token}`);
    const c = await api('POST', '/contacts', { name: 'C' });
    expect(c.status).toBe(201);
    const [deletion] = (await api('GET', `/contacts/${a.id}/history`)).json.data;
    const refused = await api('POST', `/audit/${deletion.id}/revert`, { apply: true });
    expect(refused.status, refused.text).toBe(403);
    expect(refused.json.error.code).toBe('plan_limit_reached');
    expect((await api('GET', `/contacts/${a.id}`)).status).toBe(404);

    const [created] = (await api('GET', `/contacts/${c.json.data.id}/history`)).json.data;
    expect((await api('POST', `/audit/${created.id}/revert`, { apply: true })).status).toBe(200);
    expect((await api('POST', `/audit/${deletion.id}/revert`, { apply: true })).status).toBe(200);
    expect((await api('GET', `/contacts/${a.id}`)).json.data.name).toBe('A');
    expect((await api('POST', '/contacts', { name: 'D' })).json.error.code).toBe('plan_limit_reached');
  });
});
