import { SEPARATOR_CODES } from '../records/search/normalise.js';
import type { SearchIndex } from './types.js';

/**
 * The search document of a record as SQL over its columns, for each database: its fields
 * lower-cased (ASCII), every separator turned into a space, runs of spaces collapsed, laid out as
 * ` <fuzzy fields> | <other fields> `. src/records/search/normalise.ts is the same form on the query side.
 */
export type Dialect = 'sqlite' | 'postgres';

const DIGIT_PUNCTUATION = ' +()-.';

type Column = (field: string) => string;

const concat = (fields: readonly string[], column: Column) =>
  fields.length ? fields.map((f) => `coalesce(${column(f)}, '')`).join(` || ' ' || `) : `''`;

/** The separators as a regular-expression class of ranges: [\x01-\x1f…]. */
function separatorClass(): string {
  const hex = (code: number) => `\\x${code.toString(16).padStart(2, '0')}`;
  const ranges: string[] = [];
  for (let i = 0; i < SEPARATOR_CODES.length; i++) {
    const start = SEPARATOR_CODES[i]!;
    while (SEPARATOR_CODES[i + 1] === SEPARATOR_CODES[i]! + 1) i++;
    const end = SEPARATOR_CODES[i]!;
    ranges.push(start === end ? hex(start) : `${hex(start)}-${hex(end)}`);
  }
  return `[${ranges.join('')}]`;
}

/**
 * Lower-cases ASCII and turns each separator into a space. SQLite has no regular expressions, so it
 * runs a replace() per separator — only when a rare one is present: most values hold nothing but
 * letters, digits, spaces and @ . _ -, and those four replace()s are much cheaper than the chain.
 */
function separate(dialect: Dialect, expression: string): string {
  const lowered = `lower(${expression})`;
  if (dialect === 'postgres') {
    return `regexp_replace(lower((${expression}) collate "C"), '${separatorClass()}', ' ', 'g')`;
  }
  const common = ['@', '.', '_', '-'].reduce((inner, c) => `replace(${inner}, '${c}', ' ')`, lowered);
  return `(case when ${lowered} glob '*[^-a-z0-9 @._]*' then ${replaceEverySeparator(lowered)} else ${common} end)`;
}

/**
 * Every separator replaced, eight per step in a chain of CTEs. One replace() nested inside the next
 * for all 60-odd separators gives the same text, but its parse is too deep for the stock sqlite3
 * shell (Debian's 3.40 stops at about 33 nested calls: "parser stack overflow"), and operators
 * need that shell to open the database. Sibling CTEs do not nest, and SQLite flattens them into
 * the same expression, so the cost is unchanged.
 */
function replaceEverySeparator(lowered: string): string {
  const steps = [`sep0(s) as (select ${lowered})`];
  for (let i = 0; i < SEPARATOR_CODES.length; i += 8) {
    const replaced = SEPARATOR_CODES.slice(i, i + 8).reduce(
      (inner, c) => `replace(${inner}, char(${c}), ' ')`,
      's',
    );
    steps.push(`sep${steps.length}(s) as (select ${replaced} from sep${steps.length - 1})`);
  }
  return `(with ${steps.join(', ')} select s from sep${steps.length - 1})`;
}

function digitsOnly(dialect: Dialect, expression: string): string {
  if (dialect === 'postgres') return `translate(${expression}, '${DIGIT_PUNCTUATION}', '')`;
  return [...DIGIT_PUNCTUATION].reduce((inner, c) => `replace(${inner}, '${c}', '')`, expression);
}

const collapse = (expression: string) =>
  Array.from({ length: 5 }).reduce<string>((inner) => `replace(${inner}, '  ', ' ')`, expression);

/**
 * The search document of a row, as SQL over its columns. SQLite's replace() chain and
 * PostgreSQL's regexp_replace() over the same character class give the same text.
 */
export function documentSql(dialect: Dialect, index: SearchIndex, column: Column): string {
  const fuzzy = separate(dialect, concat(index.fuzzy, column));
  const digits = index.digits.map((f) => digitsOnly(dialect, `coalesce(${column(f)}, '')`));
  const others = [...index.text.map((f) => `coalesce(${column(f)}, '')`), ...digits];
  const other = separate(dialect, others.length ? others.join(` || ' ' || `) : `''`);
  return collapse(`' ' || ${fuzzy} || ' | ' || ${other} || ' '`);
}
