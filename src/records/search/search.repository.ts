import { type RawBuilder, sql } from 'kysely';
import type { DialectCapabilities } from '../../store/dialect.js';
import type { WorkspaceDb } from '../../store/scoped.js';
import {
  type SearchIndex,
  type SearchMatch,
  searchCandidates,
  searchMatchEach,
} from '../../store/search-index.js';
import type { SearchHook } from '../query/apply.js';
import { deletionKeys, withinOneEdit } from './fuzzy.js';
import { planSearch, type SearchPlan } from './plan.js';

/** How one kind of record is searched and ranked. */
export interface SearchSpec {
  index: SearchIndex;
  /** Ranked highest: exact value, then prefix, then word start, then substring. */
  primary: readonly string[];
  /** A substring here lifts a row a little above matches in the other fields. */
  secondary: readonly string[];
}

/**
 * A search matching more rows than this is broad: ranking it would read and score every match
 * (a common word, a mail domain), so its rows come in the list's ordinary order instead, found by
 * walking that order and testing each row (see searchFor).
 */
export const RANK_AT_MOST = 1000;

/** More corrections than this for one word means the word is too common to correct usefully. */
export const MAX_CORRECTIONS = 20;

/**
 * The vocabulary words one edit away from each fuzzy query word, in a stable order. Every live
 * row's fuzzy words are in the vocabulary, so a correction list only changes when data changes.
 */
async function corrections(ws: WorkspaceDb, plan: SearchPlan): Promise<Map<string, string[]>> {
  const fuzzy = plan.words.filter((w) => w.fuzzy).map((w) => w.phrase);
  const result = new Map<string, string[]>();
  if (fuzzy.length === 0) return result;
  const keys = [...new Set(fuzzy.flatMap(deletionKeys))];
  const rows = await ws
    .selectFrom('search_words')
    .select('word')
    .distinct()
    .where('key', 'in', keys)
    .execute();
  for (const word of fuzzy) {
    const near = rows
      .map((row) => row.word)
      .filter((candidate) => withinOneEdit(word, candidate))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, MAX_CORRECTIONS);
    result.set(word, near);
  }
  return result;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * A relevance score, the same integer on both databases: per query word, a primary field scores
 * 8 when it starts with the word, 4 when one of its words does, 2 when it contains it; a secondary
 * field 1 when it contains it; a primary field equal to the whole query adds 16. Matches found
 * only in other fields or only through a typo correction score 0 and come after, oldest first.
 */
function rankSql(dialect: DialectCapabilities, spec: SearchSpec, plan: SearchPlan): RawBuilder<number> {
  const field = (name: string) => dialect.lowerAscii(sql.ref(`${spec.index.table}.${name}`));
  const like = (name: string, pattern: string) => sql<boolean>`${field(name)} like ${pattern} escape '\\'`;
  const parts: RawBuilder<number>[] = spec.primary.map(
    (name) => sql<number>`(case when ${field(name)} = ${plan.whole} then 16 else 0 end)`,
  );
  for (const word of plan.words) {
    const text = escapeLike(word.raw);
    for (const name of spec.primary) {
      parts.push(sql<number>`(case when ${like(name, `${text}%`)} then 8 when ${like(name, `% ${text}%`)} then 4
        when ${like(name, `%${text}%`)} then 2 else 0 end)`);
    }
    for (const name of spec.secondary) {
      parts.push(sql<number>`(case when ${like(name, `%${text}%`)} then 1 else 0 end)`);
    }
  }
  return sql<number>`(${sql.join(parts, sql` + `)})`;
}

/** The `search=` hook of a list query over `spec`'s table. */
export function searchFor(ws: WorkspaceDb, spec: SearchSpec): SearchHook {
  return async (term) => {
    const plan = planSearch(term);
    const found = await corrections(ws, plan);
    const match: SearchMatch = {
      phrases: plan.words.map((w) => ({ literal: w.phrase, corrections: found.get(w.phrase) ?? [] })),
    };
    const dialect = ws.dialect.name;
    const table = spec.index.table;
    // Up to one more than can be ranked: the index stops there, however many rows match.
    const firstMatches = searchCandidates(dialect, spec.index, ws.workspaceId, match, RANK_AT_MOST + 1);
    // On PostgreSQL `id in (subquery)` lets the planner hash-join the matches against a scan of
    // every record of the workspace (15 ms at 100k); `= any(array(…))` computes the matches first,
    // then looks each up by primary key.
    const matched =
      dialect === 'postgres'
        ? sql<boolean>`${sql.ref(`${table}.id`)} = any(array(${firstMatches}))`
        : sql<boolean>`${sql.ref(`${table}.id`)} in (${firstMatches})`;
    // biome-ignore lint/suspicious/noExplicitAny: the searchable table is the spec's, not a literal
    const candidates: { id: string }[] = await (ws.selectFrom(table as 'contacts') as any)
      .where(matched)
      .select(`${table}.id as id`)
      .execute();
    if (candidates.length > RANK_AT_MOST) {
      return {
        where: searchMatchEach(spec.index, match),
        warning: {
          code: 'search_broad',
          message: `more than ${RANK_AT_MOST} records match "${term.trim()}", so they are listed in the usual order (sort=), not by relevance`,
        },
      };
    }
    // The matches are known now: rank just those, without searching again.
    const ids = candidates.map((row) => row.id);
    const id = sql.ref(`${spec.index.table}.id`);
    return {
      where:
        ids.length === 0
          ? sql<boolean>`1 = 0`
          : dialect === 'postgres'
            ? sql<boolean>`${id} = any(${ids}::text[])`
            : sql<boolean>`${id} in (select value from json_each(${JSON.stringify(ids)}))`,
      rank: rankSql(ws.dialect, spec, plan),
    };
  };
}
