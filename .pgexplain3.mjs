import pg from 'pg'; import { readFileSync } from 'node:fs';
const q = JSON.parse(readFileSync('/tmp/pgsearch.json', 'utf8'));
const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/agentcrm_probe' }); await c.connect();
for (const term of process.argv.slice(2)) {
  const s = q[term].find((x) => x.sql.includes('"contacts"."id" as "id"'));
  const variant = s.sql.replace('"contacts"."id" in (select', '"contacts"."id" = any(array(select').replace(/limit \$4\)$/, 'limit $4))');
  for (const seq of ['on', 'off']) {
    await c.query(`set enable_seqscan = ${seq}`);
    const t0 = performance.now(); for (let i = 0; i < 5; i++) await c.query(variant, s.p);
    console.log(term, 'seqscan', seq, ((performance.now() - t0) / 5).toFixed(1), 'ms');
  }
}
await c.end();
