import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type Dialect, documentSql } from './search-document.js';
import type { SearchIndex, SearchMatch } from './types.js';

export type { SearchIndex, SearchMatch } from './types.js';

/**
 * Full-text search over a record table, the same semantics on both databases.
 *
 * Every live row has a search document: its fields lower-cased (ASCII), punctuation turned into
 * spaces, runs of spaces collapsed, laid out as ` <fuzzy fields> | <other fields> `. A query phrase
 * matches a row when it is a substring of the document, or when one of its typo corrections is a
 * whole word of the fuzzy part (before the `|`). Corrections come from `search_words`, a
 * per-workspace vocabulary of the fuzzy fields' words (without digits) keyed by their
 * one-character deletions.
 *
 Both databases store the document of each live row in `<table>_search`, kept in step by
 * triggers in the writing transaction (a soft-deleted row's document is removed):
 * - SQLite indexes it with an FTS5 trigram table (external content), which finds candidates; the
 *   exact LIKE tests then run on the stored document.
 * - PostgreSQL indexes it with a pg_trgm GIN index, which serves the same LIKE tests directly.
 * The document is stored rather than computed at query time because rechecking thousands of
 * candidates against a computed expression costs far more than reading a column.
 *
 * The vocabulary is filled by the same triggers. It only grows: a word that left the data stays
 * a candidate correction, and the final LIKE against the current document decides, so stale
 * words never change a result.
 *
 * Changing an index's fields needs a migration that drops and re-creates it. The index itself
 * (SearchIndex: a table and its fields) and a query's SearchMatch are declared in types.ts.
 */

/** Shortest phrase the trigram indexes can serve; shorter ones only filter. */
export const MIN_INDEXED_LENGTH = 3;
/** Vocabulary words are 4 to 40 characters; corrections are offered for query words of 5 or more. */
export const VOCABULARY_MIN = 4;
export const VOCABULARY_MAX = 40;
export const FUZZY_MIN = 5;

/**
 * Adds to the vocabulary the fuzzy words (the document before its `|`) of the stored documents
 * `where` selects (alias d): each word of 4–40 characters without digits, keyed by itself and,
 * from 5 characters, by each of its one-character deletions. A word whose own entry exists is
 * skipped (its keys were written with it), so a write costs one lookup per known word.
 */
function vocabularySql(dialect: Dialect, table: string, where: string): string {
  const key = (p: string) =>
    `case when ${p} = 0 then w.word else substr(w.word, 1, ${p} - 1) || substr(w.word, ${p} + 1) end`;
  const last = `case when length(w.word) >= ${FUZZY_MIN} then length(w.word) else 0 end`;
  // On PostgreSQL the comparison must carry the index's "C" collation, or the lookup cannot use it.
  const fresh = (word: string) => `length(${word}) between ${VOCABULARY_MIN} and ${VOCABULARY_MAX}
    and not exists (select 1 from search_words as x
      where x.workspace_id = d.workspace_id and x.key = ${word} and x.word = ${word})`;
  if (dialect === 'postgres') {
    // Sorted, so concurrent writers adding the same new words take their locks in one order.
    return `insert into search_words (workspace_id, key, word)
      select w.workspace_id, ${key('p.n')}, w.word
      from (select distinct d.workspace_id, u.word
        from ${table}_search as d, unnest(string_to_array(split_part(d.doc, '|', 1), ' ')) as u(word)
        where ${where} and u.word !~ '[0-9]' and ${fresh('(u.word collate "C")')}) as w
      cross join lateral generate_series(0, ${last}) as p(n)
      order by 2, 3
      on conflict do nothing`;
  }
  // The document has no quotes, backslashes or control characters left, so its words make a JSON
  // array; json_valid only guards the write against a surprise.
  const json = `'["' || replace(trim(substr(d.doc, 1, instr(d.doc, '|') - 1)), ' ', '","') || '"]'`;
  const positions = `[${Array.from({ length: VOCABULARY_MAX + 1 }, (_, i) => i).join(',')}]`;
  return `insert or ignore into search_words (workspace_id, key, word)
    select w.workspace_id, ${key('p.value')}, w.word
    from (select distinct d.workspace_id, j.value as word
      from ${table}_search as d, json_each(case when json_valid(${json}) then ${json} else '[]' end) as j
      where ${where} and j.value not glob '*[0-9]*' and ${fresh('j.value')}) as w
    join json_each('${positions}') as p on p.value <= ${last}`;
}

const indexedFields = (index: SearchIndex) =>
  [...new Set([...index.fuzzy, ...index.text, ...index.digits, 'deleted_at'])].join(', ');
const removeSql = (t: string) =>
  `delete from ${t}_search where workspace_id = old.workspace_id and record_id = old.id`;
const THIS_ROW = 'd.workspace_id = new.workspace_id and d.record_id = new.id';
const addSql = (dialect: Dialect, index: SearchIndex, where: string) => `insert into ${index.table}_search
    (workspace_id, record_id, doc)
    select new.workspace_id, new.id, ${documentSql(dialect, index, (f) => `new."${f}"`)}${where}`;

