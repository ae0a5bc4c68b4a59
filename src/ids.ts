import { createHash, randomBytes, randomFillSync } from 'node:crypto';

/** Where "now" comes from; tests pass a clock they can move. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock a test can move forward without sleeping. */
export function manualClock(start = new Date('2026-01-01T00:00:00.000Z')): Clock & {
  advance(ms: number): void;
  set(date: Date): void;
} {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
    set: (date) => {
      current = date.getTime();
    },
  };
}

export type IdPrefix =
  | 'c'
  | 'co'
  | 'd'
  | 'a'
  | 't'
  | 'p'
  | 'op'
  | 'wrk'
  | 'agt'
  | 'usr'
  | 'tok'
  | 'req'
  | 'aud'
  | 'inv'
  | 'evt'
  | 'esc'
  | 'ocl'
  | 'wh'
  | 'whd';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

/** The low `length` × 5 bits of a non-negative integer below 2^53, as Crockford base32. */
function base32(value: number, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/** Random bytes drawn from the CSPRNG a few kilobytes at a time (ids are made by the thousand in batches). */
const pool = Buffer.alloc(4096);
let used = pool.length;
function random40(): number {
  if (used + 5 > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const value = pool.readUIntBE(used, 5);
  used += 5;
  return value;
}

/** Makes ids; tests may pass their own for predictable output. */
export interface IdSource {
  next(prefix: IdPrefix): string;
}

/**
 * Ids are `<prefix>_<9 chars of millisecond time><7 random chars>`: sortable by creation time
 * (which keeps B-tree inserts append-mostly) and unguessable enough that an id is never a secret
 * but also never enumerable.
 */
export function timeOrderedIds(clock: Clock = systemClock): IdSource {
  return {
    next(prefix) {
      const time = base32(clock.now().getTime(), 9);
      const random = base32(random40(), 7);
      return `${prefix}_${time}${random}`;
    },
  };
}

/** A secret with at least 256 bits of entropy, URL-safe, with a recognisable prefix. */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/**
 * Secrets are random 256-bit values, so a single SHA-256 is enough to store them safely: there
 * is nothing to brute-force, and lookups stay a single indexed equality.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
