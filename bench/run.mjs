// npm run bench: builds, seeds a fresh database with `agentcrm seed`, starts the real server
// process pinned to core 0, and loads it with autocannon from a process pinned to core 1, after a
// warm-up. Each read scenario is compared, in the same run, with a bare node:http server (pinned
// like ours) answering the very bytes our server answered; the write scenario with an in-process
// loop running the same statements with the same durability. Results: a table on stdout, and
// bench/results/latest.{json,md}. See docs/BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import {
  canPin,
  cpuSeconds,
  fetchRaw,
  fmt,
  freePort,
  machine,
  memory,
  runNodeJson,
  sampleRss,
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
  mixedDuration: Number(env.BENCH_MIXED_DURATION ?? 60),
  connections: Number(env.BENCH_CONNECTIONS ?? 10),
  only: (flag('--only') ?? env.BENCH_ONLY)?.split(',') ?? null,
  dialects: (
    flag('--dialects') ??
    env.BENCH_DIALECTS ??
    (env.DATABASE_URL ? 'sqlite,postgres' : 'sqlite')
  ).split(','),
  profile: env.BENCH_PROFILE === '1',
};

// The server runs with the Node flags `npm start` gives it (package.json), or BENCH_NODE_FLAGS.
const SERVER_FLAGS = (
  env.BENCH_NODE_FLAGS ??
  /node (.*?)\s*dist\/cli\/main\.js serve/.exec(
    JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start,
  )?.[1] ??
  ''
)
  .split(' ')
  .filter(Boolean);