/** SQLite: the triggers that keep a record's search document and the vocabulary in step with it. */
function sqliteRecordTriggers(index: SearchIndex): string[] {
  const t = index.table;
  return [
    `create trigger ${t}_search_insert after insert on ${t} when new.deleted_at is null begin
    ${addSql('sqlite', index, '')};
    ${vocabularySql('sqlite', t, THIS_ROW)};
    end`,
    `create trigger ${t}_search_update after update of ${indexedFields(index)} on ${t} begin
    ${removeSql(t)};
    ${addSql('sqlite', index, ' where new.deleted_at is null')};
    ${vocabularySql('sqlite', t, THIS_ROW)};
    end`,
  ];
}

/**
 * SQLite: re-creates the record table's insert and update triggers from the current SQL (for a
 * migration that changes how the document is computed, not what it contains).
 */
export async function recreateSqliteRecordTriggers(db: Kysely<unknown>, index: SearchIndex) {
  for (const event of ['insert', 'update'])
    await sql.raw(`drop trigger ${index.table}_search_${event}`).execute(db);
  for (const statement of sqliteRecordTriggers(index)) await sql.raw(statement).execute(db);
}

/** Creates the search index of one table and indexes the rows it already has (migrations only). */
export async function createSearchIndex(db: Kysely<unknown>, dialect: Dialect, index: SearchIndex) {
  const t = index.table;
  const run = (statement: string) => sql.raw(statement).execute(db);
  const doc = (row: string) => documentSql(dialect, index, (f) => `${row}."${f}"`);
  const text = dialect === 'postgres' ? 'text collate "C"' : 'text';
  const fields = indexedFields(index);
  const remove = removeSql(t);
  const add = (where: string) => addSql(dialect, index, where);

  const backfill = `insert into ${t}_search (workspace_id, record_id, doc)
    select workspace_id, id, ${doc(t)} from ${t} where deleted_at is null`;

  // Existing rows are indexed before the triggers and indexes exist: bulk builds are far faster.
  if (dialect === 'postgres') {
    // No writes to the table until this migration commits, so no row is missed in between.
    await run(`lock table ${t} in share mode`);
    await run(`create table ${t}_search (workspace_id ${text} not null, record_id ${text} not null,
      doc ${text} not null, primary key (workspace_id, record_id))`);
    await run(backfill);
    const opclass = `${await trigramSchema(db)}.gin_trgm_ops`;
    await run(`create index ${t}_search_trgm on ${t}_search using gin (doc ${opclass})`);
    await run(vocabularySql('postgres', t, 'true'));
    await run(`create function ${t}_search_sync() returns trigger language plpgsql as $fn$
      begin
        if tg_op <> 'INSERT' then ${remove}; end if;
        if tg_op <> 'DELETE' and new.deleted_at is null then
          ${add('')};
          ${vocabularySql('postgres', t, THIS_ROW)};
        end if;
        return null;
      end $fn$`);
    await run(`create trigger ${t}_search_sync after insert or update of ${fields} or delete on ${t}
      for each row execute function ${t}_search_sync()`);
    return;
  }
  await run(`create table ${t}_search (doc_id integer primary key, workspace_id text not null,
    record_id text not null, doc text not null)`);
  await run(backfill);
  await run(`create unique index ${t}_search_record on ${t}_search (workspace_id, record_id)`);
  await run(`create virtual table ${t}_search_fts using fts5 (doc, content='${t}_search',
    content_rowid='doc_id', tokenize='trigram')`);
  await run(`insert into ${t}_search_fts (${t}_search_fts) values ('rebuild')`);
  await run(vocabularySql('sqlite', t, 'true'));
  await run(`create trigger ${t}_search_fts_insert after insert on ${t}_search begin
    insert into ${t}_search_fts (rowid, doc) values (new.doc_id, new.doc); end`);
  await run(`create trigger ${t}_search_fts_delete after delete on ${t}_search begin
    insert into ${t}_search_fts (${t}_search_fts, rowid, doc) values ('delete', old.doc_id, old.doc); end`);
  for (const statement of sqliteRecordTriggers(index)) await run(statement);
  await run(`create trigger ${t}_search_delete after delete on ${t} begin ${remove}; end`);
}

/** Drops what createSearchIndex made (the vocabulary table is shared and stays). */
export async function dropSearchIndex(db: Kysely<unknown>, dialect: Dialect, index: SearchIndex) {
  const t = index.table;
  const run = (statement: string) => sql.raw(statement).execute(db);
  if (dialect === 'postgres') {
    await run(`drop trigger ${t}_search_sync on ${t}`);
    await run(`drop function ${t}_search_sync()`);
  } else {
    for (const event of ['insert', 'update', 'delete']) await run(`drop trigger ${t}_search_${event}`);
    await run(`drop table ${t}_search_fts`);
  }
  await run(`drop table ${t}_search`);
}

/**
 * pg_trgm lives in one schema per database; it is created in public (never in a schema that may be
 * dropped with its tables) under a lock, since several schemas may migrate at once.
 */
