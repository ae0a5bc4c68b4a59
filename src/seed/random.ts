/**
 * A small seeded pseudo-random generator (sfc32, seeded through splitmix32): the same seed gives
 * the same sequence on every machine and Node version, which is what makes `agentcrm seed`
 * reproducible. Not for secrets.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** An integer in [min, max]. */
  between(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(list: readonly T[]): T;
  /** Picks by weight: `[['lead', 40], ['customer', 15]]`. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T;
  /** Up to `max` distinct items of `list`. */
  some<T>(list: readonly T[], max: number): T[];
  /** 35 random bits, as an id suffix needs. */
  bits35(): number;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A generator for one named stream of a seed: changing one table's count leaves the others alone. */
export function seededRandom(seed: number, stream: number): Random {
  const init = splitmix32((Math.imul(seed >>> 0, 0x01000193) ^ Math.imul(stream + 1, 0x27d4eb2f)) >>> 0);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const u32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32();
  const next = () => u32() / 4294967296;
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    chance: (p) => next() < p,
    pick: (list) => list[int(list.length)]!,
    weighted(choices) {
      let total = 0;
      for (const [, weight] of choices) total += weight;
      let roll = next() * total;
      for (const [value, weight] of choices) {
        roll -= weight;
        if (roll < 0) return value;
      }
      return choices[choices.length - 1]![0];
    },
    some(list, max) {
      const count = int(max + 1);
      const chosen = new Set<(typeof list)[number]>();
      for (let i = 0; i < count; i++) chosen.add(list[int(list.length)]!);
      return [...chosen];
    },
    bits35: () => (u32() & 0x7) * 0x100000000 + u32(),
  };
}
