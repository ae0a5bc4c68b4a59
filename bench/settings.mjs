// The bench run's settings (flags and BENCH_* variables), its scenarios and the search terms, read once.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = path.join(root, 'dist', 'cli', 'main.js');
export const RESULTS = path.join(root, 'bench', 'results');

export const args = process.argv.slice(2);
const flag = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
export const env = process.env;
export const settings = {
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
export const SERVER_FLAGS = (
  env.BENCH_NODE_FLAGS ??
  /node (.*?)\s*dist\/cli\/main\.js serve/.exec(
    JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start,
  )?.[1] ??
  ''
)
  .split(' ')
  .filter(Boolean);

export const SCENARIOS = [
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
export const SEARCH_TERMS = [
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

export const log = (line) => process.stderr.write(`${line}\n`);

// The load generator is one client: lift the per-token and per-address rate limits, and the plan
// caps (the batch scenario writes into a new person's sandbox workspace), so the figures measure the
// work, not the throttles.
export const UNLIMITED = {
  requests_per_minute: 100_000_000,
  contacts: 100_000_000,
  companies: 100_000_000,
  deals: 100_000_000,
};
