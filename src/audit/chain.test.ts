import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../test/cli.js';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { inviteHuman, type Person } from '../../test/mailbox.js';
import { secondApp } from '../../test/second-app.js';
import type { AuditLogTable } from '../store/schema.js';
import { rowHash } from './chain.js';
import { verifyChains } from './verify.js';

/**
 * The audit hash chain (issue 19, item 11): every writer chains, concurrent writers to one
 * workspace keep one chain, and `agentcrm audit verify` finds an attacker's edit at its exact row.
 */
describe.each(DIALECTS)('audit hash chain on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  let keys = 0;
  const api = (token: string, method: string, target: string, body?: unknown) => {
    t.clock.advance(5);
    return call(t.app, method, target, body, {
      token,
      json: true,
      headers: { 'x-idempotency-key': `idem_chain_${dialect}_${++keys}` },
    });
  };
  const finished = (token: string, id: string) =>
    vi.waitFor(
      async () => {
        const reply = await call(t.app, 'GET', `/operations/${id}`, undefined, { token, json: true });
        if (['queued', 'running'].includes(reply.json.data.status)) throw new Error(reply.json.data.status);
        return reply.json.data;
      },
      { timeout: 30_000, interval: 25 },
    );
  const verify = (...args: string[]) => runCli(['audit', 'verify', ...args], t.database.env);
  const chainOf = (workspaceId: string) =>
    t.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('seq')
      .execute();

  /** What an attacker holding the database does: switch the append-only trigger off, then edit. */
  async function tamper(statement: string, ...parameters: string[]) {
    if (dialect === 'sqlite') {
      const db = new SqliteDatabase(path.join(t.config.dataDir, 'agentcrm.sqlite'));
      db.exec('drop trigger if exists audit_log_no_update; drop trigger if exists audit_log_no_delete');
      db.prepare(statement.replace(/\$\d/g, '?')).run(...parameters);
      db.close();
      return;
    }
    const client = new pg.Client({ connectionString: t.database.env.DATABASE_URL });
    await client.connect();
    await client.query('alter table audit_log disable trigger audit_log_append_only');
    await client.query(statement, parameters);
    await client.query('alter table audit_log enable trigger audit_log_append_only');
    await client.end();
  }

  /** A workspace with a few changes in its log. */
  async function workspaceWithHistory(): Promise<{ agent: Agent; rows: AuditLogTable[] }> {
    const agent = await bootstrapAgent(t.app, 'tamper_target');
    for (let i = 0; i < 4; i++) {
      expect((await api(agent.token, 'POST', '/contacts', { name: `Row ${i}` })).status).toBe(201);
    }
    return { agent, rows: await chainOf(agent.workspaceId) };
  }

  it("chains every writer's rows and verifies a fresh workspace", async () => {
    const agent = await bootstrapAgent(t.app, 'chain_agent');
    const human: Person = await inviteHuman(t.app, t.config.dataDir, agent, 'owner@chain.dev');
    const a = (await api(agent.token, 'POST', '/contacts', { name: 'Ann', email: 'ann@chain.dev' })).json
      .data;
    const b = (await api(agent.token, 'POST', '/contacts', { name: 'Ann B', email: 'annb@chain.dev' })).json
      .data;
    const updated = await api(agent.token, 'PATCH', `/contacts/${a.id}`, { title: 'Buyer' });
    expect(updated.status).toBe(200);
    // Set-based batch creates, a bulk update (background jobs), a merge and a revert.
    const batch = await api(agent.token, 'POST', '/contacts/batch', {
      items: Array.from({ length: 30 }, (_, i) => ({ name: `Batch ${i}`, email: `b${i}@chain.dev` })),
    });
    expect((await finished(agent.token, batch.json.data.id)).done).toBe(30);
    const bulk = await api(agent.token, 'POST', '/contacts/bulk-update', {
      where: { email: 'like:@chain.dev' },
      changes: { stage: 'customer' },
    });
    await finished(agent.token, bulk.json.data.id);
    expect((await api(human.token, 'POST', `/contacts/${a.id}/merge`, { from: [b.id] })).status).toBe(200);
    const revert = await api(human.token, 'POST', '/operations/revert', {
      request_id: updated.json.request_id,
      apply: true,
    });
    expect(revert.status).toBe(200);

    const rows = await chainOf(agent.workspaceId);
    expect(rows.length).toBeGreaterThan(70);
    expect(rows.map((row) => Number(row.seq))).toEqual(rows.map((_, i) => i + 1));
    expect(rows.map((row) => row.operation)).toEqual(
      expect.arrayContaining([
        'account.bootstrap',
        'humans.invite_billing_owner',
        'humans.accept_invite',
        'contacts.create',
        'contacts.update',
        'contacts.batch_upsert',
        'contacts.bulk_update',
        'contacts.merge',
        'operations.revert',
      ]),
    );
    rows.forEach((row, i) => {
      expect(row.prev_hash).toBe(i === 0 ? '0'.repeat(64) : rows[i - 1]!.hash);
      expect(row.hash).toBe(rowHash(row));
    });

    const result = await verify('--workspace', agent.workspaceId, '--heads');
    expect(result.stderr).toContain('audit:');
    expect(result.stdout).toContain(
      `workspace/${agent.workspaceId} seq=${rows.length} hash=${rows.at(-1)!.hash}`,
    );
    expect(result.stdout).toContain(`# audit verified: 1 workspaces, ${rows.length} rows, every link holds`);
    expect(result.code).toBe(0);
  });

  it('keeps one chain when 20 writes race into one workspace (PostgreSQL: from two instances)', async () => {
    const agent = await bootstrapAgent(t.app, 'racer');
    const made = [];
    for (let i = 0; i < 10; i++)
      made.push((await api(agent.token, 'POST', '/contacts', { name: `Made ${i}` })).json.data);
    // SQLite is served by one process (its single writer is the serialisation); PostgreSQL by many.
    const other = dialect === 'postgres' ? secondApp(t) : { app: t.app, close: async () => {} };
    try {
      // Creates already queue on the workspace's plan counter; updates take no lock before the audit.
      const replies = await Promise.all([
        ...made.map((contact, i) =>
          call(
            i % 2 ? other.app : t.app,
            'PATCH',
            `/contacts/${contact.id}`,
            { title: `T${i}` },
            { token: agent.token },
          ),
        ),
        ...made.map((_, i) =>
          call(
            i % 2 ? t.app : other.app,
            'POST',
            '/contacts',
            { name: `Racer ${i}` },
            { token: agent.token },
          ),
        ),
      ]);
      expect(replies.map((reply) => reply.status)).toEqual([...Array(10).fill(200), ...Array(10).fill(201)]);
    } finally {
      await other.close();
    }
    const rows = await chainOf(agent.workspaceId);
    expect(rows).toHaveLength(31);
    expect(rows.map((row) => Number(row.seq))).toEqual(rows.map((_, i) => i + 1));
    expect(new Set(rows.map((row) => row.prev_hash)).size).toBe(31);
    const result = await verifyChains(t.store.db, { workspaceId: agent.workspaceId });
    expect(result).toEqual({ workspaces: 1, rows: 31, broken: null });
  });

  it('every workspace verifies, with the seed command among the writers', async () => {
    const seeded = await runCli(['seed', '--contacts', '50', '--activities', '20'], t.database.env);
    expect(seeded.code, seeded.stderr).toBe(0);
    const result = await verify();
    expect(result.stdout).toMatch(/# audit verified: \d+ workspaces, \d+ rows, every link holds/);
    expect(result.code).toBe(0);
  });

  it('reports an edited row at that row: expected and found hash', async () => {
    const { agent, rows } = await workspaceWithHistory();
    const victim = rows[2]!;
    await tamper(
      'update audit_log set reason = $1 where workspace_id = $2 and id = $3',
      'forged',
      agent.workspaceId,
      victim.id,
    );
    const [edited] = (await chainOf(agent.workspaceId)).filter((row) => row.id === victim.id);
    const result = await verify('--workspace', agent.workspaceId);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `# audit chain broken in workspace ${agent.workspaceId} at audit/${victim.id} (seq 3):`,
    );
    expect(result.stdout).toContain('its content was edited');
    expect(result.stdout).toContain(`expected: ${rowHash(edited!)}`);
    expect(result.stdout).toContain(`found:    ${victim.hash}`);
    expect(result.stderr).toContain(
      `agentcrm: the audit log of ${agent.workspaceId} was altered at audit/${victim.id}`,
    );
  });

  it('reports edited changes, a deleted row, and a re-hashed row at the link they break', async () => {
    const changed = await workspaceWithHistory();
    const target = changed.rows[1]!;
    await tamper(
      'update audit_log set changes = $1 where workspace_id = $2 and id = $3',
      '{}',
      changed.agent.workspaceId,
      target.id,
    );
    const first = await verifyChains(t.store.db, { workspaceId: changed.agent.workspaceId });
    expect(first.broken).toMatchObject({
      auditId: target.id,
      seq: 2,
      problem: 'changes_digest',
      expected: target.changes_digest,
    });

    const removed = await workspaceWithHistory();
    const gone = removed.rows[2]!;
    await tamper(
      'delete from audit_log where workspace_id = $1 and id = $2',
      removed.agent.workspaceId,
      gone.id,
    );
    const result = await verify('--workspace', removed.agent.workspaceId);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`at audit/${removed.rows[3]!.id} (seq 4):`);
    expect(result.stdout).toContain('rows are missing before it');
    expect(result.stdout).toContain('expected: seq 3\nfound:    seq 4');

    // An attacker who knows the encoding re-hashes the row it edits: the next link still breaks.
    const rehashed = await workspaceWithHistory();
    const forged = { ...rehashed.rows[1]!, reason: 'forged' };
    const forgedHash = rowHash(forged);
    await tamper(
      'update audit_log set reason = $1, hash = $2 where workspace_id = $3 and id = $4',
      'forged',
      forgedHash,
      rehashed.agent.workspaceId,
      forged.id,
    );
    const third = await verifyChains(t.store.db, { workspaceId: rehashed.agent.workspaceId });
    expect(third.broken).toEqual({
      workspaceId: rehashed.agent.workspaceId,
      auditId: rehashed.rows[2]!.id,
      seq: 3,
      problem: 'prev_hash',
      expected: forgedHash,
      found: rehashed.rows[1]!.hash,
    });
    // Verifying everything stops at the first broken workspace, so a broken log is never "ok".
    expect((await verify()).code).toBe(1);
  });

  it('refuses a malformed or unknown --workspace as a usage error', async () => {
    const bad = await verify('--workspace', 'x; drop table audit_log');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--workspace takes a workspace id');
    const unknown = await verify('--workspace', 'wrk_nosuchworkspace');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('there is no workspace wrk_nosuchworkspace');
    expect(
      Number((await sql<{ n: number }>`select count(*) as n from audit_log`.execute(t.store.db)).rows[0]!.n),
    ).toBeGreaterThan(0);
  });
});
