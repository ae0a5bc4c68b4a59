// per-term timings of the search statements on PostgreSQL, via the app with Kysely's log
import { readFileSync } from 'node:fs';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import pino from 'pino';
const { createApp } = await import('./dist/app.js');
const { loadConfig } = await import('./dist/config.js');
const { postgresCapabilities } = await import('./dist/store/dialect.js');
const url = 'postgres://postgres@127.0.0.1:5432/agentcrm_probe';
let cap = null;
const db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }), log: (e) => { if (cap) cap.push([e.queryDurationMillis, e.query.sql.slice(0, 90), e.query.sql, e.query.parameters]); } });
const store = { db, countersDb: db, dialect: postgresCapabilities, sqlitePath: undefined, ping: async () => {}, durable: async () => {}, durability: () => null, close: () => db.destroy() };
const app = createApp({ config: loadConfig({ DATABASE_URL: url, DATA_DIR: '/tmp/pgprobe', LOG_LEVEL: 'silent' }), store, logger: pino({ level: 'silent' }) });
const token = readFileSync('/tmp/pgprobe.token', 'utf8').trim();
const terms = ['smith','okafor','jennifer','gmail.com','founder','yilmaz','garcia','jonh','aiko','proton'];
const keep = {};
for (const term of terms) {
  for (let i = 0; i < 3; i++) { cap = []; const r = await app.request(`/contacts?search=${encodeURIComponent(term)}`, { headers: { authorization: `Bearer ${token}` } }); await r.text(); }
  console.log(term.padEnd(10), cap.filter((c) => /^\s*(select|with)/.test(c[2])).map((c) => `${c[0].toFixed(1)}ms ${c[1].slice(0, 60)}`).join(' | '));
  keep[term] = cap.filter((c) => /^\s*(select|with)/.test(c[2])).map((c) => ({ sql: c[2], p: c[3] }));
}
(await import('node:fs')).writeFileSync('/tmp/pgsearch.json', JSON.stringify(keep));
process.exit(0);
