// npm run bench: builds, seeds a fresh database with `agentcrm seed`, starts the real server
// process pinned to core 0, and loads it with autocannon from a process pinned to core 1, after a
// warm-up. Each read scenario is compared, in the same run, with a bare node:http server (pinned
// like ours) answering the very bytes our server answered; the write scenario with an in-process
// loop running the same statements with the same durability. Results: a table on stdout, and
// bench/results/latest.{json,md}. See docs/BENCHMARKS.md.

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { benchDialect, footprintRows } from './dialect.mjs';
import { canPin, fmt, machine } from './lib.mjs';
import { build } from './server.mjs';
import { args, env, log, RESULTS, settings } from './settings.mjs';

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
