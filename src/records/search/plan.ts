import { AppError } from '../../errors.js';
import { FUZZY_MIN, MIN_INDEXED_LENGTH, VOCABULARY_MAX } from '../../store/search-index.js';
import { characterLength, lowerAscii, normaliseForSearch } from './normalise.js';

/** One whitespace-separated word of the query. */
export interface SearchWord {
  /** As typed, ASCII lower-cased: ranking compares it with the raw fields. */
  raw: string;
  /** Normalised (src/records/search/normalise.ts): matched against the search document. */
  phrase: string;
  /** A single word of 5–40 characters without digits: typo corrections apply. */
  fuzzy: boolean;
}

export interface SearchPlan {
  /** The whole query, trimmed, single-spaced and ASCII lower-cased: an exact-field bonus in ranking. */
  whole: string;
  words: SearchWord[];
}

export const MAX_SEARCH_WORDS = 8;

const invalid = (message: string, hint: string) => new AppError('invalid_query', message, hint);

/**
 * Splits `search=` into words. Every word must match (AND). Words of one or two characters are
 * applied as filters but cannot use the index, so a query needs at least one word of three or
 * more letters or digits.
 */
export function planSearch(term: string): SearchPlan {
  if (term.includes('\u0000')) throw invalid('search= contains a NUL character', 'remove it');
  const whole = lowerAscii(term.trim().replace(/\s+/g, ' '));
  const words: SearchWord[] = [];
  for (const raw of whole.split(' ')) {
    const phrase = normaliseForSearch(raw);
    if (phrase === '' || words.some((w) => w.phrase === phrase)) continue;
    const length = characterLength(phrase);
    words.push({
      raw,
      phrase,
      fuzzy: !/[ 0-9]/.test(phrase) && length >= FUZZY_MIN && length <= VOCABULARY_MAX,
    });
  }
  if (words.length > MAX_SEARCH_WORDS) {
    throw invalid(
      `search= has ${words.length} words; at most ${MAX_SEARCH_WORDS} are allowed`,
      'search for the most distinctive words only, or add filters such as stage= or tags=',
    );
  }
  if (!words.some((w) => characterLength(w.phrase) >= MIN_INDEXED_LENGTH)) {
    throw invalid(
      `search= needs a word of at least ${MIN_INDEXED_LENGTH} letters or digits, got "${term.trim()}"`,
      'search for a longer word; for a short prefix use a filter such as name=like:jo*',
    );
  }
  return { whole, words };
}
