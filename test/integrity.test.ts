import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrationProvider } from '../src/store/migrations/index.js';
import { sqliteHeaderProblems } from '../src/store/sqlite-header.js';
import { checkSqliteAtStart } from '../src/store/startup-check.js';
import { runCli } from './cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';
import { startServerProcess } from './process.js';

// Every test starts real processes (server, CLI), several seconds each on a busy machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

const PAGE = 4096;

/** The page in the middle of the contacts table's leaves (1-based), as SQLite's dbstat reports it. */
function middleContactsPage(file: string): number {
  const db = new SqliteDatabase(file, { readonly: true });
  const pages = db
    .prepare("select pageno from dbstat where name = 'contacts' and pagetype = 'leaf' order by pageno")
    .pluck()
    .all() as number[];
  db.close();
  return pages[Math.floor(pages.length / 2)]!;
}

/** A copy of the database in a directory of its own, with `pages` pages of garbage from page `page` on (1-based). */
function damagedCopy(source: string, page: number, pages: number): string {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'agentcrm-damaged-'));
  const file = path.join(dataDir, 'agentcrm.sqlite');
  copyFileSync(source, file);
  const garbage = Buffer.alloc(pages * PAGE);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 251; // fixed, not a valid page
  const fd = openSync(file, 'r+');
  writeSync(fd, garbage, 0, garbage.length, (page - 1) * PAGE);
  closeSync(fd);
  return dataDir;
}

