import { createHash, randomBytes } from 'node:crypto';

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

function base32(value: bigint, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(rest & 31n)] + out;
    rest >>= 5n;
  }
  return out;
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
      const time = base32(BigInt(clock.now().getTime()), 9);
      const random = base32(BigInt(`0x${randomBytes(5).toString('hex')}`), 7);
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
