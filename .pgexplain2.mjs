import pg from 'pg'; import { readFileSync } from 'node:fs';
const q = JSON.parse(readFileSync('/tmp/pgsearch.json', 'utf8'));
const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/agentcrm_probe' }); await c.connect();
for (const term of process.argv.slice(2)) {
  const s = q[term].find((x) => x.sql.includes('"contacts"."id" as "id"'));
  const variant = s.sql.replace('"contacts"."id" in (select', '"contacts"."id" = any(array(select').replace(/limit \$4\)$/, 'limit $4))');
  for (const [name, text] of [['any(array)', variant]]) {
    const t0 = performance.now(); for (let i = 0; i < 5; i++) await c.query(text, s.p); 
    console.log(term, name, ((performance.now() - t0) / 5).toFixed(1), 'ms');
  }
  const r = await c.query('explain (analyze) ' + variant, s.p);
  console.log(r.rows.map((x) => x['QUERY PLAN']).join('\n'));
}
await c.end();
