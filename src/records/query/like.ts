import type { Condition } from './parse.js';

/**
 * What `like:` matches: ASCII letters ignore case, `*` is the only wildcard (any run of characters,
 * none included), and every other character matches itself — `%` and `_` too, which SQL would read
 * as wildcards. Without a `*` the pattern matches anywhere in the value (contains); with one it is
 * anchored at both ends (`jo*` starts with jo, `*@acme.com` ends with it).
 */
export function likePattern(value: string): string {
  const literal = value
    .replace(/[A-Z]+/g, (letters) => letters.toLowerCase())
    // Used with ESCAPE '\' on both databases, so these stand for themselves.
    .replace(/[\\%_]/g, (c) => `\\${c}`);
  // Anchoring depends on the caller's `*`, not on the escaped `%` (a literal `%` is no wildcard).
  return value.includes('*') ? literal.replace(/\*/g, '%') : `%${literal}%`;
}

/**
 * A `%` in a like: pattern is almost always SQL habit (`like:%pilot%`); it matches a literal `%`,
 * so a caller who meant a wildcard would get a short or empty list with no word of why. The
 * answer says it and shows the pattern with `*`. (`_` is not warned about: it is common in real
 * values such as snake_case keys and e-mail addresses.) The warnings are plain objects, so this
 * module depends on the query parser alone.
 */
export function likeWarnings(conditions: readonly Condition[]): { code: 'like_literal'; message: string }[] {
  return conditions
    .filter((c): c is Extract<Condition, { op: 'like' }> => c.op === 'like' && c.value.includes('%'))
    .map((c) => ({
      code: 'like_literal' as const,
      message:
        `${c.field.name}=like:${c.value.slice(0, 60)} matches "%" as a character, not a wildcard; ` +
        `the wildcard is * (${c.field.name}=like:${c.value.slice(0, 60).replace(/%/g, '*')})`,
    }));
}
