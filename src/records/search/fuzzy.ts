/**
 * Typo tolerance by symmetric deletion: two words within one edit (a letter substituted, added,
 * removed, or two adjacent letters swapped) share a key among {word} ∪ {word minus one letter}.
 * The vocabulary stores those keys for every indexed word, so the corrections of a query word are
 * one indexed lookup; `withinOneEdit` then keeps exactly the words one edit away.
 */

/** The word itself and each one-character deletion of it (by characters, not UTF-16 units). */
export function deletionKeys(word: string): string[] {
  const characters = [...word];
  const keys = new Set([word]);
  for (let i = 0; i < characters.length; i++) {
    keys.add([...characters.slice(0, i), ...characters.slice(i + 1)].join(''));
  }
  return [...keys];
}

/** True when `a` and `b` differ by exactly one edit (optimal string alignment distance 1). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return false;
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  const rest = (from: string[], at: number) => from.slice(at).join('');
  if (x.length === y.length) {
    if (rest(x, i + 1) === rest(y, i + 1)) return true; // substitution
    return x[i] === y[i + 1] && x[i + 1] === y[i] && rest(x, i + 2) === rest(y, i + 2); // swap
  }
  return x.length > y.length ? rest(x, i + 1) === rest(y, i) : rest(x, i) === rest(y, i + 1);
}
