import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { connectStore, migrateToLatest } from '../src/store/connect.js';
import { bootstrapAgent, call, createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';
import { inviteHuman } from './mailbox.js';
import { startServerProcess } from './process.js';
import { type Receiver, startReceiver, verifySignature } from './webhook-receiver.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read envelopes freely
const body = async (reply: Response): Promise<any> => reply.json();

/**
 * An agent, its human (an admin) and a webhook to the receiver, made through an in-process app on
 * the test database before any server process starts.
 */
async function setUp(database: TestDatabase, receiver: Receiver) {
  const config = testConfig({ ...database.env, WEBHOOKS_ALLOW_LOOPBACK: 'true' });
  const store = connectStore(config);
  await migrateToLatest(store);
  const app = createApp({ config, store });
  const agent = await bootstrapAgent(app, 'hook_writer');
  const human = await inviteHuman(app, config.dataDir, agent, 'owner@process.dev');
  const hook = await call(
    app,
    'POST',
    '/webhooks',
    { url: `${receiver.url}/crm`, events: ['contact.created'] },
    { token: human.token, json: true },
  );
  expect(hook.status, hook.text).toBe(201);
  await app.services.meter.stop();
  await store.close();
  return { token: agent.token, secret: hook.json.data.secret as string };
}

const createContact = (url: string, token: string, n: number) =>
  fetch(`${url}/contacts`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      'x-idempotency-key': `idem_wh_${n}`,
    },
    body: JSON.stringify({ name: `Hooked ${n}`, email: `hooked${n}@process.dev` }),
  });

/** Every contact.created event in the feed (what committed), read through the API. */
async function committedEvents(url: string, token: string): Promise<{ id: string; target: string }[]> {
  const events: { id: string; target: string }[] = [];
  let since = '0';
  for (;;) {
    const reply = await fetch(`${url}/events?types=contact.created&limit=500&since=${since}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    const page = await body(reply);
    events.push(...page.data);
    if (page.data.length < 500) return events;
    since = page.next_cursor;
  }
}

/** A server key from outside the data, the same for both processes. */
const SECRETS_KEY = randomBytes(32).toString('hex');

const baseEnv = (database: TestDatabase) => ({
  ...database.env,
  WEBHOOKS_ALLOW_LOOPBACK: 'true',
  // A short request timeout makes the lease short (timeout + 5 s), so a killed process's rows come back soon.
  WEBHOOKS_TIMEOUT_SECONDS: '1',
  PLAN_OVERRIDES: JSON.stringify({ sandbox: { requests_per_minute: 1_000_000, contacts: 1_000_000 } }),
  // As in production (docs/secrets.md): without it the server warns, and this test wants no warnings.
  SECRETS_KEY: SECRETS_KEY,
});

describe.each(DIALECTS)('webhook delivery across kill -9 on %s', (dialect) => {
  let database: TestDatabase;
  let receiver: Receiver;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await database.cleanup();
  });

  it('delivers every committed event at least once although the server is killed mid-delivery', async () => {
    const { token, secret } = await setUp(database, receiver);
    // Slow answers keep deliveries in flight, so the kill lands in the middle of one.
    receiver.respond = () => ({ status: 200, delayMs: 100 });
    const acknowledged = new Set<string>();
    let serial = 0;
    for (let round = 0; round < 3; round++) {
      const server = await startServerProcess(baseEnv(database));
      let stop = false;
      const writer = (async () => {
        while (!stop) {
          try {
            const reply = await createContact(server.url, token, serial++);
            if (reply.status === 201) acknowledged.add(`contact/${(await body(reply)).data.id}`);
          } catch {
            return;
          }
        }
      })();
      // Kill once a delivery is in flight and some more changes are committed behind it.
      await vi.waitFor(
        () => expect(receiver.received.length + receiver.cutOff.length).toBeGreaterThan(round * 10 + 5),
        {
          timeout: 20_000,
          interval: 10,
        },
      );
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 100));
      await vi.waitFor(() => expect(receiver.inFlight()).toBeGreaterThan(0), {
        timeout: 10_000,
        interval: 1,
      });
      server.child.kill('SIGKILL');
      await server.exited;
      stop = true;
      await writer;
    }

    const last = await startServerProcess(baseEnv(database));
    try {
      receiver.respond = () => ({ status: 200 });
      const committed = await committedEvents(last.url, token);
      for (const target of acknowledged) expect(committed.map((e) => e.target)).toContain(target);
      const answered = () => new Set(receiver.received.map((r) => String(r.headers['webhook-id'])));
      await vi.waitFor(
        () => expect(committed.filter((e) => !answered().has(e.id)).map((e) => e.id)).toEqual([]),
        { timeout: 40_000, interval: 100 },
      );
      expect(receiver.received.every((r) => verifySignature(secret, r.headers, r.body))).toBe(true);
      expect(receiver.cutOff.length).toBeGreaterThan(0); // the kills did cut deliveries off
    } finally {
      last.child.kill('SIGTERM');
      await last.exited;
    }
  }, 120_000);
});

describe.each(DIALECTS.filter((d) => d === 'postgres'))(
  'webhook dispatch shared by two processes on %s',
  (dialect) => {
    let database: TestDatabase;
    let receiver: Receiver;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await receiver.close();
      await database.cleanup();
    });

    it('sends each event once, never by both processes at the same time', async () => {
      const { token } = await setUp(database, receiver);
      receiver.respond = () => ({ status: 200, delayMs: Math.floor(Math.random() * 40) });
      const servers = [
        await startServerProcess(baseEnv(database)),
        await startServerProcess(baseEnv(database)),
      ];
      try {
        const writes = Array.from({ length: 120 }, (_, n) => createContact(servers[n % 2]!.url, token, n));
        const replies = await Promise.all(writes);
        const applied = replies.filter((r) => r.status === 201).length;
        expect(applied).toBeGreaterThan(100);
        const committed = await committedEvents(servers[0]!.url, token);
        expect(committed).toHaveLength(applied);
        const ids = () => receiver.received.map((r) => String(r.headers['webhook-id']));
        await vi.waitFor(() => expect(new Set(ids())).toEqual(new Set(committed.map((e) => e.id))), {
          timeout: 30_000,
          interval: 50,
        });
        await new Promise((resolve) => setTimeout(resolve, 1500)); // any duplicate would show by now
        const errors = servers.flatMap((server) =>
          server
            .output()
            .split('\n')
            .filter((line) => /"level":(40|50)/.test(line) && line.includes('webhook')),
        );
        expect(errors).toEqual([]);
        expect(receiver.overlaps).toEqual([]);
        expect(ids()).toHaveLength(committed.length); // once each: no lease was lost, nothing sent twice
        // Both processes took part in the dispatch.
        for (const server of servers) expect(server.output()).toContain('webhook delivery attempted');
      } finally {
        for (const server of servers) server.child.kill('SIGTERM');
        await Promise.all(servers.map((server) => server.exited));
      }
    }, 90_000);
  },
);