async function trigramSchema(db: Kysely<unknown>): Promise<string> {
  await sql`select pg_advisory_xact_lock(hashtext('agentcrm:pg_trgm'))`.execute(db);
  await sql`create extension if not exists pg_trgm with schema public`.execute(db);
  const { rows } = await sql<{ schema: string }>`select n.nspname as schema from pg_extension e
    join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(db);
  return `"${rows[0]!.schema}"`;
}

const literalPattern = (literal: string) => `%${literal}%`;
const wordPattern = (word: string) => `% ${word} %|%`;

function likeTests(document: RawBuilder<unknown>, match: SearchMatch): RawBuilder<boolean> {
  const phrases = match.phrases.map((phrase) => {
    const tests = [
      sql<boolean>`${document} like ${literalPattern(phrase.literal)}`,
      ...phrase.corrections.map((word) => sql<boolean>`${document} like ${wordPattern(word)}`),
    ];
    return sql<boolean>`(${sql.join(tests, sql` or `)})`;
  });
  return sql<boolean>`(${sql.join(phrases, sql` and `)})`;
}

/** An FTS5 query that finds a superset of the rows: every indexable phrase, any alternative. */
function ftsQuery(match: SearchMatch): string | null {
  const groups = match.phrases
    .filter((phrase) => [...phrase.literal].length >= MIN_INDEXED_LENGTH)
    .map((phrase) => {
      const alternatives = [`"${phrase.literal}"`, ...phrase.corrections.map((word) => `" ${word} "`)];
      return `(${alternatives.join(' OR ')})`;
    });
  return groups.length ? groups.join(' AND ') : null;
}

export function searchMatchSqlite(index: SearchIndex, workspaceId: string, match: SearchMatch) {
  const fts = ftsQuery(match);
  const docs = sql.table(`${index.table}_search`);
  const likes = likeTests(sql.ref('s.doc'), match);
  if (!fts) {
    return sql<boolean>`${sql.ref(`${index.table}.id`)} in (select s.record_id from ${docs} as s
      where s.workspace_id = ${workspaceId} and ${likes})`;
  }
  // CROSS JOIN makes SQLite start from the FTS matches rather than from every document of the workspace.
  const table = sql.table(`${index.table}_search_fts`);
  return sql<boolean>`${sql.ref(`${index.table}.id`)} in (select s.record_id from ${table}
    cross join ${docs} as s on s.doc_id = ${table}.rowid
    where ${table} match ${fts} and s.workspace_id = ${workspaceId} and ${likes})`;
}

/** The trigram GIN index serves the LIKE tests themselves. */
export function searchMatchPostgres(index: SearchIndex, workspaceId: string, match: SearchMatch) {
  return sql<boolean>`${sql.ref(`${index.table}.id`)} in (select s.record_id from ${sql.table(`${index.table}_search`)} as s
    where s.workspace_id = ${workspaceId} and ${likeTests(sql.ref('s.doc'), match)})`;
}

/**
 * The record ids of up to `limit` matching rows, in no particular order: how a query learns
 * whether a search is broad before it ranks anything (src/records/search/search.repository.ts).
 */
export function searchCandidates(
  dialect: Dialect,
  index: SearchIndex,
  workspaceId: string,
  match: SearchMatch,
  limit: number,
): RawBuilder<{ record_id: string }> {
  const docs = sql.table(`${index.table}_search`);
  const likes = likeTests(sql.ref('s.doc'), match);
  if (dialect === 'postgres') {
    // The tests appear twice on purpose. PostgreSQL guesses about 1% of documents match a LIKE; at
    // that guess a rare name (0.1%) looks cheap to find by reading documents until `limit` match,
    // and reads every document instead (20 ms at 100k, ten times that at 1M). Stated twice, the
    // guess squares (0.01%) and the planner takes the trigram index, whose cost follows the number
    // of matches, not the size of the table; the second test only rechecks rows that passed.
    return sql`select s.record_id from ${docs} as s
      where s.workspace_id = ${workspaceId} and ${likes} and ${likes} limit ${limit}`;
  }
  const fts = ftsQuery(match);
  if (!fts) {
    return sql`select s.record_id from ${docs} as s where s.workspace_id = ${workspaceId} and ${likes} limit ${limit}`;
  }
  const table = sql.table(`${index.table}_search_fts`);
  return sql`select s.record_id from ${table} cross join ${docs} as s on s.doc_id = ${table}.rowid
    where ${table} match ${fts} and s.workspace_id = ${workspaceId} and ${likes} limit ${limit}`;
}

/**
 * The same match as a test of each row on its own (one lookup of its stored document), for broad
 * searches: the list then walks its ordinary index in order and stops after one page, instead of
 * collecting every match first.
 */
export function searchMatchEach(index: SearchIndex, match: SearchMatch): RawBuilder<boolean> {
  const t = index.table;
  return sql<boolean>`exists (select 1 from ${sql.table(`${t}_search`)} as s
    where s.workspace_id = ${sql.ref(`${t}.workspace_id`)} and s.record_id = ${sql.ref(`${t}.id`)}
    and ${likeTests(sql.ref('s.doc'), match)})`;
}