describe.runIf(DIALECTS.includes('sqlite'))('start-up check and doctor on a damaged SQLite database', () => {
  let database: TestDatabase;
  let file: string;
  let pristine: string;
  let middle: number;
  const copies: string[] = [];
  const copy = (page: number, pages: number) => {
    const dir = damagedCopy(pristine, page, pages);
    copies.push(dir);
    return dir;
  };

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    file = path.join(database.env.DATA_DIR!, 'agentcrm.sqlite');
    const seeded = await runCli(['seed', '--contacts', '3000', '--activities', '3000'], database.env);
    expect(seeded.code, seeded.stderr).toBe(0);
    // Fold the WAL into the file, so a copy of the file alone is the whole database.
    const db = new SqliteDatabase(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // Damage is written into copies of this one, made before any server opened the database.
    pristine = path.join(mkdtempSync(path.join(tmpdir(), 'agentcrm-pristine-')), 'agentcrm.sqlite');
    copies.push(path.dirname(pristine));
    copyFileSync(file, pristine);
    middle = middleContactsPage(pristine);
  });
  afterAll(async () => {
    for (const dir of copies) rmSync(dir, { recursive: true, force: true });
    await database.cleanup();
  });

  it('does not mistake a file behind its write-ahead log (a checkpoint cut off by kill -9) for damage', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'agentcrm-behind-'));
    copies.push(dir);
    const behind = path.join(dir, 'agentcrm.sqlite');
    copyFileSync(pristine, behind);
    // The header already counts pages the file does not hold yet (the log still has them).
    const fd = openSync(behind, 'r+');
    const count = Buffer.alloc(4);
    readSync(fd, count, 0, 4, 28);
    count.writeUInt32BE(count.readUInt32BE(0) + 19);
    writeSync(fd, count, 0, 4, 28);
    closeSync(fd);
    expect(sqliteHeaderProblems(behind)).toEqual([
      expect.stringMatching(/the header counts \d+ pages but the file holds/),
    ]);
    writeFileSync(`${behind}-wal`, Buffer.alloc(4096));
    expect(sqliteHeaderProblems(behind)).toEqual([]);
  });

  it('starts normally on a healthy database, and says what it checked', async () => {
    const server = await startServerProcess(database.env);
    try {
      expect(server.output()).toMatch(/"checked":"header, schema, quick_check of [^\n]*database checked/);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    const doctor = await runCli(['doctor'], database.env);
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
    for (const check of ['header', 'schema', 'integrity_check', 'foreign_key_check', 'migrations']) {
      expect(doctor.stdout).toMatch(new RegExp(`^ok +${check}: `, 'm'));
    }
    expect(doctor.stdout).toMatch(/^# doctor: 5 ok, 0 failed, 0 skipped/m);
  });

  it('refuses to serve a file with garbage in its middle: exit 4, the recovery steps, no stack trace', async () => {
    const dataDir = copy(middle, 4);
    const served = await runCli(['serve'], { DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' });
    expect(served.code, served.stdout + served.stderr).toBe(4);
    expect(served.stdout).not.toContain('agentcrm listening');
    expect(served.stderr).toContain('is damaged; refusing to serve');
    expect(served.stderr).toContain('agentcrm restore <backup-file> --force');
    expect(served.stderr).toContain('.recover');
    expect(served.stderr).toContain('SQLITE_STARTUP_CHECK=off');
    expect(served.stderr).not.toMatch(/^\s+at /m);
    expect(served.stdout).toContain('"msg":"database damaged"');

    const doctor = await runCli(['doctor'], { DATA_DIR: dataDir });
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(4);
    expect(doctor.stdout).toMatch(/^failed +integrity_check: /m);
    expect(doctor.stdout).toMatch(/^# doctor: \d+ ok, [1-9]\d* failed/m);
    expect(doctor.stderr).toContain('the database is damaged');
  });

  it('names a damaged header as such, and refuses on it too', async () => {
    const dataDir = copy(1, 1);
    const served = await runCli(['serve'], { DATA_DIR: dataDir, PORT: '0' });
    expect(served.code).toBe(4);
    expect(served.stderr).toContain('the header does not begin with "SQLite format 3"');
    const doctor = await runCli(['doctor'], { DATA_DIR: dataDir });
    expect(doctor.code).toBe(4);
    expect(doctor.stdout).toMatch(/^failed +header: the header does not begin/m);
  });

  it('starts on the damaged file when an operator turns the check off (emergency only)', async () => {
    const dataDir = copy(middle, 4);
    const server = await startServerProcess({ DATA_DIR: dataDir, SQLITE_STARTUP_CHECK: 'off' });
    server.child.kill('SIGTERM');
    await server.exited;
    expect(server.output()).not.toContain('database checked');
  });

  it('checks a large file table by table within the budget, and samples the rest', () => {
    // fullCheckBytes 0 stands for a file too large to check whole at start.
    const healthy = checkSqliteAtStart(file, { fullCheckBytes: 0, budgetMs: 0 });
    expect(healthy.problems).toEqual([]);
    expect(healthy.covered).toMatch(/sampled b-tree paths of .*contacts/);
    const damaged = copy(middle, 4);
    const found = checkSqliteAtStart(path.join(damaged, 'agentcrm.sqlite'), {
      fullCheckBytes: 0,
      budgetMs: 60_000,
    });
    expect(found.problems.length).toBeGreaterThan(0);
    expect(found.covered).toMatch(/^quick_check of /);
  });
});

const sqlite3 = spawnSync('sqlite3', ['--version']).status === 0;

describe.runIf(DIALECTS.includes('sqlite') && sqlite3)(
  "the stock sqlite3 shell opens agentcrm's database",
  () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase('sqlite');
    });
    afterAll(() => database.cleanup());

    it('runs .schema, integrity_check and a count, and its writes keep the search index (its triggers run in it)', async () => {
      const seeded = await runCli(['seed', '--contacts', '50', '--activities', '0'], database.env);
      expect(seeded.code, seeded.stderr).toBe(0);
      const file = path.join(database.env.DATA_DIR!, 'agentcrm.sqlite');
      const shell = (...commands: string[]) =>
        execFileSync('sqlite3', [file, ...commands], { encoding: 'utf8' });
      expect(shell('.schema contacts')).toContain('CREATE TRIGGER contacts_search_insert');
      expect(shell('pragma integrity_check').trim()).toBe('ok');
      expect(shell('select count(*) from contacts').trim()).toBe('50');
      // The triggers themselves run in the shell's SQLite: a name changed there is found by search.
      shell(
        "update contacts set name = 'Zebulon O''Hara-Smith' where rowid = (select min(rowid) from contacts)",
      );
      const doc = shell(
        "select doc from contacts_search where record_id = (select id from contacts where name like 'Zebulon%')",
      );
      expect(doc).toMatch(/^ zebulon o hara smith /);
    });
  },
);

describe.each(DIALECTS)('agentcrm doctor on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const migrated = await runCli(['migrate'], database.env);
    expect(migrated.code, migrated.stderr).toBe(0);
  });
  afterAll(() => database.cleanup());

  it('passes on a migrated database, then names a migration that is missing', async () => {
    const healthy = await runCli(['doctor'], database.env);
    expect(healthy.code, healthy.stdout + healthy.stderr).toBe(0);
    const latest = Object.keys(await migrationProvider.getMigrations())
      .sort()
      .at(-1)!;
    expect(healthy.stdout).toMatch(new RegExp(`^ok +migrations: \\d+ applied, latest ${latest}`, 'm'));
    if (dialect === 'postgres') {
      expect(healthy.stdout).toMatch(/^ok +connect: PostgreSQL /m);
      expect(healthy.stdout).toMatch(/^(ok|skipped) +amcheck: /m);
    }
    const deleteRow = "delete from kysely_migration where name = '0013_sqlite_shell'";
    if (dialect === 'sqlite') {
      const db = new SqliteDatabase(path.join(database.env.DATA_DIR!, 'agentcrm.sqlite'));
      db.exec(deleteRow);
      db.close();
    } else {
      const client = new pg.Client({ connectionString: database.env.DATABASE_URL });
      await client.connect();
      await client.query(deleteRow);
      await client.end();
    }
    const behind = await runCli(['doctor'], database.env);
    expect(behind.code).toBe(1);
    expect(behind.stdout).toMatch(/^failed +migrations: pending: 0013_sqlite_shell/m);
  });
});