const SCENARIOS = [
  {
    name: 'get-text',
    title: 'GET /contacts/{id} (text)',
    compare: 'ceiling',
    target: { lean: { sqlite: 0.7, postgres: 0.6 } },
  },
  {
    name: 'get-json',
    title: 'GET /contacts/{id} (JSON)',
    compare: 'ceiling',
    target: { lean: { sqlite: 0.7, postgres: 0.6 } },
  },
  {
    name: 'mcp-get',
    title: 'MCP tools/call contacts_get (vs REST JSON, run next to it)',
    compare: 'rest',
    target: { ratio: 0.7 },
  },
  {
    name: 'list',
    title: 'GET /contacts?limit=50&sort=-updated_at',
    compare: 'ceiling',
    target: { lean: { sqlite: 0.7, postgres: 0.7 } },
  },
  {
    name: 'keyset',
    title: 'GET /deals?status=open&sort=-updated_at page 200 vs page 1 (CPU per request)',
    compare: 'page1',
    target: { costRatio: 1.2 },
  },
  {
    name: 'search',
    title: 'GET /contacts?search=… (mixed terms, one client; ratio: p95 over HTTP ÷ p95 of the same SQL)',
    compare: 'sql',
    target: { p95: 25, sqlRatio: 1.5 },
  },
  {
    name: 'search-10',
    title: 'GET /contacts?search=… from 10 connections at once (for reference: queueing on one core)',
    compare: null,
    target: {},
  },
  {
    name: 'post',
    title: 'POST /contacts + Idempotency-Key (durable)',
    compare: 'floor',
    target: { ratio: 0.5 },
  },
  {
    name: 'batch',
    title: 'POST /contacts/batch, 1,000 new contacts (req/s column: records/s)',
    compare: null,
    target: { recordsPerSecond: 20_000 },
  },
  {
    name: 'mixed',
    title: 'mixed 80% get / 15% post / 5% search, 50 conns',
    compare: null,
    target: { p99: 50, errors: 0 },
  },
  {
    name: 'mixed-paced',
    title:
      'mixed as above, open loop at a fixed rate (bench/paced.mjs): the highest of 50/70/85% of the saturated rate whose p99 ≤ 50 ms (for reference)',
    compare: null,
    target: {},
  },
  {
    name: 'cold-start',
    title: 'cold start: spawn to first 200 from /readyz (p50 column: median ms of 3)',
    compare: null,
    target: { ms: 1000 },
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

// The load generator is one client: lift the per-token and per-address rate limits, and the plan
// caps (the batch scenario writes into a new person's sandbox workspace), so the figures measure the
// work, not the throttles.
const UNLIMITED = {
  requests_per_minute: 100_000_000,
  contacts: 100_000_000,
  companies: 100_000_000,
  deals: 100_000_000,
};

async function startServer(databaseEnv, dir, dialect, { profile = settings.profile, pollMs = 100 } = {}) {
  const port = await freePort();
  const logFd = openSync(path.join(dir, 'server.log'), 'a');
  const profileDir = path.join(RESULTS, 'profiles', dialect);
  if (profile) mkdirSync(profileDir, { recursive: true });
  const spawned = performance.now();
  const child = spawnNode(
    0,
    [...SERVER_FLAGS, ...(profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), CLI, 'serve'],
    {
      env: {
        PATH: env.PATH,
        ...databaseEnv,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        // No load balancer to drain for: stop at once between scenarios.
        DRAIN_SECONDS: '0',
        PLAN_OVERRIDES: JSON.stringify({ production: UNLIMITED, sandbox: UNLIMITED }),
        RATE_LIMIT_IP_PER_MINUTE: '100000000',
        ...(env.BENCH_SQLITE_SYNC ? { SQLITE_SYNCHRONOUS: env.BENCH_SQLITE_SYNC } : {}),
      },
      stdio: ['ignore', logFd, logFd],
    },
  );
  closeSync(logFd);
  const url = `http://127.0.0.1:${port}`;
  await waitForReady(url, 30_000, pollMs);
  const readyMs = performance.now() - spawned;
  return {
    readyMs,
    url,
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Cold start: the server spawned on the existing database, until /readyz first answers 200; 3 runs. */
async function coldStart(databaseEnv, dir, dialect) {
  const times = [];
  for (let i = 0; i < 3; i++) {
    const server = await startServer(databaseEnv, dir, dialect, { profile: false, pollMs: 5 });
    times.push(server.readyMs);
    await server.stop();
  }
  times.sort((a, b) => a - b);
  return {
    requests: 3,
    rps: null,
    p50: times[1],
    p95: times[2],
    p99: times[2],
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    cpu_us: null,
    rss_mb: null,
  };
}

/** Signs a person in through the outbox (DATA_DIR/outbox), as a person's agent would; their token. */
async function signInPerson(url, dir, email) {
  const post = (route, body) =>
    fetchRaw(`${url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
  const requested = await post('/auth/request', { email });
  if (requested.status !== 202) throw new Error(`auth/request: ${requested.body}`);
  let code;
  for (let attempt = 0; attempt < 50 && !code; attempt++) {
    const outbox = path.join(dir, 'outbox');
    const files = readdirSync(outbox)
      .filter((f) => f.endsWith('.eml'))
      .sort();
    for (const file of files.reverse()) {
      const mail = await simpleParser(readFileSync(path.join(outbox, file)));
      if (mail.to?.text?.includes(email)) {
        code = /^\s+(\d{6})\s*$/m.exec(mail.text ?? '')?.[1];
        break;
      }
    }
    if (!code) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!code) throw new Error(`no sign-in code mailed to ${email}`);
  const verified = await post('/auth/verify', { email, code, token_name: 'bench' });
  if (verified.status !== 201) throw new Error(`auth/verify: ${verified.body}`);
  return JSON.parse(verified.body.toString()).data.token;
}

/**
 * Batch upsert: 1,000 new contacts per POST /contacts/batch, timed from the POST until
 * GET /operations/{id} reports it finished (the work runs in the server's job runner). A person
 * sends it (an agent's batch above 200 items waits for a human's approval by default), into their
 * own workspace. One warm-up batch, then the median of three.
 */
async function batchScenario(url, dir) {
  const token = await signInPerson(url, dir, `bench.${randomBytes(3).toString('hex')}@bench.example`);
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  const tag = randomBytes(4).toString('hex');
  const seconds = [];
  let errors = 0;
  for (let round = 0; round < 4; round++) {
    const items = Array.from({ length: 1000 }, (_, i) => ({
      name: `Batch ${round} ${i}`,
      email: `batch.${tag}.${round}.${i}@bench.example`,
      stage: 'lead',
      tags: ['bench'],
    }));
    const started = performance.now();
    const sent = await fetchRaw(`${url}/contacts/batch`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': `batch-${tag}-${round}` },
      body: JSON.stringify({ items }),
    });
    if (sent.status !== 202) throw new Error(`POST /contacts/batch answered ${sent.status}: ${sent.body}`);
    const operationId = JSON.parse(sent.body.toString()).data.operation_id;
    let status;
    for (;;) {
      const polled = await fetchRaw(`${url}/operations/${operationId}`, { headers });
      const data = JSON.parse(polled.body.toString()).data;
      status = data.status;
      if (status !== 'queued' && status !== 'running') {
        errors += data.errors?.length ?? 0;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (status !== 'succeeded') throw new Error(`batch ${operationId} ended ${status}`);
    if (round > 0) seconds.push((performance.now() - started) / 1000);
  }
  seconds.sort((a, b) => a - b);
  const median = seconds[1];
  return {
    requests: seconds.length,
    rps: 1000 / median,
    p50: median * 1000,
    p95: seconds.at(-1) * 1000,
    p99: seconds.at(-1) * 1000,
    errors,
    timeouts: 0,
    non2xx: 0,
    cpu_us: null,
    rss_mb: null,
  };
}

/**
 * The keyset scenario's two pages: page 1 of a filtered, sorted deal list, and page 200 (or the
 * last page there is, at small scales) reached by following next_cursor.
 */
async function keysetPaths(url, headers) {
  const first = '/deals?status=open&sort=-updated_at&limit=50';
  let cursor = null;
  let page = 1;
  for (; page < 200; page++) {
    const reply = await fetchRaw(`${url}${first}&format=json${cursor ? `&cursor=${cursor}` : ''}`, {
      headers,
    });
    const next = JSON.parse(reply.body.toString()).next_cursor;
    if (!next) break;
    cursor = next;
  }
  return { first, deep: cursor ? `${first}&cursor=${cursor}` : first, page };
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

/**
 * A tool error is still HTTP 200 with a JSON-RPC result, so the load generator cannot tell it from
 * a read: check one answer first, or the scenario could measure an error path.
 */
async function checkMcpAnswer(url, spec, id) {
  const reply = await fetchRaw(`${url}${spec.path}`, {
    method: 'POST',
    headers: spec.headers,
    body: spec.bodies[0],
  });
  const answer = reply.status === 200 ? JSON.parse(reply.body.toString()) : null;
  if (answer?.result?.isError || answer?.result?.structuredContent?.data?.id !== id) {
    throw new Error(
      `mcp-get: tools/call contacts_get did not answer the contact: ${reply.status} ${reply.body}`,
    );
  }
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
  const stopSampling = sampleRss(pid);
  const result = await run(duration);
  const peakRss = stopSampling();
  const after = cpuSeconds(pid);
  const cpu =
    before === null || after === null ? null : ((after - before) * 1e6) / Math.max(result.requests, 1);
  return { ...result, cpu_us: cpu, rss_mb: peakRss };
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

/**
 * The lean floor (bench/lean-floor.mjs): the same read on the same libraries and database with no
 * governance, loaded like ours. Returns its figures, or null when it did not answer the same bytes.
 */
async function leanFloor(url, spec, dialect, databaseEnv, dir) {
  const file = path.join(dir, `lean-floor-${Date.now()}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      dialect === 'sqlite'
        ? { sqlitePath: path.join(databaseEnv.DATA_DIR, 'agentcrm.sqlite') }
        : { databaseUrl: databaseEnv.DATABASE_URL },
    ),
  );
  const child = spawnNode(0, [path.join(root, 'bench', 'lean-floor.mjs'), file]);
  const [chunk] = await once(child.stdout, 'data');
  const floorUrl = `http://127.0.0.1:${Number(chunk.toString().trim())}`;
  try {
    // The floor must answer what we answer (request ids and the cursor's digest aside).
    const mask = (body) =>
      body
        .toString()
        .replace(/req_[0-9a-z]+/g, 'req_')
        .replace(/(next: |"next_cursor":")[A-Za-z0-9_-]+/g, '$1');
    const [ours, floor] = await Promise.all(
      [url, floorUrl].map((base) => fetchRaw(`${base}${spec.paths[0]}`, { headers: spec.headers })),
    );
    if (mask(ours.body) !== mask(floor.body)) {
      log(`  lean floor answered other bytes than ours for ${spec.paths[0]}: not compared`);
      return null;
    }
    return await load(floorUrl, spec, {}, dir, child.pid);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

function judge(scenario, ours, against, lean = null, dialect = null) {
  const { target } = scenario;
  const ratio =
    target.costRatio !== undefined
      ? ours.cpu_us / against.cpu_us
      : target.sqlRatio !== undefined
        ? ours.p95 / against.p95
        : against && scenario.compare !== null
          ? ours.rps / against.rps
          : null;
  const checks = [];
  const leanRatio = lean ? ours.rps / lean.rps : null;
  const leanTarget = target.lean?.[dialect];
  if (leanTarget !== undefined) checks.push(leanRatio !== null && leanRatio >= leanTarget);
  if (target.ratio !== undefined) checks.push(ratio !== null && ratio >= target.ratio);
  if (target.costRatio !== undefined) checks.push(ratio !== null && ratio <= target.costRatio);
  if (target.sqlRatio !== undefined) checks.push(ratio !== null && ratio <= target.sqlRatio);
  if (target.recordsPerSecond !== undefined) checks.push(ours.rps >= target.recordsPerSecond);
  if (target.ms !== undefined) checks.push(ours.p50 !== null && ours.p50 <= target.ms);
  if (target.p95 !== undefined) checks.push(ours.p95 !== null && ours.p95 <= target.p95);
  if (target.p99 !== undefined) checks.push(ours.p99 !== null && ours.p99 <= target.p99);
  const errors = ours.errors + ours.timeouts + ours.non2xx;
  if (target.errors !== undefined) checks.push(errors <= target.errors);
  const wanted = [
    leanTarget !== undefined ? `≥ ${leanTarget} of the lean floor` : null,
    target.ratio !== undefined ? `ratio ≥ ${target.ratio}` : null,
    target.costRatio !== undefined ? `cost ratio ≤ ${target.costRatio}` : null,
    target.sqlRatio !== undefined ? `p95 ≤ ${target.sqlRatio}× the SQL's` : null,
    target.recordsPerSecond !== undefined ? `≥ ${fmt(target.recordsPerSecond)} records/s` : null,
    target.ms !== undefined ? `≤ ${fmt(target.ms)} ms` : null,
    target.p95 !== undefined ? `p95 ≤ ${target.p95} ms` : null,
    target.p99 !== undefined ? `p99 ≤ ${target.p99} ms` : null,
    target.errors !== undefined ? 'errors = 0' : null,
  ].filter(Boolean);
  // A row for reference has no target: neither PASS nor MISS.
  return {
    ratio,
    leanRatio,
    errors,
    target: wanted.join(', ') || '—',
    pass: checks.length ? checks.every(Boolean) : null,
  };
}

/** The server's memory at the end of each database's run: VmHWM is the peak over the whole run. */
const footprintRows = [];

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
        // The same reads through MCP: one stateless JSON-RPC tools/call per POST /mcp.
        'mcp-get': {
          type: 'post',
          path: '/mcp',
          bodies: ids.map((id, i) =>
            JSON.stringify({
              jsonrpc: '2.0',
              id: i + 1,
              method: 'tools/call',
              params: { name: 'contacts_get', arguments: { contact_id: id } },
            }),
          ),
          headers: {
            ...auth,
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            'mcp-protocol-version': '2025-06-18',
          },
        },
        list: { type: 'get', paths: ['/contacts?limit=50&sort=-updated_at'], headers: auth },
        search: { type: 'get', paths: searchPaths, headers: auth },
        'search-10': { type: 'get', paths: searchPaths, headers: auth },
        post: { type: 'post-contact', headers: { ...auth, 'content-type': 'application/json' } },
        mixed: {
          type: 'mixed',
          shares: [16, 3, 1],
          readPaths: paths,
          searchPaths,
          headers: { ...auth, 'content-type': 'application/json' },
        },
      };
      const record = (scenario, ours, against, extra = {}) => {
        const verdict = judge(scenario, ours, against, extra.lean ?? null, dialect);
        rows.push({
          dialect,
          scenario: scenario.name,
          title: scenario.title,
          compare: scenario.compare,
          ours,
          against,
          ...extra,
          ...verdict,
        });
        log(
          `  ${fmt(ours.rps)} req/s vs ${against ? fmt(against.rps) : '—'} → ${verdict.ratio === null ? '—' : verdict.ratio.toFixed(3)}; ` +
            `p50 ${fmt(ours.p50, 2)} p95 ${fmt(ours.p95, 2)} p99 ${fmt(ours.p99, 2)} ms; errors ${verdict.errors}; ` +
            `CPU ${fmt(ours.cpu_us)} vs ${against ? fmt(against.cpu_us) : '—'} µs/req; ` +
            (extra.lean
              ? `lean floor ${fmt(extra.lean.rps)} req/s → ${verdict.leanRatio.toFixed(3)}, CPU ${fmt(extra.lean.cpu_us)} µs/req; `
              : '') +
            `RSS ${fmt(ours.rss_mb)} MB; ${verdict.pass === null ? 'for reference' : verdict.pass ? 'PASS' : 'MISS'}`,
        );
      };
      for (const scenario of SCENARIOS) {
        if (settings.only && !settings.only.includes(scenario.name)) continue;
        if (scenario.name === 'cold-start') continue; // after the server has stopped, below
        log(`${dialect} ${scenario.name}: ours…`);
        if (scenario.name === 'batch') {
          record(scenario, await batchScenario(server.url, dir), null);
          continue;
        }
        if (scenario.name === 'keyset') {
          const pages = await keysetPaths(server.url, auth);
          const spec = { type: 'get', headers: auth };
          const deep = await load(server.url, { ...spec, paths: [pages.deep] }, {}, dir, server.pid);
          log(`${dialect} ${scenario.name}: page 1…`);
          const first = await load(server.url, { ...spec, paths: [pages.first] }, {}, dir, server.pid);
          record(scenario, deep, first, { page: pages.page });
          continue;
        }
        if (scenario.name === 'mixed-paced') {
          const saturated = rows.find((row) => row.dialect === dialect && row.scenario === 'mixed');
          if (!saturated) continue;
          let best = null;
          for (const share of [0.5, 0.7, 0.85]) {
            const rate = Math.round(saturated.ours.rps * share);
            log(`${dialect} ${scenario.name}: ${rate} req/s offered…`);
            const file = path.join(dir, `paced-${rate}.json`);
            writeFileSync(
              file,
              JSON.stringify({
                url: server.url,
                scenario: specs.mixed,
                connections: 50,
                rate,
                warmup: settings.warmup,
                duration: Math.max(10, settings.mixedDuration / 4),
              }),
            );
            const paced = await runNodeJson(1, [path.join(root, 'bench', 'paced.mjs'), file]);
            log(
              `  p50 ${fmt(paced.p50, 2)} p95 ${fmt(paced.p95, 2)} p99 ${fmt(paced.p99, 2)} ms, ${fmt(paced.rps)} req/s answered; p50/p99 by kind ${JSON.stringify(paced.kinds)}`,
            );
            if (paced.p99 !== null && paced.p99 <= 50 && paced.errors + paced.timeouts + paced.non2xx === 0) {
              best = { ...paced, offered: rate };
            }
          }
          if (best) record(scenario, best, null, { offered: best.offered });
          else log(`${dialect} ${scenario.name}: p99 above 50 ms even at half the saturated rate`);
          continue;
        }
        const spec = specs[scenario.name];
        if (scenario.name === 'mcp-get') await checkMcpAnswer(server.url, spec, ids[0]);
        const options =
          scenario.name === 'mixed'
            ? { duration: settings.mixedDuration, connections: 50 }
            : scenario.name === 'search'
              ? { connections: 1 }
              : {};
        const ours = await load(server.url, spec, options, dir, server.pid);
        let against = null;
        if (scenario.compare === 'rest') {
          log(`${dialect} ${scenario.name}: the same read over REST (JSON)…`);
          against = await load(server.url, specs['get-json'], {}, dir, server.pid);
        } else if (scenario.compare === 'ceiling') {
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
        } else if (scenario.compare === 'sql') {
          log(`${dialect} ${scenario.name}: the same SQL in-process…`);
          const file = path.join(dir, 'search-floor.json');
          writeFileSync(
            file,
            JSON.stringify({
              root,
              dataDir: dir,
              databaseUrl: database.env.DATABASE_URL,
              token: seeded.token,
              terms: SEARCH_TERMS,
              // As the server's: the load has used up the token's plan rate long ago (PostgreSQL
              // counts in the database the floor shares).
              planOverrides: JSON.stringify({ production: UNLIMITED, sandbox: UNLIMITED }),
              duration: settings.duration,
              warmup: settings.warmup,
            }),
          );
          against = await runNodeJson(0, [path.join(root, 'bench', 'search-floor.mjs'), file]);
        }
        let lean = null;
        if (scenario.target.lean) {
          log(`${dialect} ${scenario.name}: lean floor…`);
          lean = await leanFloor(server.url, { ...spec, paths: [spec.paths[0]] }, dialect, database.env, dir);
        }
        record(scenario, ours, against, lean ? { lean } : {});
      }
      const footprint = memory(server.pid);
      if (footprint) {
        footprintRows.push({ dialect, hwm_mb: footprint.hwm, rss_mb: footprint.rss });
        log(
          `${dialect} server memory after the run: VmRSS ${fmt(footprint.rss)} MB, VmHWM ${fmt(footprint.hwm)} MB`,
        );
      }
    } finally {
      await server.stop();
    }
    const cold = SCENARIOS.find((scenario) => scenario.name === 'cold-start');
    if (!settings.only || settings.only.includes(cold.name)) {
      log(`${dialect} ${cold.name}…`);
      const ours = await coldStart(database.env, dir, dialect);
      const verdict = judge(cold, ours, null);
      rows.push({
        dialect,
        scenario: cold.name,
        title: cold.title,
        compare: null,
        ours,
        against: null,
        ...verdict,
      });
      log(`  ${fmt(ours.p50)} ms (of ${ours.requests}); ${verdict.pass ? 'PASS' : 'MISS'}`);
    }
    return { rows, seed: { dialect, contacts: settings.scale, ...seeded, token: undefined } };
  } finally {
    await database.drop();
    if (!env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
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
    '| database | scenario | ours req/s | ceiling req/s | ratio | lean floor req/s | ratio to it | p50 ms | p95 ms | p99 ms | errors | CPU µs/req ours / ceiling | peak RSS MB | target | result |';
  const lines = [header, `|${'---|'.repeat(15)}`];
  for (const row of results) {
    const label = { floor: ' (in-process)', rest: ' (REST)', page1: ' (page 1)' }[row.compare] ?? '';
    const against = !row.against
      ? '—'
      : row.compare === 'sql'
        ? `${fmt(row.against.rps)} (the SQL alone; its p95 ${fmt(row.against.p95, 2)} ms)`
        : `${fmt(row.against.rps)}${label}`;
    const title =
      row.page && row.page !== 200
        ? `${row.title} — only ${row.page} pages at this scale`
        : row.offered
          ? `${row.title} — ${fmt(row.offered)} req/s offered`
          : row.title;
    const cpu = `${fmt(row.ours.cpu_us)} / ${row.against ? fmt(row.against.cpu_us) : '—'}`;
    lines.push(
      `| ${row.dialect} | ${title} | ${fmt(row.ours.rps)} | ${against} | ${row.ratio === null ? '—' : row.ratio.toFixed(3)} | ` +
        `${row.lean ? fmt(row.lean.rps) : '—'} | ${row.leanRatio === null || row.leanRatio === undefined ? '—' : row.leanRatio.toFixed(3)} | ` +
        `${fmt(row.ours.p50, 2)} | ${fmt(row.ours.p95, 2)} | ${fmt(row.ours.p99, 2)} | ${row.errors} | ${cpu} | ${fmt(row.ours.rss_mb)} | ${row.target} | ${row.pass === null ? '—' : row.pass ? 'PASS' : 'MISS'} |`,
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
  ...footprintRows.map(
    (f) =>
      `Server memory (${f.dialect}) at the end of the run: VmRSS ${fmt(f.rss_mb)} MB, peak (VmHWM) ${fmt(f.hwm_mb)} MB ` +
      `(target at 1M contacts: ≤ 250 MB${settings.scale.toLowerCase() === '1m' ? '' : `; this run seeded ${settings.scale}`}).`,
  ),
  '',
].join('\n');
mkdirSync(RESULTS, { recursive: true });
writeFileSync(
  path.join(RESULTS, 'latest.json'),
  `${JSON.stringify({ machine: info, settings, load_average: { before: loadBefore, after: os.loadavg()[0] }, seeds, results, footprint: footprintRows }, null, 2)}\n`,
);
writeFileSync(path.join(RESULTS, 'latest.md'), markdown);
process.stdout.write(`\n${markdown}\n`);
log(`bench/results/latest.{json,md} written; ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
