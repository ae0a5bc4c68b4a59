import { type Kysely, type RawBuilder, sql } from 'kysely';
import { SEPARATOR_CODES } from '../search/normalise.js';

/**
 * Full-text search over a record table, the same semantics on both databases.
 *
 * Every live row has a search document: its fields lower-cased (ASCII), punctuation turned into
 * spaces, runs of spaces collapsed, laid out as ` <fuzzy fields> | <other fields> `. A query phrase
 * matches a row when it is a substring of the document, or when one of its typo corrections is a
 * whole word of the fuzzy part (before the `|`). Corrections come from `search_words`, a
 * per-workspace vocabulary of the fuzzy fields' words keyed by their one-character deletions.
 *
 * - SQLite: the document is stored in `<table>_search` (kept in step by triggers, in the writing
 *   transaction; soft-deleted rows are removed) and indexed by an FTS5 trigram table, which finds
 *   candidates; the exact LIKE test then runs on the stored document.
 * - PostgreSQL: the document is an expression over the row, indexed by a pg_trgm GIN index
 *   (partial: live rows only) that serves the same LIKE tests directly.
 *
 * The vocabulary is filled by triggers on both. It only grows: a word that left the data stays
 * a candidate correction, and the final LIKE against the current document decides, so stale
 * words never change a result.
 *
 * Changing an index's fields needs a migration that drops and re-creates it.
 */
export interface SearchIndex {
  /** The record table: it has workspace_id, id and deleted_at. */
  table: string;
  /** Typo-tolerant fields: their words go to the vocabulary. */
  fuzzy: readonly string[];
  /** Fields matched as substrings only. */
  text: readonly string[];
  /** Fields also indexed without ` +()-.` (phone numbers: `5550100` finds `+1 555-0100`). */
  digits: readonly string[];
}

/** What a row must match: every phrase, through its literal text or one of its corrections. */
export interface SearchMatch {
  phrases: readonly { literal: string; corrections: readonly string[] }[];
}

/** Shortest phrase the trigram indexes can serve; shorter ones only filter. */
export const MIN_INDEXED_LENGTH = 3;
/** Vocabulary words are 4 to 40 characters; corrections are offered for query words of 5 or more. */
export const VOCABULARY_MIN = 4;
export const VOCABULARY_MAX = 40;
export const FUZZY_MIN = 5;
const DIGIT_PUNCTUATION = ' +()-.';

type Dialect = 'sqlite' | 'postgres';
type Column = (field: string) => string;

const concat = (fields: readonly string[], column: Column) =>
  fields.length ? fields.map((f) => `coalesce(${column(f)}, '')`).join(` || ' ' || `) : `''`;

function separate(dialect: Dialect, expression: string): string {
  if (dialect === 'postgres') {
    const from = SEPARATOR_CODES.map((code) => `\\x${code.toString(16).padStart(2, '0')}`).join('');
    return `translate(lower((${expression}) collate "C"), E'${from}', '${' '.repeat(SEPARATOR_CODES.length)}')`;
  }
  return SEPARATOR_CODES.reduce(
    (inner, code) => `replace(${inner}, char(${code}), ' ')`,
    `lower(${expression})`,
  );
}

function digitsOnly(dialect: Dialect, expression: string): string {
  if (dialect === 'postgres') return `translate(${expression}, '${DIGIT_PUNCTUATION}', '')`;
  return [...DIGIT_PUNCTUATION].reduce((inner, c) => `replace(${inner}, '${c}', '')`, expression);
}

const collapse = (expression: string) =>
  Array.from({ length: 5 }).reduce<string>((inner) => `replace(${inner}, '  ', ' ')`, expression);

/** The search document of a row, as SQL over its columns. */
export function documentSql(dialect: Dialect, index: SearchIndex, column: Column): string {
  const fuzzy = separate(dialect, concat(index.fuzzy, column));
  const digits = index.digits.map((f) => digitsOnly(dialect, `coalesce(${column(f)}, '')`));
  const others = [...index.text.map((f) => `coalesce(${column(f)}, '')`), ...digits];
  const other = separate(dialect, others.length ? others.join(` || ' ' || `) : `''`);
  return collapse(`' ' || ${fuzzy} || ' | ' || ${other} || ' '`);
}

const fuzzyWordsSource = (dialect: Dialect, index: SearchIndex, column: Column) =>
  separate(dialect, concat(index.fuzzy, column));

const POSITIONS = `[${Array.from({ length: VOCABULARY_MAX + 1 }, (_, i) => i).join(',')}]`;

/**
 * Inserts the vocabulary entries of the row `row` (`new` in a trigger, an alias in a backfill):
 * each fuzzy word of 4–40 characters keyed by itself and, from 5 characters, by each of its
 * one-character deletions.
 */
