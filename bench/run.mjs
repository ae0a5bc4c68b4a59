// npm run bench: builds, seeds a fresh database with `agentcrm seed`, starts the real server
// process pinned to core 0, and loads it with autocannon from a process pinned to core 1, after a
// warm-up. Each read scenario is compared, in the same run, with a bare node:http server (pinned
// like ours) answering the very bytes our server answered; the write scenario with an in-process
// loop running the same statements with the same durability. Results: a table on stdout, and
// bench/results/latest.{json,md}. See docs/BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import {
  canPin,
  cpuSeconds,
  fetchRaw,
  fmt,
  freePort,
  machine,
  runNodeJson,
  spawnNode,
  waitForReady,
} from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(root, 'dist', 'cli', 'main.js');
const RESULTS = path.join(root, 'bench', 'results');

const args = process.argv.slice(2);
const flag = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const env = process.env;
const settings = {
  scale: flag('--scale') ?? env.BENCH_CONTACTS ?? '100k',
  duration: Number(env.BENCH_DURATION ?? 6),
  warmup: Number(env.BENCH_WARMUP ?? 2),
  mixedDuration: Number(env.BENCH_MIXED_DURATION ?? 15),
  connections: Number(env.BENCH_CONNECTIONS ?? 10),
  only: (flag('--only') ?? env.BENCH_ONLY)?.split(',') ?? null,
  dialects: (
    flag('--dialects') ??
    env.BENCH_DIALECTS ??
    (env.DATABASE_URL ? 'sqlite,postgres' : 'sqlite')
  ).split(','),
  profile: env.BENCH_PROFILE === '1',
};

const SCENARIOS = [
  {
    name: 'get-text',
    title: 'GET /contacts/{id} (text)',
    compare: 'ceiling',
    target: { ratio: 0.5 },
  },
  {
    name: 'get-json',
    title: 'GET /contacts/{id} (JSON)',
    compare: 'ceiling',
    target: { ratio: 0.5 },
  },
  {
    name: 'list',
    title: 'GET /contacts?limit=50&sort=-updated_at',
    compare: 'ceiling',
    target: { ratio: 0.4 },
  },
  { name: 'search', title: 'GET /contacts?search=… (mixed terms)', compare: 'ceiling', target: { p95: 25 } },
  {
    name: 'post',
    title: 'POST /contacts + Idempotency-Key (durable)',
    compare: 'floor',
    target: { ratio: 0.5 },
  },
  {
    name: 'mixed',
    title: 'mixed 80% get / 15% post / 5% search, 50 conns',
    compare: null,
    target: { p99: 50, errors: 0 },
  },
];

// Common and rare names, first names, email fragments, a title and a typo: what agents look up.
const SEARCH_TERMS = [
  'smith',
  'okafor',
  'jennifer',
  'gmail.com',
  'founder',
  'yilmaz',
  'garcia',
  'jonh',
  'aiko',
  'proton',
];

const log = (line) => process.stderr.write(`${line}\n`);

function build() {
  log('building (npm run build)…');
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed');
}

