import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { connectStore, type Store } from '../src/store/connect.js';
import { runCli, seedOutput } from './cli.js';
import { call, createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';

const NOW = '2026-03-01T09:00:00Z';

/** Rows of a CSV text as objects keyed by its header. */
const rowsOf = (text: string): Record<string, string>[] => parse(text, { columns: true });

describe.each(DIALECTS)('agentcrm import and export on %s', (dialect) => {
  let database: TestDatabase;
  let dir: string;
  let store: Store;
  let app: App;
  let counter = 0;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    dir = mkdtempSync(path.join(tmpdir(), 'agentcrm-csv-'));
    // The first command migrates the fresh database; the in-process app reads what the CLI wrote.
    expect((await runCli(['migrate'], database.env)).code).toBe(0);
    const config = testConfig(database.env);
    store = connectStore(config);
    app = createApp({ config, store });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    await database.cleanup();
  });

  const cli = (args: string[]) => runCli(args, database.env);
  const file = (name: string, text: string) => {
    const target = path.join(dir, name);
    writeFileSync(target, text);
    return target;
  };
  /** A new empty workspace; its agent's token is in the returned file. */
  async function workspace(args: string[] = ['--contacts', '0']) {
    const tokenFile = path.join(dir, `ws${++counter}.token`);
    const run = await cli(['seed', ...args, '--token-file', tokenFile]);
    expect(run.code, run.stderr).toBe(0);
    return {
      tokenFile,
      token: readFileSync(tokenFile, 'utf8').trim(),
      id: seedOutput(run.stdout).workspace_id!,
    };
  }
  const exported = async (kind: string, tokenFile: string) => {
    const run = await cli(['export', kind, '--token-file', tokenFile]);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout;
  };
  const audit = async (token: string, query: string) =>
    (await call(app, 'GET', `/audit?limit=200&${query}`, undefined, { token, json: true })).json.data;

  it('imports the good rows, reports each bad row with its number and reason, and applies nothing of it', async () => {
    const ws = await workspace();
    const companies = file(
      'companies.csv',
      'Company,Website,Industry,Company Domain\nAcme Corp,https://www.acme.com/about,Manufacturing,acme.com\n' +
        'Globex,,Energy,globex.io\n',
    );
    const companyRun = await cli(['import', 'companies', companies, '--token-file', ws.tokenFile]);
    expect(companyRun.code, companyRun.stderr).toBe(0);
    expect(companyRun.stdout).toContain('2 rows — 2 created, 0 updated, 0 unchanged, 0 proposed, 0 rejected');

    const contacts = file(
      'contacts.csv',
      [
        'Full Name,E-mail,Phone Number,Job Title,Tags,Company Domain,custom.lead_source,Favourite Colour',
        'Jane Doe,Jane@Acme.com,+1 555 0100,CTO,vip;renewal,www.acme.com,webinar,blue',
        'Bad Email,not-an-email,,,,,,',
        'Phoebe Phone,phoebe@globex.io,call me maybe,,,globex.io,,',
        'Nowhere Man,nowhere@x.dev,,,,unknown.example,,',
        ',,,,,,,',
        '"Doe, John",john@globex.io,,"Head of ""Ops""","a, b",globex.io,42,',
        'Jane Again,JANE@acme.com,,CEO,,,,',
      ].join('\n'),
    );
    const rejects = path.join(dir, 'rejects.csv');
    const run = await cli([
      'import',
      'contacts',
      contacts,
      '--token-file',
      ws.tokenFile,
      '--rejects',
      rejects,
    ]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(
      '7 rows — 2 created, 1 updated, 0 unchanged, 0 proposed, 3 rejected, 1 empty skipped',
    );
    expect(run.stderr).toContain('warning: ignoring columns "Favourite Colour"');
    expect(run.stderr).toContain('row 3: invalid_input: email: not a valid email address');
    expect(run.stderr).toContain('row 4: invalid_input: phone: digits, spaces and + ( ) . - x only');
    expect(run.stderr).toContain(
      'row 5: invalid_input: company_domain: no live company with domain unknown.example',
    );
    const rejected = rowsOf(readFileSync(rejects, 'utf8'));
    expect(rejected.map((row) => row.import_row)).toEqual(['3', '4', '5']);
    expect(rejected[1]).toMatchObject({ 'Full Name': 'Phoebe Phone', 'Phone Number': 'call me maybe' });
    expect(rejected[1]!.import_error).toMatch(/^invalid_input: phone:/);

    const records = rowsOf(await exported('contacts', ws.tokenFile));
    expect(records.map((r) => r.name).sort()).toEqual(['Doe, John', 'Jane Again']);
    const jane = records.find((r) => r.email === 'jane@acme.com')!;
    expect(jane).toMatchObject({
      name: 'Jane Again',
      title: 'CEO',
      // Quoted against formula injection (cli.md); the import takes the quote away again.
      phone: "'+1 555 0100",
      tags: 'vip,renewal',
      company_domain: 'acme.com',
      'custom.lead_source': 'webinar',
      version: '2',
    });
    expect(jane.company_id).toMatch(/^co_/);
    const john = records.find((r) => r.email === 'john@globex.io')!;
    expect(john).toMatchObject({ title: 'Head of "Ops"', tags: 'a,b', 'custom.lead_source': '42' });

    // Every applied change is audited as the token's agent, with the file row as the reason;
    // the rejected rows left no trace.
    const entries = await audit(ws.token, 'operation=contacts.*');
    expect(entries).toHaveLength(3);
    for (const entry of entries) {
      expect(entry).toMatchObject({ actor_type: 'agent', token_name: 'seed_agent' });
      expect(entry.reason).toMatch(/^import .*contacts\.csv row (2|7|8)$/);
    }
    const search = await call(app, 'GET', '/contacts?search=phoebe', undefined, {
      token: ws.token,
      json: true,
    });
    expect(search.json.data).toEqual([]);
  });

  it('prints the operation id of an import, which operations.revert undoes (an agent through a proposal)', async () => {
    const ws = await workspace();
    const seeded = file('seeded.csv', 'Name,Email,Stage\nAda,ada@undo.org,lead\n');
    expect((await cli(['import', 'contacts', seeded, '--token-file', ws.tokenFile])).code).toBe(0);
    const changes = file(
      'changes.csv',
      'Name,Email,Stage\nAda King,ada@undo.org,customer\nCy,cy@undo.org,lead\n',
    );
    const run = await cli(['import', 'contacts', changes, '--token-file', ws.tokenFile]);
    expect(run.stdout).toContain('2 rows — 1 created, 1 updated');
    const operationId = run.stdout.match(/^# operation_id: (op_\w+) /m)?.[1];
    expect(operationId, run.stdout).toBeTruthy();
    const revert = (apply: boolean) =>
      call(
        app,
        'POST',
        '/operations/revert',
        { operation_id: operationId, apply },
        { token: ws.token, json: true },
      );
    const dry = await revert(false);
    expect(dry.json.data, dry.text).toMatchObject({ dry_run: true, entries: 2, records: 2, conflicts: [] });
    const fields = dry.json.data.changes.map(
      (c: { field: string; restore: unknown }) => `${c.field}=${c.restore}`,
    );
    expect(fields.sort()).toEqual([expect.stringMatching(/^deleted_at=\d{4}-/), 'name=Ada', 'stage=lead']);
    // The seeded token is an agent's: deleting the created contact waits for its human (agent_deletes).
    const proposed = await revert(true);
    expect(proposed.status).toBe(202);
    expect(proposed.json.policy.reason_code).toBe('delete.requires_approval');
  });

  it('updates existing records (upsert) and changes nothing on a second identical import', async () => {
    const ws = await workspace();
    const first = file(
      'first.csv',
      'Name,Email,Stage,custom.tier\nAda Lovelace,ada@engine.org,lead,1\nAlan Turing,alan@bletchley.uk,lead,2\n' +
        'Grace Hopper,grace@navy.mil,lead,3\n',
    );
    const created = await cli(['import', 'contacts', first, '--token-file', ws.tokenFile]);
    expect(created.stdout).toContain('3 rows — 3 created, 0 updated, 0 unchanged');
    const second = file(
      'second.csv',
      'Person,Mail Address,Stage,custom.tier\nAda Lovelace,ADA@engine.org,customer,1\nAlan Turing,alan@bletchley.uk,lead,2\n' +
        'Grace Hopper,grace@navy.mil,lead,3\n',
    );
    const map = ['--map', 'Person=name', '--map', 'mail address=email'];
    const updated = await cli(['import', 'contacts', second, '--token-file', ws.tokenFile, ...map]);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toContain('3 rows — 0 created, 1 updated, 2 unchanged');
    const before = await audit(ws.token, 'operation=contacts.*');
    const snapshot = await exported('contacts', ws.tokenFile);
    const again = await cli(['import', 'contacts', second, '--token-file', ws.tokenFile, ...map]);
    expect(again.stdout).toContain('3 rows — 0 created, 0 updated, 3 unchanged');
    expect(await exported('contacts', ws.tokenFile)).toBe(snapshot);
    expect(await audit(ws.token, 'operation=contacts.*')).toHaveLength(before.length);
    const ada = rowsOf(snapshot).find((r) => r.email === 'ada@engine.org')!;
    expect(ada).toMatchObject({ stage: 'customer', version: '2', 'custom.tier': '1' });
  });

  it('round-trips an export into a fresh workspace: the same records, ids and references', async () => {
    const source = await workspace(['--contacts', '120', '--seed', '9', '--now', NOW]);
    const target = await workspace();
    const files: Record<string, string> = {};
    for (const kind of ['companies', 'contacts', 'deals']) {
      files[kind] = file(`${kind}-export.csv`, await exported(kind, source.tokenFile));
      const run = await cli(['import', kind, files[kind]!, '--token-file', target.tokenFile]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/ rows — \d+ created, 0 updated, 0 unchanged, 0 proposed, 0 rejected/);
    }
    // What the target workspace assigns itself: row times, and closed_at (set when a deal is imported closed).
    const own = new Set(['created_at', 'updated_at', 'closed_at']);
    const comparable = (text: string) =>
      rowsOf(text).map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => !own.has(key))));
    for (const kind of ['companies', 'contacts', 'deals']) {
      const copy = await exported(kind, target.tokenFile);
      expect(comparable(copy), kind).toEqual(comparable(readFileSync(files[kind]!, 'utf8')));
    }
    const deals = await cli(['import', 'deals', files.deals!, '--token-file', target.tokenFile]);
    expect(deals.stdout).toContain('120 rows — 0 created, 0 updated, 120 unchanged');
  });

  it('explains a missing file, an unknown kind, a missing token, bad mappings and a malformed file', async () => {
    const ws = await workspace();
    const good = file('ok.csv', 'name,email\nA,a@a.dev\n');
    const cases: [string[], number, RegExp][] = [
      [
        ['import', 'contacts', path.join(dir, 'nope.csv'), '--token-file', ws.tokenFile],
        2,
        /no such file: .*nope\.csv/,
      ],
      [
        ['import', 'contact', good, '--token-file', ws.tokenFile],
        2,
        /unknown kind "contact": use one of contacts, companies, deals/,
      ],
      [['export', 'widgets', '--workspace', ws.id], 2, /unknown kind "widgets"/],
      [['import', 'contacts', good, '--workspace', ws.id], 2, /needs their token: --token ck_…/],
      [
        ['import', 'contacts', good, '--token', 'ck_nope'],
        2,
        /the token was refused: this token is unknown or was revoked/,
      ],
      [['export', 'contacts'], 2, /say which workspace: --workspace wrk_… or --token ck_…/],
      [
        ['import', 'contacts', good, '--token-file', ws.tokenFile, '--map', 'name=fullname'],
        2,
        /"fullname" is not a column an import of contacts sets; use one of id, name, email/,
      ],
      [
        ['import', 'contacts', good, '--token-file', ws.tokenFile, '--map', 'Surname=name'],
        2,
        /--map names "Surname", which the file's header does not have/,
      ],
      [
        ['import', 'contacts', good, '--token-file', ws.tokenFile, '--map', 'oops'],
        2,
        /--map takes "CSV header=column" pairs/,
      ],
      [['import', 'contacts', good, '--token-file', ws.tokenFile, '--bogus'], 2, /unknown option '--bogus'/],
      [
        [
          'import',
          'contacts',
          file('broken.csv', 'name,email\nA,a@a.dev\n"B,b@b.dev\n'),
          '--token-file',
          ws.tokenFile,
        ],
        2,
        /broken\.csv is not valid CSV: Quote Not Closed/,
      ],
      [
        [
          'import',
          'contacts',
          file('twice.csv', 'email,E-mail\na@a.dev,b@b.dev\n'),
          '--token-file',
          ws.tokenFile,
        ],
        2,
        /columns "email" and "E-mail" both map to email/,
      ],
    ];
    for (const [args, code, message] of cases) {
      const run = await cli(args);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.code, args.join(' ')).toBe(code);
    }
    // The malformed file was refused before anything was written: its valid first row is not there.
    expect(rowsOf(await exported('contacts', ws.tokenFile))).toEqual([]);
  });
});
