import pg from 'pg'; import { readFileSync } from 'node:fs';
const q = JSON.parse(readFileSync('/tmp/pgsearch.json', 'utf8'));
const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/agentcrm_probe' }); await c.connect();
for (const term of process.argv.slice(2)) {
  const s = q[term].find((x) => x.sql.includes('"contacts"."id" as "id"'));
  console.log('==', term, '\n', s.sql.slice(0, 1500));
  const r = await c.query('explain (analyze, buffers) ' + s.sql, s.p);
  console.log(r.rows.map((x) => x['QUERY PLAN']).join('\n'));
}
await c.end();
