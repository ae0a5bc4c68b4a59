import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { connectStore, type Store } from '../src/store/connect.js';
import { runCli, seedOutput } from './cli.js';
import { call, createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';
import { CLI } from './process.js';

const ESC = '\x1b';
const NAMES = ['Zoë Müller', 'José Ñúñez', 'Café Crème'];

/** The same three contacts, as a spreadsheet would save them with `delimiter`. */
const sheet = (domain: string, delimiter = ',', eol = '\r\n') =>
  [
    ['Name', 'Email', 'Title'],
    ...NAMES.map((name, i) => [name, `p${i}@${domain}`, i === 0 ? '"Head, Sales; EMEA"' : 'Owner']),
  ]
    .map((cells) => cells.join(delimiter))
    .join(eol) + eol;

/** UTF-16BE: Node writes only little-endian, so swap each pair of bytes. */
const utf16be = (text: string) => {
  const bytes = Buffer.from(text, 'utf16le');
  for (let i = 0; i < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [bytes[i + 1]!, bytes[i]!];
  return bytes;
};

describe.each(DIALECTS)('CSV as spreadsheets write it, on %s', (dialect) => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let dir: string;
  let store: Store;
  let app: App;
  let tokenFile: string;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    // A seeded workspace is on the production plan; give it a small contacts cap for the cap checks.
    env = { ...database.env, PLAN_OVERRIDES: JSON.stringify({ production: { contacts: 40 } }) };
    dir = mkdtempSync(path.join(tmpdir(), 'agentcrm-csv-sheets-'));
    expect((await runCli(['migrate'], env)).code).toBe(0);
    const config = testConfig(env);
    store = connectStore(config);
    app = createApp({ config, store });
    tokenFile = path.join(dir, 'ws.token');
    const run = await runCli(['seed', '--contacts', '0', '--token-file', tokenFile], env);
    expect(run.code, run.stderr).toBe(0);
    expect(seedOutput(run.stdout).workspace_id).toMatch(/^wrk_/);
    token = readFileSync(tokenFile, 'utf8').trim();
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    await database.cleanup();
  });

  const write = (name: string, bytes: Buffer | string) => {
    const target = path.join(dir, name);
    writeFileSync(target, bytes);
    return target;
  };
  const importFile = (target: string, ...flags: string[]) =>
    runCli(['import', 'contacts', target, '--token-file', tokenFile, ...flags], env);
  const contactsOf = async (domain: string) => {
    const reply = await call(app, 'GET', `/contacts?search=${domain}&limit=50&sort=email`, undefined, {
      token,
      json: true,
    });
    return reply.json.data.filter((c: { email: string }) => c.email.endsWith(`@${domain}`));
  };

  it.each([
    [
      'UTF-8 without a byte-order mark',
      'utf8.example',
      (t: string) => Buffer.from(t, 'utf8'),
      /utf-8 \(detected\)/,
    ],
    [
      'UTF-8 with a byte-order mark (Excel "CSV UTF-8")',
      'utf8bom.example',
      (t: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')]),
      /utf-8 \(byte-order mark\)/,
    ],
    [
      'UTF-16LE with a byte-order mark (Excel "Unicode Text")',
      'utf16le.example',
      (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]),
      /utf-16le \(byte-order mark\)/,
    ],
    [
      'UTF-16BE with a byte-order mark',
      'utf16be.example',
      (t: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(t)]),
      /utf-16be \(byte-order mark\)/,
    ],
    [
      'UTF-16LE without a mark',
      'utf16nomark.example',
      (t: string) => Buffer.from(t, 'utf16le'),
      /utf-16le \(detected\)/,
    ],
    [
      'Windows-1252 (Excel on Windows)',
      'cp1252.example',
      (t: string) => Buffer.from(t, 'latin1'),
      /windows-1252 \(detected\)/,
    ],
  ])('reads %s with every accent intact and says how it read it', async (_label, domain, encode, said) => {
    const target = write(`${domain}.csv`, encode(sheet(domain)));
    const run = await importFile(target);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(said);
    expect(run.stdout).toMatch(/3 created/);
    const stored = await contactsOf(domain);
    expect(stored.map((c: { name: string }) => c.name)).toEqual(NAMES);
    expect(stored[0].title).toBe('Head, Sales; EMEA');
    expect(JSON.stringify(stored)).not.toContain('\uFFFD');
  });

  it('reads the euro sign and curly quotes of Windows-1252, which Latin-1 lacks', async () => {
    const bytes = Buffer.concat([
      Buffer.from('Name,Email,Title\r\nAnna,anna@euro.example,', 'latin1'),
      Buffer.from([0x93, 0x80, 0x35, 0x94]), // “€5”
      Buffer.from('\r\n', 'latin1'),
    ]);
    const run = await importFile(write('euro.csv', bytes));
    expect(run.code, run.stderr).toBe(0);
    expect((await contactsOf('euro.example'))[0].title).toBe('\u201c\u20ac5\u201d');
  });

  it.each([
    ['semicolons (Excel in European locales)', 'semi.example', ';', /delimiter semicolon \(detected\)/],
    ['tabs', 'tab.example', '\t', /delimiter tab \(detected\)/],
  ])('finds the delimiter of a file written with %s', async (_label, domain, delimiter, said) => {
    const run = await importFile(write(`${domain}.csv`, sheet(domain, delimiter)));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(said);
    const stored = await contactsOf(domain);
    expect(stored).toHaveLength(3);
    expect(stored[0].title).toBe('Head, Sales; EMEA');
  });

  it('takes the encoding and the delimiter as options, and refuses unknown ones with the list', async () => {
    const domain = 'given.example';
    const target = write(`${domain}.csv`, Buffer.from(sheet(domain, ';'), 'latin1'));
    const run = await importFile(target, '--encoding', 'windows-1252', '--delimiter', 'semicolon');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/windows-1252 \(given\), delimiter semicolon \(given\)/);
    expect((await contactsOf(domain)).map((c: { name: string }) => c.name)).toEqual(NAMES);

    const badEncoding = await importFile(target, '--encoding', 'ebcdic');
    expect(badEncoding.code).toBe(2);
    expect(badEncoding.stderr).toMatch(
      /unknown encoding "ebcdic": use one of utf-8, utf-16le, utf-16be, windows-1252/,
    );
    const badDelimiter = await importFile(target, '--delimiter', '|');
    expect(badDelimiter.code).toBe(2);
    expect(badDelimiter.stderr).toMatch(/unknown delimiter "\|": use one of comma/);
  });

  it('refuses a file that is not text, with a hint, and writes nothing', async () => {
    const bytes = Buffer.concat([
      Buffer.from('Name,Email\r\n'),
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x14, 0]),
    ]);
    const run = await importFile(write('book.xlsx.csv', bytes));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /is not a text file .* save it from the spreadsheet as "CSV UTF-8", or give --encoding/,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('exports for Excel with --excel (a byte-order mark and CRLF), and reads that file back intact', async () => {
    expect((await importFile(write('excel-source.csv', sheet('excel.example')))).code).toBe(0);
    const plain = await runCli(['export', 'contacts', '--token-file', tokenFile], env);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout.startsWith('\uFEFF')).toBe(false);
    const target = path.join(dir, 'excel.csv');
    const run = await runCli(
      ['export', 'contacts', '--token-file', tokenFile, '--excel', '--out', target],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const bytes = readFileSync(target);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text).toContain('Zoë Müller');
    expect(text.split('\r\n').length).toBeGreaterThan(3);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    const again = await importFile(target);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/utf-8 \(byte-order mark\)/);
    expect(again.stdout).toMatch(/0 created, 0 updated/);
  });

  it("counts a row that changes a contact's sensitive field as proposed, and leaves the change to a person", async () => {
    const first = await importFile(
      write('sensitive-1.csv', 'Name,Email,Phone\nPia,pia@sensitive.example,+1 555 0100\n'),
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/1 created/);
    const second = await importFile(
      write('sensitive-2.csv', 'Name,Email,Phone\nPia,pia@sensitive.example,+1 555 0199\n'),
    );
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/0 updated, 0 unchanged, 1 proposed, 0 rejected/);
    const [pia] = await contactsOf('sensitive.example');
    expect(pia.phone).toBe('+1 555 0100');
    const proposals = await call(app, 'GET', '/proposals?status=pending', undefined, { token, json: true });
    expect(proposals.status, proposals.text).toBe(200);
    expect(JSON.stringify(proposals.json.data)).toContain('+1 555 0199');
  });

  it('checks the plan before importing, says how many rows fit, and counts updates and repeats as no room', async () => {
    const base = await importFile(
      write('base.csv', 'Name,Email\nAda,p0@capbase.example\nBo,p1@capbase.example\n'),
    );
    expect(base.code, base.stderr).toBe(0);
    const whoami = await call(app, 'GET', '/whoami', undefined, { token, json: true });
    const { used, cap } = whoami.json.data.usage.contacts;
    expect(cap).toBe(40);
    const room = cap - used;
    expect(room).toBeGreaterThan(3);
    // Two updates of existing contacts, room + 1 new ones, one of them twice: room + 1 creates.
    const rows = ['Name,Email', 'Ada Lovelace,p0@capbase.example', 'Bo Diddley,p1@capbase.example'];
    for (let i = 0; i <= room; i++) rows.push(`New ${i},new${i}@cap.example`);
    rows.push('New 0 again,NEW0@cap.example');
    const over = await importFile(write('over.csv', rows.join('\n')));
    expect(over.code).toBe(2);
    expect(over.stderr).toContain(
      `would create ${room + 1} contacts, but the production plan allows 40 and ${40 - room} are used: room for ${room} more. Nothing was imported.`,
    );
    expect(await contactsOf('cap.example')).toHaveLength(0);

    // One new row fewer fits exactly, although the file has more rows than there is room.
    const fits = await importFile(
      write('fits.csv', rows.filter((row) => !row.startsWith(`New ${room},`)).join('\n')),
    );
    expect(fits.code, fits.stderr).toBe(0);
    expect(fits.stdout).toMatch(new RegExp(`${room} created, 3 updated`));
    expect(await contactsOf('cap.example')).toHaveLength(room);
  });

  it.skipIf(dialect !== 'sqlite')(
    'prints rejected rows on lines of their own above the progress bar on a terminal',
    async () => {
      // A workspace of its own, so the rows fit its plan whatever the tests before it imported.
      const ownToken = path.join(dir, 'tty.token');
      expect((await runCli(['seed', '--contacts', '0', '--token-file', ownToken], env)).code).toBe(0);
      const rows = ['Name,Email,Phone'];
      for (let i = 0; i < 30; i++)
        rows.push(`P ${i},tty${i}@tty.example,${i % 10 === 3 ? 'not a phone' : ''}`);
      const target = write('tty.csv', rows.join('\n'));
      // script(1) runs the command on a pseudo-terminal, so the CLI draws its bar as it would for a person.
      const quoted = [process.execPath, CLI, 'import', 'contacts', target, '--token-file', ownToken]
        .map((arg) => `'${arg}'`)
        .join(' ');
      const run = spawnSync('script', ['-qec', quoted, '/dev/null'], {
        env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
        encoding: 'utf8',
      });
      expect(run.status, run.stdout).toBe(3);
      const screenLines = run.stdout.split(/\r?\n/);
      const rejected = screenLines.filter((line) => /row \d+: invalid_input/.test(line));
      expect(rejected, JSON.stringify(run.stdout)).toHaveLength(3);
      for (const line of rejected) {
        // The bar's line is cleared first, and the row's text is not glued to a bar.
        const [, afterClear] = line.split(`${ESC}[2K${ESC}[1G`);
        expect(afterClear, JSON.stringify(line)).toMatch(/^row \d+: invalid_input: phone: /);
        expect(afterClear).not.toMatch(/% \|/);
      }
    },
  );
});
