import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { deletionKeys, withinOneEdit } from './fuzzy.js';
import { normaliseForSearch } from './normalise.js';
import { planSearch } from './plan.js';

/** Optimal string alignment distance by dynamic programming: the reference for withinOneEdit. */
function osa(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const d = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
      }
    }
  }
  return d[x.length]![y.length]!;
}

const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'é', '😀'), minLength: 0, maxLength: 7 });
/** A word and a one-edit variant of it, so the interesting case is common. */
const wordAndEdit = fc
  .tuple(word, fc.nat(), fc.constantFrom('sub', 'ins', 'del', 'swap'), fc.constantFrom('a', 'b', 'z'))
  .map(([w, at, kind, letter]) => {
    const c = [...w];
    const i = c.length ? at % c.length : 0;
    if (kind === 'sub' && c.length) c[i] = letter;
    if (kind === 'ins') c.splice(i, 0, letter);
    if (kind === 'del' && c.length) c.splice(i, 1);
    if (kind === 'swap' && c.length > 1) [c[i], c[(i + 1) % c.length]] = [c[(i + 1) % c.length]!, c[i]!];
    return [w, c.join('')] as const;
  });

describe('typo tolerance', () => {
  it('withinOneEdit is exactly "optimal string alignment distance 1"', () => {
    fc.assert(
      fc.property(fc.oneof(wordAndEdit, fc.tuple(word, word)), ([a, b]) => {
        expect(withinOneEdit(a, b)).toBe(osa(a, b) === 1);
      }),
      { numRuns: 2000 },
    );
  });

  it('two words one edit apart always share a deletion key (so the vocabulary finds them)', () => {
    fc.assert(
      fc.property(wordAndEdit, ([a, b]) => {
        if (!withinOneEdit(a, b)) return;
        const keys = new Set(deletionKeys(a));
        expect(deletionKeys(b).some((key) => keys.has(key))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('knows the examples', () => {
    expect(withinOneEdit('jonhson', 'johnson')).toBe(true);
    expect(withinOneEdit('jonson', 'johnson')).toBe(true);
    expect(withinOneEdit('johnsen', 'johnson')).toBe(true);
    expect(withinOneEdit('jhonsen', 'johnson')).toBe(false);
    expect(withinOneEdit('johnson', 'johnson')).toBe(false);
  });
});

describe('search plans', () => {
  it('normalises like the stored documents: ASCII lower case, punctuation to spaces', () => {
    expect(normaliseForSearch('  Jane.DOE+crm@Acme.COM ')).toBe('jane doe crm acme com');
    expect(normaliseForSearch('Émile\t(Zola)')).toBe('Émile zola');
  });

  it('splits words, marks the ones typo corrections apply to, and refuses what cannot be searched', () => {
    expect(planSearch('Jonhson jane@acme.com ab x42abcde')).toEqual({
      whole: 'jonhson jane@acme.com ab x42abcde',
      words: [
        { raw: 'jonhson', phrase: 'jonhson', fuzzy: true },
        { raw: 'jane@acme.com', phrase: 'jane acme com', fuzzy: false },
        { raw: 'ab', phrase: 'ab', fuzzy: false },
        { raw: 'x42abcde', phrase: 'x42abcde', fuzzy: false },
      ],
    });
    for (const bad of [
      'ab',
      '@@ !!',
      'a b c',
      'one two three four five six seven eight nine',
      'nul\u0000byte',
    ]) {
      expect(() => planSearch(bad), bad).toThrow(AppError);
    }
  });

  it('never fails with anything but invalid_query', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (term) => {
        try {
          const plan = planSearch(term);
          expect(plan.words.length).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).code).toBe('invalid_query');
          expect((error as AppError).hint).not.toBe('');
        }
      }),
      { numRuns: 1000 },
    );
  });
});
