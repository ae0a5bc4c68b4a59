import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../src/config.js';
import { connectStore } from '../src/store/connect.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';
import { startServerProcess } from './process.js';

/** Kill rounds: 3 in the regular suite; `CRASH_ROUNDS=50 npm run test:long` for the long run. */
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 3);

// biome-ignore lint/suspicious/noExplicitAny: tests read envelopes freely
const body = async (reply: Response): Promise<any> => reply.json();

interface Ledger {
  created: Map<string, string>; // email → id, for every create answered 2xx
  updated: Set<string>; // ids whose update to title "v2" was answered 2xx
  unanswered: { email: string; key: string }[]; // creates cut off by the kill
}

/**
 * A writer against the real server process, killed with SIGKILL at a random moment, restarted,
 * several times over. Afterwards every acknowledged write is there with its audit row, nothing
 * is half-applied, retried idempotent requests apply once, and the database is intact.
 */
describe.each(DIALECTS)('crash durability on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    database.env.IDEMPOTENCY_LOCK_SECONDS = '1';
    // The writer is one token going as fast as it can: measure durability, not the rate limit or the cap.
    database.env.PLAN_OVERRIDES = JSON.stringify({
      sandbox: { requests_per_minute: 1_000_000, contacts: 1_000_000 },
    });
  });
  afterAll(async () => database.cleanup());

  it(`loses no acknowledged write across ${ROUNDS} kill -9 rounds`, async () => {
    const ledger: Ledger = { created: new Map(), updated: new Set(), unanswered: [] };
    let token = '';
    let serial = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const server = await startServerProcess(database.env);
      if (!token) {
        const boot = await fetch(`${server.url}/agent-bootstrap`, {
          method: 'POST',
          headers: { accept: 'application/json' },
          body: JSON.stringify({ agent_name: 'crash_agent' }),
        });
        expect(boot.status).toBe(201);
        token = (await body(boot)).data.token;
      }
      const headers = (key: string) => ({
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        'x-idempotency-key': key,
      });
      let stop = false;
      const worker = async () => {
        while (!stop) {
          const n = serial++;
          const email = `crash${n}@durable.dev`;
          const key = `idem_crash_${n}`;
          try {
            const created: Response = await fetch(`${server.url}/contacts`, {
              method: 'POST',
              headers: headers(key),
              body: JSON.stringify({ name: `Crash ${n}`, email }),
            });
            if (created.status !== 201) continue;
            const id = (await body(created)).data.id as string;
            ledger.created.set(email, id);
            const updated = await fetch(`${server.url}/contacts/${id}`, {
              method: 'PATCH',
              headers: headers(`${key}_u`),
              body: JSON.stringify({ title: 'v2' }),
            });
            if (updated.status === 200) ledger.updated.add(id);
          } catch {
            ledger.unanswered.push({ email, key });
            return;
          }
        }
      };
      const workers = Array.from({ length: 8 }, worker);
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700));
      server.child.kill('SIGKILL');
      await server.exited;
      stop = true;
      await Promise.all(workers);
    }

    const server = await startServerProcess(database.env);
    // A key whose attempt died with the process is taken over once its lock is stale.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    try {
      // Retry what the kills cut off, with the same keys: each lands exactly once.
      for (const { email, key } of ledger.unanswered) {
        const retried = await fetch(`${server.url}/contacts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'x-idempotency-key': key },
          body: JSON.stringify({ name: `Crash ${email.match(/\d+/)![0]}`, email }),
        });
        expect([200, 201]).toContain(retried.status);
      }
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }

    const store = connectStore(testConfig(database.env));
    try {
      const rows = await store.db
        .selectFrom('contacts')
        .select(['id', 'email', 'title', 'version'])
        .where('email', 'like', '%@durable.dev')
        .execute();
      const byEmail = new Map(rows.map((row) => [row.email, row]));
      expect(rows.length).toBe(byEmail.size); // no email twice
      for (const [email, id] of ledger.created) expect(byEmail.get(email)?.id, email).toBe(id);
      for (const id of ledger.updated) expect(rows.find((row) => row.id === id)?.title).toBe('v2');
      for (const { email } of ledger.unanswered) expect(byEmail.has(email)).toBe(true);
      // Nothing half-applied: every stored change has its audit row, and no audit row lacks its change.
      const audits = await store.db
        .selectFrom('audit_log')
        .select(['target', 'operation'])
        .where('operation', 'in', ['contacts.create', 'contacts.update'])
        .execute();
      const audited = new Set(audits.map((row) => `${row.operation} ${row.target}`));
      for (const row of rows) {
        expect(audited.has(`contacts.create contact/${row.id}`), row.id).toBe(true);
        if (Number(row.version) > 1)
          expect(audited.has(`contacts.update contact/${row.id}`), row.id).toBe(true);
      }
      expect(audits.filter((row) => row.operation === 'contacts.create').length).toBe(rows.length);
      if (dialect === 'sqlite') {
        const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(store.db);
        expect(check.rows[0]?.integrity_check).toBe('ok');
      }
      console.info(
        `crash durability (${dialect}): ${ROUNDS} kills, ${ledger.created.size} acknowledged creates, ${ledger.updated.size} updates, ${ledger.unanswered.length} retried, nothing lost`,
      );
    } finally {
      await store.close();
    }
  }, 120_000);
});
