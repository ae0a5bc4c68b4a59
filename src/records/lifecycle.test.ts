import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { setPolicy } from '../../test/mailbox.js';
import { issueToken } from '../auth/tokens.js';

describe.each(DIALECTS)('two-step delete and restore on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let other: Agent;
  /** A second token of the same agent, in the same workspace: another caller. */
  let secondToken: string;
  const as = (token: string) => ({ token, json: true });
  const post = async (path: string, body: unknown) =>
    (await call(t.app, 'POST', path, body, as(agent.token))).json.data;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app);
    // These tests exercise the mechanics; the policy's rules for agents are tested in src/policy.
    await setPolicy(t.app, t.config.dataDir, agent, { agent_deletes: 'allow' });
    other = await bootstrapAgent(t.app, 'other_agent');
    const issued = await issueToken(t.app.services, t.store.db, {
      workspaceId: agent.workspaceId,
      principalType: 'agent',
      principalId: agent.agentId,
      name: 'second session',
      scopes: ['read', 'write'],
      now: t.clock.now().toISOString(),
    });
    secondToken = issued.secret;
  });
  afterAll(async () => t.close());

  it('asks for confirmation, deletes with the token, hides the record, and restores it', async () => {
    const contact = await post('/contacts', { name: 'Jane', email: 'jane@acme.com' });
    const deal = await post('/deals', { title: 'Renewal', contact_id: contact.id });
    await post(`/contacts/${contact.id}/activities`, { kind: 'call', body: 'hello' });

    const first = await call(t.app, 'DELETE', `/contacts/${contact.id}`, undefined, { token: agent.token });
    expect(first.status).toBe(428);
    const [error, hint] = first.text.split('\n');
    expect(error).toBe(
      `error confirmation_required: deleting contact/${contact.id} needs confirmation; referred to by 1 deal, 1 activity`,
    );
    const url = /DELETE (\/contacts\/\S+\?confirm=\S+) /.exec(hint!)![1]!;
    const asJson = await call(t.app, 'DELETE', `/contacts/${contact.id}`, undefined, as(agent.token));
    expect(asJson.json).toMatchObject({
      outcome: 'error',
      error: { code: 'confirmation_required' },
      data: { target: `contact/${contact.id}`, method: 'DELETE', referenced_by: { deals: 1, activities: 1 } },
    });
    expect(asJson.json.data.confirm_url).toBe(
      `/contacts/${contact.id}?confirm=${asJson.json.data.confirm_token}`,
    );

    const deleted = await call(t.app, 'DELETE', url, undefined, { token: agent.token });
    expect(deleted.status).toBe(200);
    expect(deleted.text).toContain('\n# deleted\n');
    expect(deleted.text).toContain(
      `# restore: POST /contacts/${contact.id}/restore (until 2026-03-31T09:00:00.000Z)`,
    );

    const gone = await call(t.app, 'GET', `/contacts/${contact.id}`, undefined, as(agent.token));
    expect(gone.status).toBe(404);
    expect(gone.json.error.message).toContain('was deleted at');
    expect(gone.json.error.hint).toContain(`POST /contacts/${contact.id}/restore`);
    expect(
      (await call(t.app, 'GET', '/contacts?email=jane@acme.com', undefined, as(agent.token))).json.data,
    ).toEqual([]);
    expect((await call(t.app, 'GET', '/activities', undefined, as(agent.token))).json.data).toEqual([]);
    const dealNow = await call(t.app, 'GET', `/deals/${deal.id}`, undefined, as(agent.token));
    expect(dealNow.json.data).toMatchObject({
      contact_id: contact.id,
      deleted_refs: [`contact/${contact.id}`],
    });
    const relink = await call(
      t.app,
      'POST',
      '/deals',
      { title: 'New', contact_id: contact.id },
      as(agent.token),
    );
    expect(relink.status).toBe(400);
    expect(relink.json.error.message).toContain('was deleted');

    const restored = await call(t.app, 'POST', `/contacts/${contact.id}/restore`, undefined, as(agent.token));
    expect(restored.status).toBe(200);
    expect(restored.json.data).toMatchObject({ email: 'jane@acme.com', version: 3 });
    expect(
      (await call(t.app, 'GET', `/deals/${deal.id}`, undefined, as(agent.token))).json.data.deleted_refs,
    ).toEqual([]);
    expect((await call(t.app, 'GET', '/activities', undefined, as(agent.token))).json.data).toHaveLength(1);
    const twice = await call(t.app, 'POST', `/contacts/${contact.id}/restore`, undefined, {
      token: agent.token,
    });
    expect(twice.text).toContain('# unchanged: not deleted');

    // The token was single use: after the restore it no longer matches.
    const replay = await call(t.app, 'DELETE', url, undefined, as(agent.token));
    expect(replay.status).toBe(428);
    expect(replay.json.error.message).toContain('the confirm token is not valid');
  });

  it("refuses a wrong, expired, or another caller's token", async () => {
    const a = await post('/companies', { name: 'A', domain: 'a.example' });
    const b = await post('/companies', { name: 'B', domain: 'b.example' });
    const ask = async (id: string, token = agent.token) =>
      (await call(t.app, 'DELETE', `/companies/${id}`, undefined, as(token))).json.data
        .confirm_token as string;
    const tokenA = await ask(a.id);
    const attempts: [string, string, string, string][] = [
      ['garbage', a.id, 'nonsense', agent.token],
      ["another record's", b.id, tokenA, agent.token],
      ["another caller's", a.id, tokenA, secondToken],
    ];
    for (const [label, id, token, caller] of attempts) {
      const reply = await call(t.app, 'DELETE', `/companies/${id}?confirm=${token}`, undefined, as(caller));
      expect(reply.status, label).toBe(428);
      expect(reply.json.error.message, label).toContain('the confirm token is not valid');
      expect(reply.json.data.confirm_token, label).not.toBe(token);
    }
    t.clock.advance(11 * 60_000);
    const expired = await call(
      t.app,
      'DELETE',
      `/companies/${a.id}?confirm=${tokenA}`,
      undefined,
      as(agent.token),
    );
    expect(expired.status).toBe(428);
    expect(expired.json.error.message).toContain('the confirm token expired');
    // Another workspace cannot even ask.
    expect((await call(t.app, 'DELETE', `/companies/${a.id}`, undefined, as(other.token))).status).toBe(404);
    for (const id of [a.id, b.id]) {
      expect((await call(t.app, 'GET', `/companies/${id}`, undefined, as(agent.token))).status).toBe(200);
    }
    // A record changed after the token was issued needs a new confirmation.
    const fresh = await ask(a.id);
    await call(t.app, 'PATCH', `/companies/${a.id}`, { industry: 'Retail' }, as(agent.token));
    expect(
      (await call(t.app, 'DELETE', `/companies/${a.id}?confirm=${fresh}`, undefined, as(agent.token))).status,
    ).toBe(428);
    // The other caller's own token works for them.
    const theirs = await ask(a.id, secondToken);
    expect(
      (await call(t.app, 'DELETE', `/companies/${a.id}?confirm=${theirs}`, undefined, as(secondToken)))
        .status,
    ).toBe(200);
  });

  it('checks If-Match on delete', async () => {
    const deal = await post('/deals', { title: 'Versioned' });
    await call(t.app, 'PATCH', `/deals/${deal.id}`, { stage: 'proposal' }, as(agent.token));
    const stale = await call(t.app, 'DELETE', `/deals/${deal.id}`, undefined, {
      ...as(agent.token),
      headers: { 'if-match': 'W/"1"' },
    });
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe('version_conflict');
  });
});
