import { normaliseForSearch } from '../records/search/normalise.js';
import { FUZZY_MIN, VOCABULARY_MAX, VOCABULARY_MIN } from '../store/search-index.js';

/** Values shorter than this are not searched for elsewhere: too many innocent texts would match. */
export const MIN_VALUE_LENGTH = 4;
/** The fields whose values identify the person and are searched for outside the record. */
const IDENTIFYING = ['name', 'email', 'phone'] as const;
/** The fields whose words the search vocabulary holds (the contacts index's fuzzy fields). */
const VOCABULARY_FIELDS = ['name', 'email', 'title'] as const;

type Row = object;

/** Every value `fields` held: now, and before and after each audited change. */
function valuesOf(row: Row, history: readonly string[], fields: readonly string[]): string[] {
  const found = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value === 'string' && value.trim()) found.add(value.trim());
  };
  for (const field of fields) add((row as Record<string, unknown>)[field]);
  for (const text of history) {
    let changes: Record<string, unknown>;
    try {
      changes = JSON.parse(text) as Record<string, unknown>;
    } catch {
      continue;
    }
    for (const field of fields) {
      const pair = changes[field];
      if (Array.isArray(pair)) pair.forEach(add);
    }
  }
  return [...found];
}

/** The person's identifying values (name, email, phone, present and past), long enough to look for. */
export function collectPersonalValues(row: Row, history: readonly string[]): string[] {
  return valuesOf(row, history, IDENTIFYING).filter((value) => [...value].length >= MIN_VALUE_LENGTH);
}

/** The words the person's record put into the search vocabulary. */
export function personWords(row: Row, history: readonly string[]): string[] {
  const words = new Set<string>();
  for (const value of valuesOf(row, history, VOCABULARY_FIELDS)) {
    for (const word of normaliseForSearch(value).split(' ')) {
      const length = [...word].length;
      if (length >= VOCABULARY_MIN && length <= VOCABULARY_MAX && !/[0-9]/.test(word)) words.add(word);
    }
  }
  return [...words];
}

/** A vocabulary word's keys, as the search triggers write them: itself and its one-character deletions. */
export function vocabularyKeys(word: string): string[] {
  const characters = [...word];
  const keys = [word];
  if (characters.length >= FUZZY_MIN) {
    for (let i = 0; i < characters.length; i++) {
      keys.push([...characters.slice(0, i), ...characters.slice(i + 1)].join(''));
    }
  }
  return [...new Set(keys)];
}