async function prepareDatabase(dialect, dir) {
  if (dialect === 'sqlite') return { env: { DATA_DIR: dir }, drop: async () => {} };
  const base = new URL(env.DATABASE_URL);
  const name = `agentcrm_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: env.DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    env: { DATA_DIR: dir, DATABASE_URL: url.toString() },
    drop: async () => {
      const client = new pg.Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

async function seed(databaseEnv, dir) {
  const tokenFile = path.join(dir, 'bench.token');
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [CLI, 'seed', '--contacts', settings.scale, '--seed', '1', '--token-file', tokenFile],
    { env: { PATH: env.PATH, ...databaseEnv }, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`seed failed:\n${result.stderr}`);
  const seconds = (performance.now() - started) / 1000;
  const summary = result.stdout.split('\n').find((line) => line.startsWith('# seeded')) ?? '';
  const rows = Number(/— ([\d,]+) rows/.exec(summary)?.[1]?.replace(/,/g, '') ?? 0);
  const insertRate = Number(/\(([\d,]+) rows\/s\)/.exec(summary)?.[1]?.replace(/,/g, '') ?? 0);
  const token = readFileSync(tokenFile, 'utf8').trim();
  log(summary);
  return { token, rows, seconds, insertRate, summary };
}

async function startServer(databaseEnv, dir, dialect) {
  const port = await freePort();
  const logFd = openSync(path.join(dir, 'server.log'), 'a');
  const profileDir = path.join(RESULTS, 'profiles', dialect);
  if (settings.profile) mkdirSync(profileDir, { recursive: true });
  const child = spawnNode(
    0,
    [...(settings.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), CLI, 'serve'],
    {
      env: {
        PATH: env.PATH,
        ...databaseEnv,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        // The load generator is one client: lift the per-token and per-address rate limits and the
        // in-flight cap, so the figures measure the work, not the throttles.
        PLAN_OVERRIDES: JSON.stringify({ production: { requests_per_minute: 100_000_000 } }),
        RATE_LIMIT_IP_PER_MINUTE: '100000000',
      },
      stdio: ['ignore', logFd, logFd],
    },
  );
  closeSync(logFd);
  const url = `http://127.0.0.1:${port}`;
  await waitForReady(url);
  return {
    url,
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

async function sampleIds(url, headers) {
  const ids = [];
  let cursor = '';
  for (let page = 0; page < 5; page++) {
    // Email order is unrelated to insertion order, so the sampled rows lie all over the table.
    const reply = await fetchRaw(
      `${url}/contacts?sort=email&limit=200&format=json${cursor ? `&cursor=${cursor}` : ''}`,
      { headers },
    );
    const envelope = JSON.parse(reply.body.toString());
    ids.push(...envelope.data.map((contact) => contact.id));
    cursor = envelope.next_cursor;
    if (!cursor) break;
  }
  return ids;
}

async function load(url, scenario, options, dir, pid) {
  const { duration = settings.duration, connections = settings.connections } = options;
  const run = async (seconds) => {
    const file = path.join(dir, `load-${Date.now()}.json`);
    writeFileSync(file, JSON.stringify({ url, connections, duration: seconds, warmup: 0, scenario }));
    return runNodeJson(1, [path.join(root, 'bench', 'load.mjs'), file]);
  };
  if (settings.warmup > 0) await run(settings.warmup);
  const before = cpuSeconds(pid);
  const result = await run(duration);
  const after = cpuSeconds(pid);
  const cpu =
    before === null || after === null ? null : ((after - before) * 1e6) / Math.max(result.requests, 1);
  return { ...result, cpu_us: cpu };
}

async function ceiling(url, path_, headers, loadScenario, dir) {
  const recorded = await fetchRaw(`${url}${path_}`, { headers });
  const file = path.join(dir, `ceiling-${Date.now()}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      status: recorded.status,
      rawHeaders: recorded.rawHeaders,
      body: recorded.body.toString('base64'),
    }),
  );
  const child = spawnNode(0, [path.join(root, 'bench', 'ceiling.mjs'), file]);
  const [chunk] = await once(child.stdout, 'data');
  const ceilingUrl = `http://127.0.0.1:${Number(chunk.toString().trim())}`;
  try {
    return { ...(await load(ceilingUrl, loadScenario, {}, dir, child.pid)), bytes: recorded.body.length };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

function judge(scenario, ours, against) {
  const { target } = scenario;
  const ratio = against ? ours.rps / against.rps : null;
  const checks = [];
  if (target.ratio !== undefined) checks.push(ratio !== null && ratio >= target.ratio);
  if (target.p95 !== undefined) checks.push(ours.p95 !== null && ours.p95 <= target.p95);
  if (target.p99 !== undefined) checks.push(ours.p99 !== null && ours.p99 <= target.p99);
  const errors = ours.errors + ours.timeouts + ours.non2xx;
  if (target.errors !== undefined) checks.push(errors <= target.errors);
  const wanted = [
    target.ratio !== undefined ? `ratio ≥ ${target.ratio}` : null,
    target.p95 !== undefined ? `p95 ≤ ${target.p95} ms` : null,
    target.p99 !== undefined ? `p99 ≤ ${target.p99} ms` : null,
    target.errors !== undefined ? 'errors = 0' : null,
  ].filter(Boolean);
  return { ratio, errors, target: wanted.join(', '), pass: checks.every(Boolean) };
}

async function benchDialect(dialect) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `agentcrm-bench-${dialect}-`));
  const database = await prepareDatabase(dialect, dir);
  const rows = [];
  try {
    log(`\n== ${dialect}: seeding ${settings.scale} contacts…`);
    const seeded = await seed(database.env, dir);
    const server = await startServer(database.env, dir, dialect);
    try {
      const auth = { authorization: `Bearer ${seeded.token}` };
      const json = { ...auth, accept: 'application/json' };
      const ids = await sampleIds(server.url, auth);
      const paths = ids.map((id) => `/contacts/${id}`);
      const searchPaths = SEARCH_TERMS.map((term) => `/contacts?search=${encodeURIComponent(term)}`);
      const specs = {
        'get-text': { type: 'get', paths, headers: auth },
        'get-json': { type: 'get', paths, headers: json },
        list: { type: 'get', paths: ['/contacts?limit=50&sort=-updated_at'], headers: auth },
        search: { type: 'get', paths: searchPaths, headers: auth },
        post: { type: 'post-contact', headers: { ...auth, 'content-type': 'application/json' } },
        mixed: {
          type: 'mixed',
          shares: [16, 3, 1],
          readPaths: paths,
          searchPaths,
          headers: { ...auth, 'content-type': 'application/json' },
        },
      };
      for (const scenario of SCENARIOS) {
        if (settings.only && !settings.only.includes(scenario.name)) continue;
        log(`${dialect} ${scenario.name}: ours…`);
        const spec = specs[scenario.name];
        const options =
          scenario.name === 'mixed' ? { duration: settings.mixedDuration, connections: 50 } : {};
        const ours = await load(server.url, spec, options, dir, server.pid);
        let against = null;
        if (scenario.compare === 'ceiling') {
          log(`${dialect} ${scenario.name}: ceiling…`);
          against = await ceiling(
            server.url,
            spec.paths[0],
            spec.headers,
            { ...spec, paths: [spec.paths[0]] },
            dir,
          );
        } else if (scenario.compare === 'floor') {
          log(`${dialect} ${scenario.name}: in-process floor…`);
          const file = path.join(dir, 'floor.json');
          writeFileSync(
            file,
            JSON.stringify({
              dataDir: dir,
              databaseUrl: database.env.DATABASE_URL,
              token: seeded.token,
              duration: settings.duration,
              concurrency: settings.connections,
            }),
          );
          against = await runNodeJson(0, [path.join(root, 'bench', 'write-floor.mjs'), file]);
        }
        const verdict = judge(scenario, ours, against);
        rows.push({
          dialect,
          scenario: scenario.name,
          title: scenario.title,
          compare: scenario.compare,
          ours,
          against,
          ...verdict,
        });
        log(
          `  ${fmt(ours.rps)} req/s vs ${against ? fmt(against.rps) : '—'} → ${verdict.ratio === null ? '—' : verdict.ratio.toFixed(3)}; ` +
            `p50 ${fmt(ours.p50, 2)} p95 ${fmt(ours.p95, 2)} p99 ${fmt(ours.p99, 2)} ms; errors ${verdict.errors}; ` +
            `CPU ${fmt(ours.cpu_us)} vs ${against ? fmt(against.cpu_us) : '—'} µs/req; ${verdict.pass ? 'PASS' : 'MISS'}`,
        );
      }
    } finally {
      await server.stop();
    }
    return { rows, seed: { dialect, contacts: settings.scale, ...seeded, token: undefined } };
  } finally {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function versions() {
  const sqlite = new SqliteDatabase(':memory:');
  const sqliteVersion = sqlite.prepare('select sqlite_version() as v').get().v;
  sqlite.close();
  return { sqliteVersion };
}

async function postgresVersion() {
  if (!settings.dialects.includes('postgres') || !env.DATABASE_URL) return null;
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  const { rows } = await client.query('show server_version');
  await client.end();
  return rows[0].server_version;
}

function table(results) {
  const header =
    '| database | scenario | ours req/s | ceiling req/s | ratio | p50 ms | p95 ms | p99 ms | errors | CPU µs/req ours / ceiling | target | result |';
  const lines = [header, `|${'---|'.repeat(12)}`];
  for (const row of results) {
    const against = row.against
      ? `${fmt(row.against.rps)}${row.compare === 'floor' ? ' (in-process)' : ''}`
      : '—';
    const cpu = `${fmt(row.ours.cpu_us)} / ${row.against ? fmt(row.against.cpu_us) : '—'}`;
    lines.push(
      `| ${row.dialect} | ${row.title} | ${fmt(row.ours.rps)} | ${against} | ${row.ratio === null ? '—' : row.ratio.toFixed(3)} | ` +
        `${fmt(row.ours.p50, 2)} | ${fmt(row.ours.p95, 2)} | ${fmt(row.ours.p99, 2)} | ${row.errors} | ${cpu} | ${row.target} | ${row.pass ? 'PASS' : 'MISS'} |`,
    );
  }
  return lines.join('\n');
}

const started = Date.now();
const loadBefore = os.loadavg()[0];
if (!args.includes('--no-build')) build();
const info = machine({ ...versions(), postgresVersion: await postgresVersion() });
if (!canPin) log('note: taskset is unavailable (or one core): server and load generator are not pinned');
const results = [];
const seeds = [];
for (const dialect of settings.dialects) {
  if (dialect === 'postgres' && !env.DATABASE_URL) {
    log('skipping postgres: DATABASE_URL is not set');
    continue;
  }
  const { rows, seed: seeded } = await benchDialect(dialect);
  results.push(...rows);
  seeds.push(seeded);
}
const markdown = [
  `Machine: ${info.nproc} cores (${info.cpu}), ${info.memory_gb} GB, ${info.kernel}; Node ${info.node}; ` +
    `SQLite ${info.sqlite}${info.postgres ? `; PostgreSQL ${info.postgres}` : ''}; ` +
    `${info.pinned ? 'server on core 0, load generator on core 1' : 'not pinned'}.`,
  `Run: ${new Date(started).toISOString()}, ${settings.duration} s per measurement after ${settings.warmup} s warm-up ` +
    `(mixed: ${settings.mixedDuration} s), ${settings.connections} connections (mixed: 50); ` +
    `load average ${loadBefore.toFixed(2)} before, ${os.loadavg()[0].toFixed(2)} after (other work on the machine skews every figure).`,
  '',
  ...seeds.map(
    (s) =>
      `Seed (${s.dialect}): ${s.summary.replace(/^# /, '')}; whole command ${s.seconds.toFixed(1)} s including start-up and migrations.`,
  ),
  '',
  table(results),
  '',
].join('\n');
mkdirSync(RESULTS, { recursive: true });
writeFileSync(
  path.join(RESULTS, 'latest.json'),
  `${JSON.stringify({ machine: info, settings, load_average: { before: loadBefore, after: os.loadavg()[0] }, seeds, results }, null, 2)}\n`,
);
writeFileSync(path.join(RESULTS, 'latest.md'), markdown);
process.stdout.write(`\n${markdown}\n`);
log(`bench/results/latest.{json,md} written; ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
