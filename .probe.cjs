const D = require('better-sqlite3'); const db = new D('/tmp/pd/agentcrm.sqlite', { readonly: true });
const ws = db.prepare('select id from workspaces order by created_at limit 1').get().id;
const wsC = db.prepare('select workspace_id w, count(*) n from contacts group by 1 order by 2 desc limit 1').get().w;
for (const term of ['smith', 'gmail.com', 'founder', 'okafor', 'jennifer']) {
  const like = `%${term}%`;
  const inner = `select s.record_id from contacts_search_fts cross join contacts_search as s on s.doc_id = contacts_search_fts.rowid where contacts_search_fts match ? and s.workspace_id = ? and (s.doc like ?) limit 1001`;
  const outer = `select contacts.id from contacts where contacts.workspace_id = ? and contacts.id in (${inner})`;
  const a = db.prepare(outer), b = db.prepare(inner);
  const t = (f) => { for (let i = 0; i < 5; i++) f(); const s = performance.now(); let n; for (let i = 0; i < 30; i++) n = f(); return [((performance.now() - s) / 30).toFixed(2), n.length]; };
  console.log(term, 'outer', t(() => a.all(wsC, `"${term}"`, wsC, like)), 'inner', t(() => b.all(`"${term}"`, wsC, like)));
}