function vocabularySql(dialect: Dialect, index: SearchIndex, row: string, from: string): string {
  const column: Column = (f) => `${row}."${f}"`;
  const words = fuzzyWordsSource(dialect, index, column);
  const key = (w: string, p: string) =>
    `case when ${p} = 0 then ${w} else substr(${w}, 1, ${p} - 1) || substr(${w}, ${p} + 1) end`;
  const keep = (w: string, p: string) =>
    `length(${w}) between ${VOCABULARY_MIN} and ${VOCABULARY_MAX} and (${p} = 0 or (length(${w}) >= ${FUZZY_MIN} and ${p} <= length(${w})))`;
  const live = from ? ` and ${row}.deleted_at is null` : '';
  if (dialect === 'postgres') {
    return `insert into search_words (workspace_id, key, word)
      select ${row}.workspace_id, ${key('w.word', 'p.n')}, w.word
      from ${from ? `${from}, ` : ''}unnest(string_to_array(${words}, ' ')) as w(word)
      cross join generate_series(0, ${VOCABULARY_MAX}) as p(n)
      where ${keep('w.word', 'p.n')}${live}
      on conflict do nothing`;
  }
  // The fuzzy text has no quotes, backslashes or control characters left, so it splits into a
  // JSON array of words; json_valid only guards the write against a surprise.
  const json = `'["' || replace(trim(${words}), ' ', '","') || '"]'`;
  return `insert or ignore into search_words (workspace_id, key, word)
    select ${row}.workspace_id, ${key('w.value', 'p.value')}, w.value
    from ${from ? `${from}, ` : ''}json_each(case when json_valid(${json}) then ${json} else '[]' end) as w
    join json_each('${POSITIONS}') as p
    where ${keep('w.value', 'p.value')}${live}`;
}

/** Creates the search index of one table and indexes the rows it already has (migrations only). */
export async function createSearchIndex(db: Kysely<unknown>, dialect: Dialect, index: SearchIndex) {
  const t = index.table;
  const run = (statement: string) => sql.raw(statement).execute(db);
  if (dialect === 'postgres') {
    const opclass = `${await trigramSchema(db)}.gin_trgm_ops`;
    const doc = documentSql('postgres', index, (f) => `"${f}"`);
    await run(
      `create index ${t}_search_trgm on ${t} using gin ((${doc}) ${opclass}) where deleted_at is null`,
    );
    await run(`create function ${t}_search_words() returns trigger language plpgsql as $fn$
      begin ${vocabularySql('postgres', index, 'new', '')}; return null; end $fn$`);
    const columns = [...index.fuzzy, 'deleted_at'].join(', ');
    await run(`create trigger ${t}_search_words after insert or update of ${columns} on ${t}
      for each row when (new.deleted_at is null) execute function ${t}_search_words()`);
    await run(vocabularySql('postgres', index, 'r', `${t} as r`));
    return;
  }
  const doc = (row: string) => documentSql('sqlite', index, (f) => `${row}."${f}"`);
  await run(`create table ${t}_search (doc_id integer primary key, workspace_id text not null,
    record_id text not null, doc text not null)`);
  await run(`create unique index ${t}_search_record on ${t}_search (workspace_id, record_id)`);
  await run(`create virtual table ${t}_search_fts using fts5 (doc, content='${t}_search',
    content_rowid='doc_id', tokenize='trigram')`);
  await run(`create trigger ${t}_search_fts_insert after insert on ${t}_search begin
    insert into ${t}_search_fts (rowid, doc) values (new.doc_id, new.doc); end`);
  await run(`create trigger ${t}_search_fts_delete after delete on ${t}_search begin
    insert into ${t}_search_fts (${t}_search_fts, rowid, doc) values ('delete', old.doc_id, old.doc); end`);
  const remove = `delete from ${t}_search where workspace_id = old.workspace_id and record_id = old.id`;
  await run(`create trigger ${t}_search_insert after insert on ${t} when new.deleted_at is null begin
    insert into ${t}_search (workspace_id, record_id, doc) values (new.workspace_id, new.id, ${doc('new')});
    ${vocabularySql('sqlite', index, 'new', '')};
    end`);
  const fields = [...index.fuzzy, ...index.text, ...index.digits];
  await run(`create trigger ${t}_search_update after update of ${[...new Set(fields), 'deleted_at'].join(', ')}
    on ${t} begin
    ${remove};
    insert into ${t}_search (workspace_id, record_id, doc)
      select new.workspace_id, new.id, ${doc('new')} where new.deleted_at is null;
    ${vocabularySql('sqlite', index, 'new', '')} and new.deleted_at is null;
    end`);
  await run(`create trigger ${t}_search_delete after delete on ${t} begin ${remove}; end`);
  await run(`insert into ${t}_search (workspace_id, record_id, doc)
    select workspace_id, id, ${doc(t)} from ${t} where deleted_at is null`);
  await run(vocabularySql('sqlite', index, 'r', `${t} as r`));
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
  const t = index.table;
  const fts = ftsQuery(match);
  const candidates = fts
    ? sql`and s.doc_id in (select rowid from ${sql.table(`${t}_search_fts`)} where ${sql.table(`${t}_search_fts`)} match ${fts})`
    : sql``;
  return sql<boolean>`${sql.ref(`${t}.id`)} in (select s.record_id from ${sql.table(`${t}_search`)} as s
    where s.workspace_id = ${workspaceId} ${candidates} and ${likeTests(sql.ref('s.doc'), match)})`;
}

export function searchMatchPostgres(index: SearchIndex, _workspaceId: string, match: SearchMatch) {
  // The same expression text as the index's, so the planner uses the trigram index.
  const document = sql.raw(documentSql('postgres', index, (f) => `"${index.table}"."${f}"`));
  return likeTests(document, match);
}
