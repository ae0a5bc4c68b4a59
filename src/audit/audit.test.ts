import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { keyFingerprint } from '../idempotency/fingerprint.js';

describe.each(DIALECTS)('audit log on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let other: Agent;
  const as = (who: Agent) => ({ token: who.token, json: true });
  let contact: string;
  let deal: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app);
    other = await bootstrapAgent(t.app, 'other_agent');
    t.clock.advance(1000);
    contact = (await call(t.app, 'POST', '/contacts', { name: 'Jane', reason: 'met at the fair' }, as(agent)))
      .json.data.id;
    t.clock.advance(1000);
    await call(
      t.app,
      'PATCH',
      `/contacts/${contact}`,
      { stage: 'lead' },
      { ...as(agent), headers: { 'x-idempotency-key': 'idem_1' } },
    );
    t.clock.advance(1000);
    deal = (await call(t.app, 'POST', '/deals', { title: 'Renewal', contact_id: contact }, as(agent))).json
      .data.id;
    t.clock.advance(1000);
    await call(t.app, 'POST', '/contacts', { name: 'Secret' }, as(other));
  });
  afterAll(async () => t.close());

  it('lists every change newest first, with actor, token, fields and reason', async () => {
    const reply = await call(t.app, 'GET', '/audit', undefined, as(agent));
    expect(reply.status).toBe(200);
    expect(reply.json.data.map((entry: { operation: string }) => entry.operation)).toEqual([
      'deals.create',
      'contacts.update',
      'contacts.create',
      'account.bootstrap',
    ]);
    expect(reply.json.data[1]).toMatchObject({
      actor_type: 'agent',
      actor_id: agent.agentId,
      token_name: 'test_agent',
      target: `contact/${contact}`,
      record_version: 2,
      changes: { stage: { before: null, after: 'lead' } },
      // The audit keeps a fingerprint of the key, never the key (it opens the stored answer).
      idempotency_key: keyFingerprint('idem_1'),
      policy_decision: 'allow',
    });
    expect(reply.json.data[2].reason).toBe('met at the fair');
    const text = await call(t.app, 'GET', '/audit?limit=1', undefined, { token: agent.token });
    expect(text.text).toMatch(
      new RegExp(
        `^audit/aud_\\w+ at=\\S+ actor_type=agent actor_id=${agent.agentId} token_id=tok_\\w+ token_name=test_agent operation=deals.create target=deal/${deal} record_version=1 changes.title.after=Renewal changes.contact_id.after=${contact} `,
      ),
    );
    expect(text.text).toContain('\n# next: ');
  });

  it('filters by actor, operation, target and since, and pages', async () => {
    const ops = async (query: string) =>
      (await call(t.app, 'GET', `/audit?${query}`, undefined, as(agent))).json.data.map(
        (e: { operation: string }) => e.operation,
      );
    expect(await ops(`target=contact/${contact}`)).toEqual(['contacts.update', 'contacts.create']);
    expect(await ops(`target=${contact}`)).toEqual(['contacts.update', 'contacts.create']);
    expect(await ops('operation=contacts.*')).toEqual(['contacts.update', 'contacts.create']);
    expect(await ops('operation=deals.create')).toEqual(['deals.create']);
    expect(await ops(`actor=agent/${agent.agentId}&since=2026-03-01T09:00:02Z`)).toEqual([
      'deals.create',
      'contacts.update',
    ]);
    const first = await call(t.app, 'GET', '/audit?limit=2', undefined, as(agent));
    const second = await call(
      t.app,
      'GET',
      `/audit?limit=2&cursor=${first.json.next_cursor}`,
      undefined,
      as(agent),
    );
    expect(second.json.data.map((e: { operation: string }) => e.operation)).toEqual([
      'contacts.create',
      'account.bootstrap',
    ]);
    expect(second.json.next_cursor).toBeNull();
    const mismatched = await call(
      t.app,
      'GET',
      `/audit?limit=2&operation=deals.*&cursor=${first.json.next_cursor}`,
      undefined,
      as(agent),
    );
    expect(mismatched.status).toBe(400);
  });

  it('refuses bad filters and never shows another workspace', async () => {
    for (const query of ['since=yesterday', 'actor=bob', 'operation=DROP TABLE', 'limit=0', 'color=red']) {
      const reply = await call(t.app, 'GET', `/audit?${query}`, undefined, as(agent));
      expect(reply.status, query).toBe(400);
      expect(reply.json.error.hint).toBeTruthy();
    }
    expect(
      (await call(t.app, 'GET', `/audit?actor=${other.agentId}`, undefined, as(agent))).json.data,
    ).toEqual([]);
    const theirs = await call(t.app, 'GET', '/audit', undefined, as(other));
    expect(theirs.json.data.map((e: { operation: string }) => e.operation)).toEqual([
      'contacts.create',
      'account.bootstrap',
    ]);
    expect(
      (await call(t.app, 'GET', `/audit?target=contact/${contact}`, undefined, as(other))).json.data,
    ).toEqual([]);
  });
});
