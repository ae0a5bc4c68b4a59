// The floor for POST /contacts with an idempotency key: an in-process loop that runs the same
// statements the server runs for that request (token lookup, the expired-key sweep once a minute,
// key claim in its own commit, then one transaction: email lookup, contact insert, audit insert,
// key completion; the audit row chained after the workspace's last one, under its lock on
// PostgreSQL, hashed by the built server's own code), with the same durability (WAL + synchronous=FULL on SQLite; PostgreSQL's
// defaults), and no HTTP, routing, validation or rendering. Prints one JSON line: { ops, rps }.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { chainRows } from '../dist/audit/chain.js';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const tokenHash = createHash('sha256').update(config.token).digest('hex');
const tag = randomBytes(4).toString('hex');
const response = randomBytes(900).toString('base64'); // the sealed answer is about this long
let n = 0;
// As the server: expired keys are swept at most once a minute (src/idempotency/idempotency.ts).
let lastSweep = -Infinity;
const sweepDue = () => {
  if (performance.now() - lastSweep < 60_000) return false;
  lastSweep = performance.now();
  return true;
};

function values() {
  n++;
  const now = new Date().toISOString();
  const id = `c_${Date.now().toString(32).padStart(9, '0')}${randomBytes(5).toString('hex').slice(0, 7)}`;
  return {
    now,
    id,
    // The row holds a keyed hash of the key, as the server's does (src/idempotency/sealing.ts).
    key: createHmac('sha256', 'bench').update(`floor-${tag}-${n}`).digest('base64url'),
    email: `floor.${tag}.${n}@bench.example`,
    name: `Floor Writer ${n}`,
    expires: new Date(Date.now() + 86_400_000).toISOString(),
    audit: `aud_${Date.now().toString(32)}${randomBytes(6).toString('hex')}`,
    request: `req_${Date.now().toString(32)}${randomBytes(6).toString('hex')}`,
  };
}

const SQL = {
  token: 'select * from tokens where token_hash = $1',
  purge: 'delete from idempotency_keys where workspace_id = $1 and expires_at < $2',
  claim:
    'insert into idempotency_keys (workspace_id, principal, key_hash, key_id, operation, request_hash, status, response, created_at, locked_at, expires_at) ' +
    "values ($1, $2, $3, 'bench', 'contacts.create', $4, 'in_progress', null, $5, $5, $6) on conflict (workspace_id, principal, key_hash) do nothing",
  find: 'select * from contacts where workspace_id = $1 and email = $2 and deleted_at is null',
  insert:
    'insert into contacts (workspace_id, id, name, email, phone, title, stage, company_id, tags, custom, follow_up_at, follow_up_note, version, created_at, updated_at, deleted_at) ' +
    "values ($1, $2, $3, $4, null, null, 'lead', null, '[\"bench\"]', '{}', null, null, 1, $5, $5, null) " +
    'on conflict (workspace_id, email) where email is not null and deleted_at is null do nothing',
  lock: 'select pg_advisory_xact_lock(hashtext($1))',
  head: 'select seq, hash from audit_log where workspace_id = $1 order by seq desc limit 1',
  audit:
    'insert into audit_log (workspace_id, id, at, actor_type, actor_id, token_id, token_name, operation, tool_name, target, changes, reason, request_id, idempotency_key, policy_decision, reason_code, record_version, operation_id, reverts, seq, changes_digest, prev_hash, hash) ' +
    "values ($1, $2, $3, 'agent', $4, $5, $6, 'contacts.create', null, $7, $8, null, $9, $10, 'allow', 'policy.allowed', 1, null, null, $11, $12, $13, $14)",
  complete:
    "update idempotency_keys set status = 'done', response = $1 where workspace_id = $2 and principal = $3 and key_hash = $4",
};

