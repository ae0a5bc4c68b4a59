import pg from 'pg'; import { readFileSync } from 'node:fs';
const q = JSON.parse(readFileSync('/tmp/pgsearch.json', 'utf8'));
const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/agentcrm_probe' }); await c.connect();
for (const term of process.argv.slice(2)) {
  const s = q[term].find((x) => x.sql.includes('"contacts"."id" as "id"'));
  const base = s.sql.replace('"contacts"."id" in (select', '"contacts"."id" = any(array(select').replace(/limit \$(\d+)\)$/, 'limit $$$1))');
  const m = /where s\.workspace_id = \$(\d+) and (\(.*\)) limit/.exec(base);
  const dup = base.replace(`and ${m[2]} limit`, `and ${m[2]} and ${m[2]} limit`);
  for (const [name, text] of [['once', base], ['twice', dup]]) {
    const t0 = performance.now(); for (let i = 0; i < 5; i++) await c.query(text, s.p);
    const plan = (await c.query('explain ' + text, s.p)).rows.map((x) => x['QUERY PLAN']).join(' ');
    console.log(term.padEnd(10), name, ((performance.now() - t0) / 5).toFixed(1).padStart(6), 'ms', /Seq Scan on contacts_search/.test(plan) ? 'SEQ' : 'index');
  }
}
await c.end();
