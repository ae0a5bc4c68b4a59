// Storage designs for records of custom object types (issue 17, docs/objects.md), measured side by
// side on the same data, on SQLite and (with DATABASE_URL) PostgreSQL, with the plain drivers:
//
//   json   one table for every custom type, the values in a JSON column (SQLite text + json_extract,
//          PostgreSQL jsonb), and an expression index per indexed field;
//   typed  one table per custom type, one real column per field, ordinary indexes (DDL at each
//          schema change: CREATE TABLE, ALTER TABLE ADD COLUMN, CREATE INDEX);
//   eav    one row per (record, field) in a values table with text and number columns, indexed
//          by (workspace, type, field, value).
//
// For each: the bulk load rate, a durable single-record create (its own transaction, as the server
// commits), an equality filter (status = x, newest 50) and a range filter (amount ≥ x, 50 by
// amount), each timed over many runs with its p50/p95. Usage:
//   node bench/objects-storage.mjs [--records 100000] [--runs 300]
// Prints a table (and JSON with --json).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { latencySummary } from './stats.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const RECORDS = option('records', 100_000);
const RUNS = option('runs', 300);
const CREATES = option('creates', 300);
const WORKSPACE = 'wrk_bench_objects_1';
const OTHER = 'wrk_bench_objects_2';
const STATUSES = ['planned', 'active', 'paused', 'done'];

/** Deterministic data: the same records for every design and database. */
function* records(count, workspace) {
  let seed = 42;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  for (let i = 0; i < count; i++) {
    yield {
      workspace,
      id: `rec_${workspace.slice(-1)}${String(i).padStart(9, '0')}`,
      status: STATUSES[Math.floor(next() * STATUSES.length)],
      amount: Math.floor(next() * 1_000_000),
      title: `Project ${i}`,
      company: `co_${Math.floor(next() * 5000)}`,
      created_at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    };
  }
}

const DESIGNS = {
  json: {
    schema: (pgsql) => [
      `create table r (workspace_id text not null, object text not null, id text not null, data ${pgsql ? 'jsonb' : 'text'} not null, created_at text not null, primary key (workspace_id, id))`,
      `create index r_status on r (workspace_id, object, (${field(pgsql, 'status')}), created_at)`,
      `create index r_amount on r (workspace_id, object, (${number(pgsql, 'amount')}))`,
    ],
    insert: (pgsql) =>
      `insert into r (workspace_id, object, id, data, created_at) values (${params(pgsql, 5)})`,
    rows: (record) => [
      [
        record.workspace,
        'projects',
        record.id,
        JSON.stringify({
          status: record.status,
          amount: record.amount,
          title: record.title,
          company: record.company,
        }),
        record.created_at,
      ],
    ],
    equality: (pgsql) =>
      `select id, data from r where workspace_id = ${p(pgsql, 1)} and object = 'projects' and ${field(pgsql, 'status')} = ${p(pgsql, 2)} order by created_at desc limit 50`,
    range: (pgsql) =>
      `select id, data from r where workspace_id = ${p(pgsql, 1)} and object = 'projects' and ${number(pgsql, 'amount')} >= ${p(pgsql, 2)} order by ${number(pgsql, 'amount')} limit 50`,
  },
  typed: {
    schema: (pgsql) => [
      `create table r (workspace_id text not null, id text not null, status text, amount ${pgsql ? 'numeric' : 'real'}, title text, company text, created_at text not null, primary key (workspace_id, id))`,
      'create index r_status on r (workspace_id, status, created_at)',
      'create index r_amount on r (workspace_id, amount)',
    ],
    insert: (pgsql) =>
      `insert into r (workspace_id, id, status, amount, title, company, created_at) values (${params(pgsql, 7)})`,
    rows: (record) => [
      [
        record.workspace,
        record.id,
        record.status,
        record.amount,
        record.title,
        record.company,
        record.created_at,
      ],
    ],
    equality: (pgsql) =>
      `select * from r where workspace_id = ${p(pgsql, 1)} and status = ${p(pgsql, 2)} order by created_at desc limit 50`,
    range: (pgsql) =>
      `select * from r where workspace_id = ${p(pgsql, 1)} and amount >= ${p(pgsql, 2)} order by amount limit 50`,
  },
  eav: {
    schema: (pgsql) => [
      'create table r (workspace_id text not null, object text not null, id text not null, created_at text not null, primary key (workspace_id, id))',
      `create table v (workspace_id text not null, object text not null, record_id text not null, field text not null, value_text text, value_number ${pgsql ? 'numeric' : 'real'}, primary key (workspace_id, record_id, field))`,
      'create index v_text on v (workspace_id, object, field, value_text, record_id)',
      'create index v_number on v (workspace_id, object, field, value_number, record_id)',
    ],
    insert: (pgsql) => [
      `insert into r (workspace_id, object, id, created_at) values (${params(pgsql, 4)})`,
      `insert into v (workspace_id, object, record_id, field, value_text, value_number) values (${params(pgsql, 6)})`,
    ],
    rows: (record) => [
      [record.workspace, 'projects', record.id, record.created_at],
      [record.workspace, 'projects', record.id, 'status', record.status, null],
      [record.workspace, 'projects', record.id, 'amount', null, record.amount],
      [record.workspace, 'projects', record.id, 'title', record.title, null],
      [record.workspace, 'projects', record.id, 'company', record.company, null],
    ],
    equality: (pgsql) =>
      `select r.id from r join v on v.workspace_id = r.workspace_id and v.record_id = r.id where r.workspace_id = ${p(pgsql, 1)} and v.object = 'projects' and v.field = 'status' and v.value_text = ${p(pgsql, 2)} order by r.created_at desc limit 50`,
    range: (pgsql) =>
      `select v.record_id from v where v.workspace_id = ${p(pgsql, 1)} and v.object = 'projects' and v.field = 'amount' and v.value_number >= ${p(pgsql, 2)} order by v.value_number limit 50`,
  },
};

