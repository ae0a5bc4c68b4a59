// The floor of the batch scenario on SQLite: the statements the set-based batch path runs for
// 1,000 new contacts (key lookup, plan-cap charge, contacts, audit rows chained by hash after the
// workspace's last one, field_writers, counter, events), as raw prepared multi-row statements on better-sqlite3, in two durable transactions
// (WAL, synchronous=FULL), timed per statement. Usage, on a migrated (and seeded) database:
//   node bench/batch-floor.cjs path/to/agentcrm.sqlite
// It writes into a workspace `w1` of that file: run it on a copy.
const { createHash } = require('node:crypto');
const Database = require('better-sqlite3');

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

const db = new Database(process.argv[2]);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.prepare(
  "insert or ignore into workspaces(id,name,plan,created_at,updated_at) values ('w1','w','sandbox','x','x')",
).run();
db.prepare("insert or ignore into event_counters(workspace_id,last_seq) values ('w1',0)").run();
db.prepare(
  "insert or ignore into usage_counters(workspace_id,resource,used,updated_at) values ('w1','contacts',0,'x')",
).run();

const tag = Date.now().toString(36);
const values = (rows, columns) =>
  Array(rows)
    .fill(`(${Array(columns).fill('?').join(',')})`)
    .join(',');
const look = db.prepare(
  `select email from contacts where workspace_id = 'w1' and email in (${Array(500).fill('?').join(',')}) and deleted_at is null`,
);
const charge = db.prepare(
  "update usage_counters set used = used + 500 where workspace_id = 'w1' and resource = 'contacts' and used + 500 <= 100000000",
);
const contacts = db.prepare(
  `insert into contacts (workspace_id,id,name,email,stage,tags,custom,version,created_at,updated_at,do_not_contact,deleted_at) values ${values(500, 12)} on conflict (workspace_id, email) where email is not null and deleted_at is null do nothing returning id`,
);
const head = db.prepare(
  "select seq, hash from audit_log where workspace_id = 'w1' order by seq desc limit 1",
);
const audit = db.prepare(
  `insert into audit_log (workspace_id,id,at,actor_type,actor_id,operation,target,changes,policy_decision,reason_code,record_version,operation_id,request_id,seq,changes_digest,prev_hash,hash) values ${values(500, 17)}`,
);
const writers = db.prepare(
  `insert into field_writers (workspace_id,target,field,actor_type,actor_id,audit_id,at) values ${values(2000, 7)} on conflict (workspace_id,target,field) do update set actor_id = excluded.actor_id`,
);
const counter = db.prepare(
  "update event_counters set last_seq = last_seq + 500 where workspace_id = 'w1' returning last_seq",
);
const events = db.prepare(
  `insert into events (workspace_id,seq,id,at,type,target,operation,actor,changes,request_id) values ${values(500, 10)}`,
);

const steps = {};
const totals = [];
const rounds = 6;
for (let round = 0; round < rounds; round++) {
  const started = performance.now();
  let last = started;
  const step = (name) => {
    const now = performance.now();
    if (round > 0) steps[name] = (steps[name] ?? 0) + now - last;
    last = now;
  };
  for (let half = 0; half < 2; half++) {
    db.exec('begin');
    step('begin');
    const ids = Array.from({ length: 500 }, (_, i) => `${tag}_${round}_${half}_${i}`);
    const changes = (i) =>
      JSON.stringify({
        name: [null, `Batch ${i}`],
        email: [null, `b.${i}@bench.example`],
        stage: [null, 'lead'],
        tags: [null, '["bench"]'],
      });
    look.all(ids.map((i) => `b.${i}@bench.example`));
    step('lookup');
    charge.run();
    step('charge');
    contacts.all(
      ids.flatMap((i) => [
        'w1',
        `c_${i}`,
        `Batch ${i}`,
        `b.${i}@bench.example`,
        'lead',
        '["bench"]',
        '{}',
        1,
        'now',
        'now',
        0,
        null,
      ]),
    );
    step('contacts');
    // The chain's work (src/audit/chain.ts): the head, then two SHA-256 per row.
    let link = head.get() ?? { seq: 0, hash: '0'.repeat(64) };
    audit.run(
      ids.flatMap((i) => {
        const row = ['w1', `aud_${i}`, 'now', 'user', 'usr_1', 'contacts.batch_upsert', `contact/c_${i}`];
        const digest = sha256(changes(i));
        const seq = link.seq + 1;
        const hash = sha256(JSON.stringify([...row, seq, digest, link.hash]));
        const values = [
          ...row,
          changes(i),
          'allow',
          'policy.allowed',
          1,
          'op_1',
          'req_1',
          seq,
          digest,
          link.hash,
          hash,
        ];
        link = { seq, hash };
        return values;
      }),
    );
    step('audit');
    writers.run(
      ids.flatMap((i) =>
        ['name', 'email', 'stage', 'tags'].flatMap((f) => [
          'w1',
          `contact/c_${i}`,
          f,
          'user',
          'usr_1',
          `aud_${i}`,
          'now',
        ]),
      ),
    );
    step('field_writers');
    const seq = Number(counter.get().last_seq);
    step('counter');
    events.run(
      ids.flatMap((i, k) => [
        'w1',
        seq - 499 + k,
        `evt_${i}`,
        'now',
        'contact.created',
        `contact/c_${i}`,
        'contacts.batch_upsert',
        'user/usr_1',
        changes(i),
        'req_1',
      ]),
    );
    step('events');
    db.exec('commit');
    step('commit');
  }
  if (round > 0) totals.push(performance.now() - started);
}
totals.sort((a, b) => a - b);
const median = totals[Math.floor(totals.length / 2)];
console.log(
  Object.fromEntries(
    Object.entries(steps).map(([name, ms]) => [name, `${(ms / (rounds - 1)).toFixed(1)} ms`]),
  ),
);
console.log(
  `1,000 records: median ${median.toFixed(1)} ms → ${Math.round(1000 / (median / 1000))} records/s`,
);
