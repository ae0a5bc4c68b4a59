/**
 * The text form search compares: ASCII letters lower-cased, every other ASCII character that is
 * not a letter or digit (punctuation, whitespace, control characters) turned into a space, runs
 * of spaces collapsed. Letters beyond ASCII are kept as they are, because that is what both
 * databases' lower() can do identically. The SQL in src/store/search-document.ts builds the same
 * form from the stored fields; this is the query side.
 */

/** Code points 1–127 that separate words: everything ASCII but letters, digits and the space itself. */
export const SEPARATOR_CODES: readonly number[] = Array.from({ length: 127 }, (_, i) => i + 1).filter(
  (code) =>
    code !== 32 && !(code >= 48 && code <= 57) && !(code >= 65 && code <= 90) && !(code >= 97 && code <= 122),
);

const SEPARATORS = new Set(SEPARATOR_CODES);

/** Lower-cases ASCII letters only, as SQLite's lower() and PostgreSQL's lower() under "C" do. */
export function lowerAscii(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

export function normaliseForSearch(text: string): string {
  let out = '';
  for (const character of lowerAscii(text)) {
    const code = character.codePointAt(0)!;
    out += code === 0 || SEPARATORS.has(code) ? ' ' : character;
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

/** Length in characters (code points), as SQL's length() counts them. */
export const characterLength = (text: string): number => [...text].length;
