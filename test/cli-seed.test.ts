import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, seedOutput } from './cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';

const NOW = '2026-03-01T09:00:00Z';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe.each(DIALECTS)('agentcrm seed on %s', (dialect) => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    dir = mkdtempSync(path.join(tmpdir(), 'agentcrm-seed-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database.cleanup();
  });

  const seed = (args: string[]) => runCli(['seed', ...args], database.env);
  const exportAs = (kind: string, tokenFile: string) =>
    runCli(['export', kind, '--token-file', tokenFile], database.env);

  it('makes the same data from the same seed, with the counts asked for', async () => {
    const files = ['a', 'b', 'c'].map((name) => path.join(dir, `${name}.token`));
    // The first run migrates the fresh database alone: concurrent first migrations of one SQLite
    // file are not safe (Kysely takes no migration lock on SQLite).
    const runs = [await seed(['--contacts', '300', '--seed', '42', '--now', NOW, '--token-file', files[0]!])];
    runs.push(
      ...(await Promise.all([
        seed(['--contacts', '300', '--seed', '42', '--now', NOW, '--token-file', files[1]!]),
        seed(['--contacts', '300', '--seed', '43', '--now', NOW, '--token-file', files[2]!]),
      ])),
    );
    for (const run of runs) {
      expect(run.stderr).not.toMatch(/error/i);
      expect(run.code).toBe(0);
      // Defaults: companies = contacts / 10, deals = contacts, activities = 3 × contacts.
      expect(run.stdout).toMatch(/companies 30, contacts 300, deals 300, activities 900 — 1,530 rows in/);
    }
    expect(statSync(files[0]!).mode & 0o777).toBe(0o600);
    expect(readFileSync(files[0]!, 'utf8')).toMatch(/^ck_\S+\n$/);
    expect(runs[0]!.stdout).not.toContain('ck_');

    const lines = { contacts: 301, companies: 31, deals: 301 };
    for (const [kind, count] of Object.entries(lines)) {
      const [a, b, c] = await Promise.all(files.map((file) => exportAs(kind, file)));
      expect(a!.code).toBe(0);
      expect(a!.stdout.trim().split('\n')).toHaveLength(count);
      expect(sha(a!.stdout), `${kind} from the same seed`).toBe(sha(b!.stdout));
      expect(sha(a!.stdout), `${kind} from another seed`).not.toBe(sha(c!.stdout));
    }
  });

  it('makes realistic records: emails first.last@domain, companies with domains, due follow-ups', async () => {
    const file = path.join(dir, 'real.token');
    expect((await seed(['--contacts', '400', '--seed', '5', '--now', NOW, '--token-file', file])).code).toBe(
      0,
    );
    const contacts = (await exportAs('contacts', file)).stdout.trim().split('\n');
    expect(contacts[0]).toBe(
      'id,name,email,phone,title,stage,company_id,company_domain,tags,follow_up_at,follow_up_note,version,' +
        'created_at,updated_at,custom.region,custom.score,custom.source',
    );
    const emails = contacts.slice(1).map((line) => line.split(',')[2]);
    expect(
      emails.filter((email) => email && /^[a-z]+\.[a-z]+\d*@[a-z0-9.]+$/.test(email)).length,
    ).toBeGreaterThan(350);
    expect(new Set(emails.filter(Boolean)).size).toBe(emails.filter(Boolean).length);
    const due = contacts.filter((line) => {
      const at = line.split(',')[9];
      return at && at < '2026-03-01T09:00:00.000Z';
    });
    expect(due.length).toBeGreaterThan(5);
    const companies = (await exportAs('companies', file)).stdout.trim().split('\n').slice(1);
    for (const line of companies) expect(line.split(',')[2]).toMatch(/^[a-z0-9]+\.[a-z.]+$/);
  });

  it('seeds an existing workspace with explicit counts, and explains a collision', async () => {
    const created = await seed(['--contacts', '0']);
    expect(created.code).toBe(0);
    const { workspace_id: workspace, token } = seedOutput(created.stdout);
    expect(token).toMatch(/^ck_/);
    expect(created.stdout).toContain('# save the token now');
    const args = ['--workspace', workspace!, '--contacts', '50', '--companies', '5', '--deals', '10'];
    const first = await seed([...args, '--activities', '20', '--seed', '1']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/companies 5, contacts 50, deals 10, activities 20/);
    expect(first.stdout).not.toContain('token');
    const again = await seed([...args, '--activities', '20', '--seed', '1']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/collided with records already in wrk_.*use another --seed/);
    const exported = await runCli(['export', 'contacts', '--workspace', workspace!], database.env);
    expect(exported.stdout.trim().split('\n')).toHaveLength(51);
  });

  it('answers bad flags with a usage error (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [['--contacts', 'lots'], /--contacts takes a whole number/],
      [['--scale', '1m', '--contacts', '5'], /cannot be used with option '--contacts/],
      [['--now', 'yesterday'], /--now takes an RFC3339 time/],
      [
        ['--workspace', 'wrk_0000000000000000', '--contacts', '1'],
        /workspace wrk_0000000000000000 does not exist/,
      ],
      [['--contacts', '0', '--activities', '5'], /activities belong to contacts/],
      [['--frobnicate'], /unknown option '--frobnicate'/],
    ];
    for (const [args, message] of cases) {
      const run = await seed(args);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.code, args.join(' ')).toBe(2);
    }
  });
});
