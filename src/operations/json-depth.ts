/** Deepest nesting a request may have: far beyond any real input, far below any stack limit. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text nests deeper than `max`, found in one pass without parsing — parsers and
 * validators recurse, so a body like `[[[[…]]]]` must be refused before it reaches them.
 */
export function jsonTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 92)
        i++; // backslash: skip the escaped character
      else if (char === 34) inString = false;
    } else if (char === 34) inString = true;
    else if (char === 91 || char === 123) {
      if (++depth > max) return true;
    } else if (char === 93 || char === 125) depth--;
  }
  return false;
}

/**
 * What is wrong with an input as a whole, before any schema sees it: nesting deeper than `max`
 * (validators recurse), or a NUL character in a text (PostgreSQL cannot store one in text).
 */
export function inputProblem(value: unknown, max = MAX_JSON_DEPTH): 'too_deep' | 'nul' | null {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return 'nul';
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= max) return 'too_deep';
    for (const [key, child] of Object.entries(current)) {
      if (key.includes('\u0000')) return 'nul';
      stack.push([child, depth + 1]);
    }
  }
  return null;
}