function p(pgsql, n) {
  return pgsql ? `$${n}` : '?';
}
function params(pgsql, count) {
  return Array.from({ length: count }, (_, i) => p(pgsql, i + 1)).join(', ');
}
function field(pgsql, key) {
  return pgsql ? `(data->>'${key}')` : `json_extract(data, '$.${key}')`;
}
function number(pgsql, key) {
  return pgsql ? `((data->>'${key}')::numeric)` : `json_extract(data, '$.${key}')`;
}

/** One driver behind the same small interface. */
async function open(kind, design) {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'agentcrm-objects-'));
    const db = new SqliteDatabase(path.join(dir, 'bench.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const prepared = new Map();
    const statement = (text) => {
      if (!prepared.has(text)) prepared.set(text, db.prepare(text));
      return prepared.get(text);
    };
    return {
      exec: async (text) => db.exec(text),
      run: async (text, values) => statement(text).run(values),
      all: async (text, values) => statement(text).all(values),
      transaction: async (work) => {
        db.exec('begin');
        await work();
        db.exec('commit');
      },
      close: async () => {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  const name = `agentcrm_objects_${design}_${process.pid}`;
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const names = new Map();
  const named = (text) => {
    if (!names.has(text)) names.set(text, `q${names.size}`);
    return names.get(text);
  };
  return {
    exec: async (text) => client.query(text),
    run: async (text, values) => client.query({ name: named(text), text, values }),
    all: async (text, values) => (await client.query({ name: named(text), text, values })).rows,
    transaction: async (work) => {
      await client.query('begin');
      await work();
      await client.query('commit');
    },
    close: async () => {
      await client.end();
      await admin.query(`drop database if exists ${name}`);
      await admin.end();
    },
  };
}

async function measure(kind, designName) {
  const design = DESIGNS[designName];
  const pgsql = kind === 'postgres';
  const db = await open(kind, designName);
  try {
    for (const statement of design.schema(pgsql)) await db.exec(statement);
    const inserts = [design.insert(pgsql)].flat();
    const insertRecord = async (record) => {
      const rows = design.rows(record);
      for (const [index, row] of rows.entries())
        await db.run(inserts[Math.min(index, inserts.length - 1)], row);
    };
    // Bulk load: both workspaces, 1,000 records per transaction.
    const started = performance.now();
    for (const workspace of [WORKSPACE, OTHER]) {
      let batch = [];
      const flush = async () => {
        const chunk = batch;
        batch = [];
        await db.transaction(async () => {
          for (const record of chunk) await insertRecord(record);
        });
      };
      for (const record of records(RECORDS, workspace)) {
        batch.push(record);
        if (batch.length === 1000) await flush();
      }
      if (batch.length) await flush();
    }
    const loadSeconds = (performance.now() - started) / 1000;
    if (pgsql) await db.exec('analyze');
    else await db.exec('analyze');

    // Durable single creates, each its own transaction.
    const createTimes = [];
    let n = 0;
    for (const record of records(CREATES, 'wrk_bench_objects_3')) {
      const t0 = performance.now();
      await db.transaction(() => insertRecord({ ...record, id: `${record.id}_${n++}` }));
      createTimes.push(performance.now() - t0);
    }

    const time = async (text, values) => {
      const times = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const rows = await db.all(text, values(i));
        times.push(performance.now() - t0);
        if (i === 0 && rows.length === 0) throw new Error(`${designName} on ${kind}: no rows for ${text}`);
      }
      return latencySummary(times);
    };
    const equality = await time(design.equality(pgsql), (i) => [WORKSPACE, STATUSES[i % STATUSES.length]]);
    const range = await time(design.range(pgsql), (i) => [WORKSPACE, (i * 7919) % 900_000]);
    return {
      database: kind,
      design: designName,
      load_records_per_s: Math.round((2 * RECORDS) / loadSeconds),
      create: latencySummary(createTimes),
      equality,
      range,
    };
  } finally {
    await db.close();
  }
}

const databases = ['sqlite', ...(process.env.DATABASE_URL ? ['postgres'] : [])];
const results = [];
for (const kind of databases) {
  for (const design of Object.keys(DESIGNS)) {
    process.stderr.write(`${kind} ${design}: ${RECORDS} records per workspace, 2 workspaces…\n`);
    results.push(await measure(kind, design));
  }
}
const ms = (value) => value.toFixed(2);
console.log(
  `\n${RECORDS.toLocaleString('en-US')} records of one type per workspace, two workspaces; ${RUNS} runs per query, ${CREATES} creates\n`,
);
console.log(
  '| database | design | bulk load rec/s | create p50 / p95 ms | equality p50 / p95 ms | range p50 / p95 ms |',
);
console.log('|---|---|---|---|---|---|');
for (const r of results) {
  console.log(
    `| ${r.database} | ${r.design} | ${r.load_records_per_s.toLocaleString('en-US')} | ${ms(r.create.p50)} / ${ms(r.create.p95)} | ${ms(r.equality.p50)} / ${ms(r.equality.p95)} | ${ms(r.range.p50)} / ${ms(r.range.p95)} |`,
  );
}
if (args.includes('--json')) console.log(JSON.stringify(results, null, 2));
