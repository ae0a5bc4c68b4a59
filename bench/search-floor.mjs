// The floor for GET /contacts?search=…: the same SQL the server runs for each search, run
// in-process one search after another, with no HTTP, routing, validation or rendering.
//
// It learns the SQL from the app itself: an in-process app (dist/) on the same database, with
// Kysely's query log on, answers each search twice (the first warms the token cache, as the
// server's is warm under load), and the reads of the second answer are that term's statements,
// with their parameters. Then, for the given duration, it replays each term's statements on a plain
// driver connection (better-sqlite3 / pg), cycling through the terms, and times each search's group.
// Prints one JSON line: { requests, rps, p50, p95, p99, cpu_us, statements }.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { latencySummary } from './stats.mjs';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const dist = path.join(config.root, 'dist');
const { createApp } = await import(path.join(dist, 'app.js'));
const { loadConfig } = await import(path.join(dist, 'config.js'));
const { sqliteCapabilities, postgresCapabilities } = await import(path.join(dist, 'store', 'dialect.js'));

let captured = null;
const log = (event) => {
  if (captured && event.level === 'query' && /^\s*(select|with)\b/i.test(event.query.sql)) {
    captured.push({ sql: event.query.sql, parameters: [...event.query.parameters] });
  }
};

async function learn() {
  const appConfig = loadConfig({
    DATA_DIR: config.dataDir,
    ...(config.databaseUrl ? { DATABASE_URL: config.databaseUrl } : {}),
    LOG_LEVEL: 'silent',
    PLAN_OVERRIDES: config.planOverrides,
  });
  const sqlite = config.databaseUrl ? null : new SqliteDatabase(path.join(config.dataDir, 'agentcrm.sqlite'));
  const pool = config.databaseUrl ? new pg.Pool({ connectionString: config.databaseUrl, max: 2 }) : null;
  const db = new Kysely({
    dialect: sqlite ? new SqliteDialect({ database: sqlite }) : new PostgresDialect({ pool }),
    log,
  });
  const store = {
    db,
    countersDb: db,
    dialect: sqlite ? sqliteCapabilities : postgresCapabilities,
    sqlitePath: undefined,
    ping: async () => {},
    durable: async () => {},
    durability: () => null,
    close: () => db.destroy(),
  };
  const app = createApp({ config: appConfig, store, logger: pino({ level: 'silent' }) });
  const statements = {};
  for (const term of config.terms) {
    const request = () =>
      app.request(`/contacts?search=${encodeURIComponent(term)}`, {
        headers: { authorization: `Bearer ${config.token}` },
      });
    await (await request()).text();
    captured = [];
    const response = await request();
    await response.text();
    if (response.status !== 200) throw new Error(`search ${term}: ${response.status}`);
    statements[term] = captured;
    captured = null;
  }
  await app.services.meter.stop();
  await store.close();
  return statements;
}

const statements = await learn();
const groups = config.terms.map((term) => statements[term]);

async function replaySqlite(deadline) {
  const db = new SqliteDatabase(path.join(config.dataDir, 'agentcrm.sqlite'), { readonly: true });
  const prepared = groups.map((group) =>
    group.map((s) => ({ statement: db.prepare(s.sql), parameters: s.parameters })),
  );
  const times = [];
  for (let i = 0; performance.now() < deadline; i++) {
    const started = performance.now();
    for (const { statement, parameters } of prepared[i % prepared.length]) statement.all(parameters);
    times.push(performance.now() - started);
  }
  db.close();
  return times;
}

async function replayPostgres(deadline) {
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  const times = [];
  for (let i = 0; performance.now() < deadline; i++) {
    const started = performance.now();
    for (const { sql, parameters } of groups[i % groups.length]) await client.query(sql, parameters);
    times.push(performance.now() - started);
  }
  await client.end();
  return times;
}

const replay = config.databaseUrl ? replayPostgres : replaySqlite;
await replay(performance.now() + config.warmup * 1000);
const cpu = process.cpuUsage();
const started = performance.now();
const times = await replay(started + config.duration * 1000);
const seconds = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
const { p50, p95, p99 } = latencySummary(times);
process.stdout.write(
  `${JSON.stringify({
    requests: times.length,
    rps: times.length / seconds,
    p50,
    p95,
    p99,
    cpu_us: (used.user + used.system) / Math.max(times.length, 1),
    statements: Object.fromEntries(config.terms.map((term) => [term, statements[term].length])),
  })}\n`,
);
