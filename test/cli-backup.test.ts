import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, seedOutput } from './cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';
import { type ServerProcess, startServerProcess } from './process.js';

describe.runIf(DIALECTS.includes('sqlite'))('agentcrm backup and restore on sqlite', () => {
  let database: TestDatabase;
  let dir: string;
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    dir = mkdtempSync(path.join(tmpdir(), 'agentcrm-backup-'));
  });
  afterAll(async () => {
    server?.child.kill('SIGTERM');
    if (server) await server.exited;
    rmSync(dir, { recursive: true, force: true });
    await database.cleanup();
  });

  it('takes a consistent backup while a writer keeps writing, and restores it only where that is safe', async () => {
    // Enough data that the backup takes a moment, so writes land while it runs.
    const seeded = await runCli(['seed', '--contacts', '20000', '--activities', '20000'], database.env);
    expect(seeded.code, seeded.stderr).toBe(0);
    const { token } = seedOutput(seeded.stdout);
    server = await startServerProcess(database.env);
    const url = server.url;

    const acknowledged: { id: string; at: number }[] = [];
    let writing = true;
    let failures = 0;
    const writer = async (worker: number) => {
      for (let i = 0; writing; i++) {
        const reply = await fetch(`${url}/contacts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
          body: JSON.stringify({ name: `Writer ${worker}-${i}`, email: `w${worker}.${i}@backup.dev` }),
        });
        if (reply.status === 201) {
          const { data } = (await reply.json()) as { data: { id: string } };
          acknowledged.push({ id: data.id, at: Date.now() });
        } else failures++;
      }
    };
    const writers = [0, 1, 2].map(writer);
    while (acknowledged.length < 30) await new Promise((resolve) => setTimeout(resolve, 10));

    const file = path.join(dir, 'online.sqlite');
    const began = Date.now();
    const before = acknowledged.map((entry) => entry.id);
    const backup = await runCli(['backup', file], database.env);
    const ended = Date.now();
    const during = acknowledged.filter((entry) => entry.at > began && entry.at < ended).length;
    writing = false;
    await Promise.all(writers);

    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/^# backup .*online\.sqlite: [\d,]+ bytes in [\d.]+ s, integrity ok; /);
    expect(failures).toBe(0);
    expect(during, 'writes acknowledged while the backup ran').toBeGreaterThan(0);
    const copy = new SqliteDatabase(file, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      const ids = new Set(
        copy
          .prepare("select id from contacts where email like '%@backup.dev'")
          .all()
          .map((row) => (row as { id: string }).id),
      );
      for (const id of before) expect(ids.has(id), id).toBe(true);
    } finally {
      copy.close();
    }
    expect(readdirSync(dir).filter((name) => name.includes('partial'))).toEqual([]);

    // Never over a database a server holds, with or without --force.
    for (const args of [
      ['restore', file],
      ['restore', file, '--force'],
    ]) {
      const refused = await runCli(args, database.env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/agentcrm\.sqlite is in use .* stop it before restoring/);
    }
    server.child.kill('SIGTERM');
    await server.exited;
    server = undefined;
    const existing = await runCli(['restore', file], database.env);
    expect(existing.code).toBe(1);
    expect(existing.stderr).toMatch(
      /already holds a database \(\d+ live contacts\); pass --force to replace it/,
    );
    const forced = await runCli(['restore', file, '--force'], database.env);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/# the replaced database is kept at .*agentcrm\.sqlite\.before-restore-/);

    // A fresh data dir: the restored database serves what was committed before the backup.
    const fresh = { DATA_DIR: path.join(dir, 'fresh') };
    const restored = await runCli(['restore', file], fresh);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/integrity ok; [\d,]+ companies, [\d,]+ contacts/);
    server = await startServerProcess(fresh);
    const reply = await fetch(`${server.url}/contacts/${before[0]}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(reply.status).toBe(200);
  });

  it('refuses files that are not agentcrm backups, and an existing backup file without --force', async () => {
    const notSqlite = path.join(dir, 'notes.txt');
    writeFileSync(notSqlite, 'hello\n');
    const env = { DATA_DIR: path.join(dir, 'other') };
    const cases: [string[], number, RegExp][] = [
      [['restore', path.join(dir, 'missing.sqlite')], 1, /no such file: .*missing\.sqlite/],
      [['restore', notSqlite], 1, /notes\.txt is not an SQLite database/],
      [
        ['backup', path.join(dir, 'x.sqlite')],
        1,
        /there is no database at .*other.*agentcrm\.sqlite \(check DATA_DIR\)/,
      ],
      [['backup'], 2, /missing required argument 'file'/],
    ];
    for (const [args, code, message] of cases) {
      const run = await runCli(args, env);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.code, args.join(' ')).toBe(code);
    }
    expect(existsSync(path.join(dir, 'other', 'agentcrm.sqlite'))).toBe(false);
    const empty = new SqliteDatabase(path.join(dir, 'plain.sqlite'));
    empty.exec('create table t (x)');
    empty.close();
    const plain = await runCli(['restore', path.join(dir, 'plain.sqlite')], env);
    expect(plain.stderr).toMatch(/is an SQLite database but not an agentcrm one/);
    const taken = await runCli(['backup', path.join(dir, 'online.sqlite')], database.env);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/online\.sqlite exists; pass --force to replace it/);
  });
});

describe.runIf(DIALECTS.includes('postgres'))('agentcrm backup on postgres', () => {
  it('points at pg_dump instead', async () => {
    const database = await createTestDatabase('postgres');
    try {
      for (const command of ['backup', 'restore']) {
        const run = await runCli([command, 'x.dump'], database.env);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/on PostgreSQL .* pg_dump -Fc "\$DATABASE_URL"/);
      }
    } finally {
      await database.cleanup();
    }
  });
});
