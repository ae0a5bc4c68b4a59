import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, bootstrap, listAll, post, remote, withTwoProcesses } from './fixtures/multiprocess.js';
import { bootstrapAgent, call, createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';
import { inviteHuman, latestCode, outboxMessages } from './mailbox.js';
import { type ServerProcess, startServerProcess } from './process.js';

describe.runIf(DIALECTS.includes('postgres'))('two server processes on one PostgreSQL database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(async () => database.cleanup());

  it('agree on idempotency keys and the change feed', async () => {
    const [a, b] = await Promise.all([startServerProcess(database.env), startServerProcess(database.env)]);
    try {
      const token = await bootstrap(a.url);
      const payload = { name: 'Twin', email: 'twin@processes.dev' };
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          post(i % 2 ? a.url : b.url, '/contacts', token, payload, 'idem_two_processes'),
        ),
      );
      const statuses = replies.map((reply) => reply.status);
      for (const status of statuses) expect([201, 409]).toContain(status);
      const ids = new Set<string>();
      for (const reply of replies) if (reply.status === 201) ids.add((await body(reply)).data.id);
      expect(ids.size).toBe(1);
      // A client whose request met the other process's claim (409) retries: it gets the same answer.
      const retried = await Promise.all(
        [a.url, b.url].map((url) => post(url, '/contacts', token, payload, 'idem_two_processes')),
      );
      for (const reply of retried) {
        expect(reply.status).toBe(201);
        expect((await body(reply)).data.id).toBe([...ids][0]);
      }
      const list = await fetch(`${b.url}/contacts?email=twin@processes.dev`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      });
      expect((await body(list)).data).toHaveLength(1);

      // Concurrent writers on both processes: the feed has every change once, in a gapless order.
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          post(i % 2 ? a.url : b.url, '/contacts', token, { name: `Feed ${i}` }),
        ),
      );
      const feed = await body(
        await fetch(`${a.url}/events?since=0&limit=500`, {
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        }),
      );
      const seqs = feed.data.map((event: { seq: number }) => event.seq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(feed.data.filter((event: { type: string }) => event.type === 'contact.created')).toHaveLength(
        21,
      );
    } finally {
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
      await Promise.all([a.exited, b.exited]);
    }
  });

  it('hold a plan cap under concurrent creates spread over both processes', async () => {
    const env = {
      ...database.env,
      PLAN_OVERRIDES: '{"sandbox":{"contacts":5}}',
      RATE_LIMIT_IP_PER_MINUTE: '1000',
    };
    await withTwoProcesses(env, async (a, b) => {
      const agent = await bootstrapAgent(remote(a), 'cap_racer');
      const replies = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          call(
            remote(i % 2 ? a : b),
            'POST',
            '/contacts',
            { name: `Cap ${i}`, email: `cap${i}@caps.dev` },
            {
              token: agent.token,
              json: true,
            },
          ),
        ),
      );
      const statuses = replies.map((reply) => reply.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(5);
      expect(statuses.filter((status) => status === 403)).toHaveLength(19);
      for (const reply of replies.filter((r) => r.status === 403))
        expect(reply.json.error.code).toBe('plan_limit_reached');
      expect(await listAll(remote(b), '/contacts', agent.token)).toHaveLength(5);
    });
  });

  it('count one rate limit for a token across both processes', async () => {
    const env = {
      ...database.env,
      PLAN_OVERRIDES: '{"sandbox":{"requests_per_minute":20}}',
      RATE_LIMIT_IP_PER_MINUTE: '1000',
    };
    await withTwoProcesses(env, async (a, b) => {
      // The window is a fixed minute: start the burst well inside one.
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 45_000) await new Promise((resolve) => setTimeout(resolve, 61_000 - intoMinute));
      const agent = await bootstrapAgent(remote(a), 'rate_racer');
      const replies = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          call(remote(i % 2 ? a : b), 'GET', '/whoami', undefined, { token: agent.token, json: true }),
        ),
      );
      const statuses = replies.map((reply) => reply.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(20);
      expect(statuses.filter((status) => status === 429)).toHaveLength(20);
      for (const reply of replies.filter((r) => r.status === 429)) {
        expect(reply.json.error.code).toBe('rate_limited');
        expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    });
  }, 90_000);

  it('spend a one-time code once, and apply a proposal once, when both processes get it at once', async () => {
    const env = { ...database.env, RATE_LIMIT_IP_PER_MINUTE: '1000' };
    await withTwoProcesses(env, async (a, b) => {
      const dataDir = database.env.DATA_DIR!;
      const agent = await bootstrapAgent(remote(a), 'code_racer');
      const human = await inviteHuman(remote(b), dataDir, agent, 'owner@codes.dev');

      // A sign-in code sent to both processes at once signs in exactly once.
      expect((await call(remote(a), 'POST', '/auth/request', { email: human.email })).status).toBe(202);
      const code = latestCode(await outboxMessages(dataDir), human.email);
      const verified = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          call(
            remote(i % 2 ? a : b),
            'POST',
            '/auth/verify',
            { email: human.email, code, token_name: `t${i}` },
            {
              json: true,
            },
          ),
        ),
      );
      const signedIn = verified.filter((reply) => reply.status === 201);
      expect(signedIn, verified.map((reply) => reply.text).join('\n')).toHaveLength(1);
      for (const reply of verified.filter((r) => r.status !== 201))
        expect(['invalid_code', 'too_many_attempts']).toContain(reply.json.error.code);

      // A proposal approved on both processes at once (with one step-up code) is applied once.
      const contact = await call(
        remote(a),
        'POST',
        '/contacts',
        { name: 'Proposed', phone: '+1 555 0100' },
        {
          token: agent.token,
          json: true,
        },
      );
      const proposal = await call(
        remote(b),
        'POST',
        `/contacts/${contact.json.data.id}/proposals`,
        { changes: { phone: '+1 555 0199' } },
        { token: agent.token, json: true, headers: { 'x-idempotency-key': 'idem_mp_proposal' } },
      );
      expect(proposal.status, proposal.text).toBeLessThan(300);
      const proposalId = proposal.json.data.id;
      const decide = (server: ServerProcess, query = '') =>
        call(
          remote(server),
          'POST',
          `/proposals/${proposalId}/decide${query}`,
          { decision: 'approve' },
          {
            token: human.token,
            json: true,
          },
        );
      const escalated = await decide(a);
      expect(escalated.json.error?.code, escalated.text).toBe('escalation_required');
      const stepUp = latestCode(await outboxMessages(dataDir), human.email);
      const decisions = await Promise.all(
        Array.from({ length: 4 }, (_, i) => decide(i % 2 ? a : b, `?code=${stepUp}`)),
      );
      const applied = decisions.filter((reply) => reply.status === 200);
      expect(applied, decisions.map((reply) => reply.text).join('\n')).toHaveLength(1);
      expect(applied[0]!.json.data.status).toBe('applied');
      for (const reply of decisions.filter((r) => r.status !== 200))
        expect(['conflict', 'invalid_code']).toContain(reply.json.error.code);
      const after = await call(remote(b), 'GET', `/contacts/${contact.json.data.id}`, undefined, {
        token: agent.token,
        json: true,
      });
      expect(after.json.data.phone).toBe('+1 555 0199');
      expect(after.json.data.version).toBe(contact.json.data.version + 1);
      const audit = await listAll(remote(a), `/audit?target=contact/${contact.json.data.id}`, agent.token);
      const phoneChanges = audit.filter((entry) => entry.reason_code === 'proposal.approved');
      expect(phoneChanges, JSON.stringify(audit)).toHaveLength(1);
    });
  });

  it('run each background operation in exactly one process', async () => {
    await withTwoProcesses({ ...database.env, RATE_LIMIT_IP_PER_MINUTE: '1000' }, async (a, b) => {
      const agent = await bootstrapAgent(remote(a), 'job_racer');
      const queued = await Promise.all(
        Array.from({ length: 4 }, (_, batch) =>
          call(
            remote(batch % 2 ? a : b),
            'POST',
            '/contacts/batch',
            {
              items: Array.from({ length: 150 }, (_, i) => ({
                name: `Job ${batch}-${i}`,
                email: `j${batch}.${i}@jobs.dev`,
              })),
            },
            { token: agent.token, json: true, headers: { 'x-idempotency-key': `idem_mp_job_${batch}` } },
          ),
        ),
      );
      for (const reply of queued) expect(reply.status, reply.text).toBe(202);
      for (const reply of queued) {
        let data: Record<string, unknown> = { status: 'queued' };
        for (let i = 0; i < 400 && ['queued', 'running'].includes(data.status as string); i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          data = (
            await call(remote(b), 'GET', `/operations/${reply.json.data.id}`, undefined, {
              token: agent.token,
              json: true,
            })
          ).json.data;
        }
        expect(data).toMatchObject({ status: 'succeeded', done: 150, total: 150 });
      }
      const contacts = await listAll(remote(a), '/contacts?email=like:@jobs.dev', agent.token);
      expect(contacts).toHaveLength(600);
      expect(new Set(contacts.map((contact) => contact.email)).size).toBe(600);
      for (const contact of contacts) expect(contact.version).toBe(1);
      // One audit row per contact: no item ran twice.
      const created = (
        await listAll(remote(b), '/audit?operation=contacts.batch_upsert', agent.token)
      ).filter((entry) => String(entry.target).startsWith('contact/'));
      expect(created).toHaveLength(600);
      expect(new Set(created.map((entry) => entry.target)).size).toBe(600);
    });
  }, 60_000);
});