/** The audit insert's values, chained after `head` as the server chains them (src/audit/chain.ts). */
function auditValues(token, v, changes, head) {
  const [row] = chainRows(
    head ? { seq: Number(head.seq), hash: head.hash } : { seq: 0, hash: '0'.repeat(64) },
    [
      {
        workspace_id: token.workspace_id,
        id: v.audit,
        at: v.now,
        actor_type: 'agent',
        actor_id: token.principal_id,
        token_id: token.id,
        token_name: token.name,
        operation: 'contacts.create',
        tool_name: null,
        target: `contact/${v.id}`,
        changes,
        reason: null,
        request_id: v.request,
        idempotency_key: v.key,
        policy_decision: 'allow',
        reason_code: 'policy.allowed',
        record_version: 1,
        operation_id: null,
        reverts: null,
      },
    ],
  );
  return [
    token.workspace_id,
    v.audit,
    v.now,
    token.principal_id,
    token.id,
    token.name,
    `contact/${v.id}`,
    changes,
    v.request,
    v.key,
    row.seq,
    row.changes_digest,
    row.prev_hash,
    row.hash,
  ];
}

async function sqliteLoop(deadline) {
  const db = new SqliteDatabase(path.join(config.dataDir, 'agentcrm.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${config.synchronous ?? 'FULL'}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // $n placeholders (PostgreSQL style, some used twice) become ?, with the values reordered.
  const statements = Object.fromEntries(
    // SQLite has one writer: the chain needs no lock there (nor has the function).
    Object.entries(SQL)
      .filter(([name]) => name !== 'lock')
      .map(([name, text]) => {
        const order = [...text.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]) - 1);
        const statement = db.prepare(text.replace(/\$\d+/g, '?'));
        const bind = (values) => order.map((i) => values[i]);
        return [
          name,
          {
            get: (...values) => statement.get(...bind(values)),
            run: (...values) => statement.run(...bind(values)),
          },
        ];
      }),
  );
  const tx = db.transaction((v, token) => {
    statements.find.get(token.workspace_id, v.email);
    statements.insert.run(token.workspace_id, v.id, v.name, v.email, v.now);
    const changes = JSON.stringify({
      name: [null, v.name],
      email: [null, v.email],
      stage: [null, 'lead'],
      tags: [null, '["bench"]'],
    });
    statements.audit.run(...auditValues(token, v, changes, statements.head.get(token.workspace_id)));
    statements.complete.run(response, token.workspace_id, token.id, v.key);
  });
  let ops = 0;
  while (performance.now() < deadline) {
    const v = values();
    const token = statements.token.get(tokenHash);
    if (sweepDue()) statements.purge.run(token.workspace_id, v.now);
    statements.claim.run(token.workspace_id, token.id, v.key, 'hash', v.now, v.expires);
    tx(v, token);
    ops++;
  }
  db.close();
  return ops;
}

async function postgresLoop(deadline) {
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.concurrency });
  let ops = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const v = values();
      const token = (await pool.query(SQL.token, [tokenHash])).rows[0];
      if (sweepDue()) await pool.query(SQL.purge, [token.workspace_id, v.now]);
      await pool.query(SQL.claim, [token.workspace_id, token.id, v.key, 'hash', v.now, v.expires]);
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(SQL.find, [token.workspace_id, v.email]);
        await client.query(SQL.insert, [token.workspace_id, v.id, v.name, v.email, v.now]);
        await client.query(SQL.lock, [`agentcrm:audit_chain:${token.workspace_id}`]);
        const head = (await client.query(SQL.head, [token.workspace_id])).rows[0];
        const changes = JSON.stringify({ name: [null, v.name], email: [null, v.email] });
        await client.query(SQL.audit, auditValues(token, v, changes, head));
        await client.query(SQL.complete, [response, token.workspace_id, token.id, v.key]);
        await client.query('commit');
      } finally {
        client.release();
      }
      ops++;
    }
  };
  await Promise.all(Array.from({ length: config.concurrency }, worker));
  await pool.end();
  return ops;
}

const started = performance.now();
const cpu = process.cpuUsage();
const deadline = started + config.duration * 1000;
const ops = config.databaseUrl ? await postgresLoop(deadline) : await sqliteLoop(deadline);
const seconds = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
const cpu_us = (used.user + used.system) / Math.max(ops, 1);
process.stdout.write(`${JSON.stringify({ requests: ops, rps: ops / seconds, seconds, cpu_us })}\n`);
