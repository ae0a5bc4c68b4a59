import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { inviteHuman, type Person } from '../../test/mailbox.js';
import { type Receiver, startReceiver } from '../../test/webhook-receiver.js';
import { fastPath } from './fast-create.js';

/**
 * The set-based path of batch chunks (fast-create.ts) must leave exactly what the per-item path
 * leaves: the same per-item results, audit rows, field writers, events in the same order, and
 * webhook deliveries. Two workspaces get the same fixture and the same batch, one with the
 * set-based path switched off; their rows are compared with ids replaced by what they name.
 */
describe.each(DIALECTS)('batch set-based path on %s', (dialect) => {
  let t: TestApp;
  let receiver: Receiver;
  beforeAll(async () => {
    t = await createTestApp(dialect, { WEBHOOKS_ALLOW_LOOPBACK: 'true' });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });
  afterEach(() => {
    fastPath.enabled = true;
  });

  let keys = 0;
  const post = (path: string, body: unknown, token: string) =>
    call(t.app, 'POST', path, body, {
      token,
      json: true,
      headers: { 'x-idempotency-key': `idem_fast_${++keys}` },
    });
  const finished = async (id: string, token: string) =>
    vi.waitFor(
      async () => {
        const reply = await call(t.app, 'GET', `/operations/${id}`, undefined, { token, json: true });
        if (['queued', 'running'].includes(reply.json.data.status))
          throw new Error(`still ${reply.json.data.status}`);
        return reply.json.data;
      },
      // Polled at most 5 times a second: a slow machine's long job must not hit the per-token limit.
      { timeout: 60_000, interval: 200 },
    );

  interface Workspace {
    agent: Agent;
    human: Person;
    company: string;
    existing: string[];
  }

  /** A workspace with an agent, its human, a webhook, a company and ten contacts. */
  async function workspace(name: string): Promise<Workspace> {
    const agent = await bootstrapAgent(t.app, name);
    const human = await inviteHuman(t.app, t.config.dataDir, agent, `owner@${name}.dev`);
    const policy = await call(
      t.app,
      'PATCH',
      '/policy',
      {
        bulk_approval_above: 1000,
        bulk_deny_above: 1000,
        bulk_window_max_records: 100_000,
        hold_human_edited_fields: true,
      },
      { token: human.token, json: true },
    );
    expect(policy.status, policy.text).toBe(200);
    const hook = await post(
      '/webhooks',
      { url: `${receiver.url}/${name}`, events: ['contact.*'] },
      human.token,
    );
    expect(hook.status, hook.text).toBe(201);
    const company = (await post('/companies', { name: 'Acme' }, agent.token)).json.data.id as string;
    const existing: string[] = [];
    for (let i = 0; i < 10; i++) {
      const reply = await post(
        '/contacts',
        { name: `Existing ${i}`, email: `e${i}@old.dev`, phone: '+1 555 0100' },
        agent.token,
      );
      expect(reply.status, reply.text).toBe(201);
      existing.push(reply.json.data.id);
    }
    // A person wrote e1's title last: an agent's change of it is held for approval.
    await call(
      t.app,
      'PATCH',
      `/contacts/${existing[1]}`,
      { title: 'Set by a person' },
      { token: human.token },
    );
    return { agent, human, company, existing };
  }

  /** 1,000 items mixing every kind of outcome. */
  function items(w: Workspace): Record<string, unknown>[] {
    return Array.from({ length: 1000 }, (_, i) => {
      switch (i % 20) {
        case 0:
          return { name: `Bad ${i}`, email: 'not-an-email' };
        case 1:
          return { title: `No name ${i}` }; // invalid: needs a name or an email
        case 2:
          return { email: `e${((i / 20) % 10) | 0}@old.dev`, stage: `stage-${i}` }; // update by email
        case 3:
          return { name: `Dup ${i}`, email: `dup${i % 7}@new.dev`, tags: [`t${i}`] }; // in-batch duplicates
        case 4:
          return { name: `Nameless ${i}`, custom: { n: i } }; // no upsert key
        case 5:
          return { name: `With company ${i}`, email: `co${i}@new.dev`, company_id: w.company };
        case 6:
          return { email: 'e0@old.dev', phone: '+1 555 9999' }; // agent overwriting a sensitive field
        case 7:
          return { email: 'e1@old.dev', title: `Agent title ${i}` }; // held: a person wrote it
        case 8:
          return { name: `Upper ${i}`, email: `MiXeD${i}@New.dev` }; // the key is lower-cased
        case 9:
          return { name: `Again ${i}`, email: `mixed${i - 1}@new.dev`, title: 'second' }; // same key as case 8
        case 10:
          return { name: `Bad owner ${i}`, owner: 'usr_0000000000000000' };
        case 11:
          return { name: `Unknown ${i}`, extra: true }; // invalid: unknown field
        default:
          return {
            name: `New ${i}`,
            email: `new${i}@new.dev`,
            stage: 'lead',
            tags: ['batch', `t${i % 3}`],
            custom: { i, note: null },
            do_not_contact: i % 2 === 0,
            title: null,
          };
      }
    });
  }

  /** Every row the batch left, with ids replaced by what they name. */
  async function snapshot(w: Workspace, operationId: string) {
    const db = t.store.db;
    const workspaceId = w.agent.workspaceId;
    const contacts = await db
      .selectFrom('contacts')
      .select(['id', 'email', 'name'])
      .where('workspace_id', '=', workspaceId)
      .execute();
    const names = new Map<string, string>(contacts.map((c) => [c.id, `<${c.email ?? c.name}>`]));
    names.set(w.company, '<company>');
    names.set(operationId, '<operation>');
    names.set(w.agent.agentId, '<agent>');
    names.set(workspaceId, '<workspace>');
    const clean = <T>(value: T): T =>
      JSON.parse(
        JSON.stringify(value).replace(
          /\b[a-z]{1,4}_[0-9a-z]{16}\b/g,
          (id) => names.get(id) ?? id.slice(0, id.indexOf('_')),
        ),
      );
    const job = await finished(operationId, w.agent.token);
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('operation_id', '=', operationId)
      .execute();
    const events = await db
      .selectFrom('events')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('operation', '=', 'contacts.batch_upsert')
      .orderBy('seq')
      .execute();
    const firstSeq = Number(events[0]?.seq ?? 0);
    const writers = await db
      .selectFrom('field_writers')
      .select(['target', 'field', 'actor_type', 'actor_id', 'at'])
      .where('workspace_id', '=', workspaceId)
      .execute();
    const deliveries = await db
      .selectFrom('webhook_deliveries')
      .select(['event_seq', 'event_type', 'created_at'])
      .where('workspace_id', '=', workspaceId)
      .where('event_seq', '>=', firstSeq)
      .orderBy('event_seq')
      .execute();
    const rows = await db
      .selectFrom('contacts')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .execute();
    const sorted = (list: unknown[]) => list.map((row) => JSON.stringify(clean(row))).sort();
    return {
      job: clean({
        ...job,
        id: null,
        handle: null,
        operation_id: null,
        created_at: null,
        updated_at: null,
        finished_at: null,
      }),
      // The chain's columns follow the ids (hashes, the digest of changes naming ids) and the order
      // rows were written in (seq); `changes` itself is compared.
      audit: sorted(
        audit.map(
          ({
            id: _id,
            request_id: _r,
            idempotency_key: _k,
            token_name: _n,
            seq: _s,
            changes_digest: _d,
            prev_hash: _p,
            hash: _h,
            ...row
          }) => row,
        ),
      ),
      events: clean(
        events.map(({ id: _id, seq, request_id: _r, ...row }) => ({ ...row, seq: Number(seq) - firstSeq })),
      ),
      writers: sorted(writers),
      deliveries: clean(deliveries.map((row) => ({ ...row, event_seq: Number(row.event_seq) - firstSeq }))),
      contacts: sorted(rows.map(({ id: _id, ...row }) => ({ ...row, version: Number(row.version) }))),
    };
  }

  it('gives exactly the per-item results, audit rows, events and deliveries of the per-item path', async () => {
    const fast = await workspace('fastpath');
    const slow = await workspace('slowpath');
    const runBatch = async (w: Workspace, enabled: boolean) => {
      fastPath.enabled = enabled;
      const queued = await post('/contacts/batch', { items: items(w) }, w.agent.token);
      expect(queued.status, queued.text).toBe(202);
      const id = queued.json.data.id as string;
      await finished(id, w.agent.token);
      fastPath.enabled = true;
      return snapshot(w, id);
    };
    const bySlow = await runBatch(slow, false);
    const byFast = await runBatch(fast, true);

    expect(bySlow.job).toMatchObject({ status: 'partially_failed', total: 1000 });
    const codes = (bySlow.job as { errors: { code: string }[] }).errors.map((e) => e.code);
    expect(new Set(codes)).toEqual(new Set(['invalid_input', 'contact.sensitive_field']));
    expect((bySlow.job as { result: { held?: number } }).result.held).toBeGreaterThan(0);
    expect(bySlow.events.length).toBeGreaterThan(500);
    expect(bySlow.deliveries.length).toBeGreaterThan(500);

    expect(byFast.job).toEqual(bySlow.job);
    expect(byFast.audit).toEqual(bySlow.audit);
    expect(byFast.events).toEqual(bySlow.events);
    expect(byFast.writers).toEqual(bySlow.writers);
    expect(byFast.deliveries).toEqual(bySlow.deliveries);
    expect(byFast.contacts).toEqual(bySlow.contacts);
  });

  it('refuses the items past the plan cap exactly as the per-item path does', async () => {
    const capped = await createTestApp(dialect, {
      PLAN_OVERRIDES: JSON.stringify({ sandbox: { contacts: 25 } }),
    });
    try {
      const results = [];
      for (const enabled of [false, true]) {
        const agent = await bootstrapAgent(capped.app, `capped_${enabled}`);
        fastPath.enabled = enabled;
        const queued = await call(
          capped.app,
          'POST',
          '/contacts/batch',
          {
            items: Array.from({ length: 40 }, (_, i) => ({ name: `Capped ${i}`, email: `cap${i}@cap.dev` })),
          },
          { token: agent.token, json: true, headers: { 'x-idempotency-key': `idem_cap_${enabled}` } },
        );
        expect(queued.status, queued.text).toBe(202);
        const job = await vi.waitFor(
          async () => {
            const reply = await call(capped.app, 'GET', `/operations/${queued.json.data.id}`, undefined, {
              token: agent.token,
              json: true,
            });
            if (['queued', 'running'].includes(reply.json.data.status)) throw new Error('still running');
            return reply.json.data;
          },
          { timeout: 30_000, interval: 25 },
        );
        fastPath.enabled = true;
        const list = await call(capped.app, 'GET', '/contacts?limit=100', undefined, {
          token: agent.token,
          json: true,
        });
        results.push({
          status: job.status,
          done: job.done,
          failed: job.failed,
          result: job.result,
          errors: job.errors,
          contacts: list.json.data.map((c: { email: string }) => c.email).sort(),
        });
      }
      expect(results[0]!.failed).toBeGreaterThan(0);
      expect(results[0]!.errors[0].code).toBe('plan_limit_reached');
      expect(results[1]).toEqual(results[0]);
    } finally {
      await capped.close();
    }
  });
});
