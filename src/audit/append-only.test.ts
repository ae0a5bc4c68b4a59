import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { migrateToLatest } from '../store/connect.js';
import { migrationProvider } from '../store/migrations/index.js';
import { withAuditPurge } from './purge.js';
import { verifyChains } from './verify.js';

/**
 * The audit log is append-only for the application (issue 19, item 11): the database itself
 * refuses UPDATE and DELETE of its rows, except what a purge does inside withAuditPurge.
 */
describe.each(DIALECTS)('append-only audit log on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app, 'append_only');
    for (let i = 0; i < 5; i++) {
      t.clock.advance(10);
      await call(
        t.app,
        'POST',
        '/contacts',
        { name: `Kept ${i}`, email: `k${i}@append.dev` },
        { token: agent.token },
      );
    }
  });
  afterAll(async () => t.close());

  const rowsOf = (workspaceId: string) =>
    t.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('seq')
      .execute();
  const purging = <T>(work: (db: typeof t.store.db) => Promise<T>) =>
    t.store.db.transaction().execute((trx) => withAuditPurge(trx, t.store.dialect, () => work(trx)));

  it("refuses the application's own UPDATE, DELETE and TRUNCATE of audit rows", async () => {
    const before = await rowsOf(agent.workspaceId);
    const attempts = [
      sql`update audit_log set reason = 'rewritten' where workspace_id = ${agent.workspaceId}`,
      sql`update audit_log set changes = null where workspace_id = ${agent.workspaceId}`,
      sql`delete from audit_log where workspace_id = ${agent.workspaceId}`,
      ...(dialect === 'postgres' ? [sql`truncate audit_log`] : []),
    ];
    for (const attempt of attempts) {
      await expect(attempt.execute(t.store.db)).rejects.toThrow(/audit_log is append-only/);
    }
    // Rows must be chained to go in at all.
    await expect(
      sql`insert into audit_log (workspace_id, id, at, actor_type, actor_id, operation, request_id, policy_decision, reason_code)
        values (${agent.workspaceId}, 'aud_forged', '2026-03-01T09:00:00.000Z', 'system', 'system', 'x', 'req_x', 'allow', 'policy.allowed')`.execute(
        t.store.db,
      ),
    ).rejects.toThrow(/chained|not-null|null value/);
    expect(await rowsOf(agent.workspaceId)).toEqual(before);
  });

  it('lets a purge blank changes (erasure) and delete, and nothing more; the chain still verifies', async () => {
    const victim = await bootstrapAgent(t.app, 'purged');
    for (let i = 0; i < 4; i++) {
      t.clock.advance(10);
      await call(t.app, 'POST', '/contacts', { name: `Gone ${i}` }, { token: victim.token });
    }
    const rows = await rowsOf(victim.workspaceId);
    // Even inside a purge, the hashed columns stay as they are.
    await expect(
      purging((db) => sql`update audit_log set reason = 'rewritten' where id = ${rows[1]!.id}`.execute(db)),
    ).rejects.toThrow(/append-only/);
    // An erasure blanks the changes text; their digest, which the hash covers, stays.
    await purging((db) =>
      sql`update audit_log set changes = null where workspace_id = ${victim.workspaceId} and id = ${rows[1]!.id}`.execute(
        db,
      ),
    );
    expect((await rowsOf(victim.workspaceId))[1]).toMatchObject({
      changes: null,
      changes_digest: rows[1]!.changes_digest,
    });
    expect((await verifyChains(t.store.db, { workspaceId: victim.workspaceId })).broken).toBeNull();

    // A retention purge removes the oldest rows and anchors the chain at the last one it removed.
    await purging(async (db) => {
      await sql`delete from audit_log where workspace_id = ${victim.workspaceId} and seq <= 2`.execute(db);
      await db
        .insertInto('audit_chain_anchors')
        .values({
          workspace_id: victim.workspaceId,
          seq: 2,
          hash: rows[1]!.hash,
          at: '2026-03-02T00:00:00.000Z',
        })
        .execute();
    });
    expect(await verifyChains(t.store.db, { workspaceId: victim.workspaceId })).toMatchObject({
      rows: 3,
      broken: null,
    });
    // The switch does not outlive the purge: the next delete is refused again.
    await expect(
      sql`delete from audit_log where workspace_id = ${victim.workspaceId}`.execute(t.store.db),
    ).rejects.toThrow(/append-only/);
    // The same purge without its anchor is what an attacker's deletion looks like.
    await purging((db) =>
      db.deleteFrom('audit_chain_anchors').where('workspace_id', '=', victim.workspaceId).execute(),
    );
    expect((await verifyChains(t.store.db, { workspaceId: victim.workspaceId })).broken).toMatchObject({
      auditId: rows[2]!.id,
      problem: 'missing_rows',
    });
  });

  it.runIf(dialect === 'sqlite' && existsSync('/usr/bin/sqlite3'))(
    "the audit table's triggers open in the stock sqlite3 shell, which can read the rows but not change them",
    async () => {
      // The table and its triggers exactly as the server made them, in a file of their own (the
      // rest of the schema is another finding's business: issue 19, item 7).
      const { rows } = await sql<{ sql: string }>`select sql from sqlite_master
        where tbl_name = 'audit_log' and type in ('table', 'trigger') order by type = 'trigger'`.execute(
        t.store.db,
      );
      const file = path.join(t.config.dataDir, 'audit-only.sqlite');
      const copy = new SqliteDatabase(file);
      for (const { sql: statement } of rows)
        copy.exec(statement.replace(/ references "?workspaces"? ?\("?id"?\)/i, ''));
      const keep = (await rowsOf(agent.workspaceId))[0]!;
      copy
        .prepare(
          `insert into audit_log (${Object.keys(keep).join(', ')}) values (${Object.keys(keep)
            .map(() => '?')
            .join(', ')})`,
        )
        .run(...Object.values(keep));
      copy.close();
      const shell = (command: string) => spawnSync('/usr/bin/sqlite3', [file, command], { encoding: 'utf8' });
      const schema = shell('.schema audit_log');
      expect(schema.status, schema.stderr).toBe(0);
      expect(schema.stdout).toContain('CREATE TRIGGER audit_log_no_delete');
      expect(shell('select count(*) from audit_log').stdout.trim()).toBe('1');
      expect(shell('delete from audit_log').stderr).toContain('no such function: agentcrm_audit_purge');
      expect(shell("update audit_log set reason = 'x'").stderr).toContain(
        'no such function: agentcrm_audit_purge',
      );
      expect(shell('select count(*), max(reason) from audit_log').stdout.trim()).toBe('1|');
    },
  );

  it('chains the rows written before the migration, with the hashes the server computes', async () => {
    const before = await rowsOf(agent.workspaceId);
    const migrator = new Migrator({
      db: t.store.db,
      provider: migrationProvider,
      allowUnorderedMigrations: true,
    });
    // Down to just before 0014 (later migrations go down first), then up again.
    const down = await migrator.migrateTo('0013_sqlite_shell');
    expect(down.error).toBeUndefined();
    expect(down.results?.at(-1)).toMatchObject({ migrationName: '0014_audit_chain', status: 'Success' });
    await migrateToLatest(t.store);
    // The rows went in 10 ms apart, so the migration's order (time, id) is the order they were written.
    expect(await rowsOf(agent.workspaceId)).toEqual(before);
    expect((await verifyChains(t.store.db)).broken).toBeNull();
    await expect(sql`delete from audit_log`.execute(t.store.db)).rejects.toThrow(/append-only/);
  });
});
