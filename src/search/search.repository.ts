import { type RawBuilder, sql } from 'kysely';
import type { SearchHook } from '../query/apply.js';
import type { DialectCapabilities } from '../store/dialect.js';
import type { WorkspaceDb } from '../store/scoped.js';
import type { SearchIndex, SearchMatch } from '../store/search-index.js';
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
    return {
      where: ws.dialect.searchMatch(spec.index, ws.workspaceId, match),
      rank: rankSql(ws.dialect, spec, plan),
    };
  };
}
