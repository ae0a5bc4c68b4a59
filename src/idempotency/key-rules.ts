import { AppError } from '../errors.js';

const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
/** An optional label before the random part: letters and digits, then `_` (`idem_`, `boot_`). */
const PREFIX = /^[A-Za-z][A-Za-z0-9]*_/;
/** Calls without a token: the random part must have this many characters ... */
export const ANONYMOUS_KEY_MIN_CHARS = 16;
/** ... and this many different ones (a UUID has 12 to 16; `0000…` or `aaaa…` has one). */
export const ANONYMOUS_KEY_MIN_DISTINCT = 8;

const HINT =
  'use a fresh random value per intended change, e.g. idem_<uuid> (idem_ followed by a new UUID), and reuse it only to retry that change';

/**
 * Checks an idempotency key. Without a token, keys are scoped by the client address, which many
 * agents may share (NAT, a proxy, one host), and the stored answer of a signup or sign-in holds a
 * token: only a key nobody else would pick proves that a retry comes from the first caller. So
 * anonymous keys must carry a random part; a guide's literal (`idem_`, `idem_<uuid>`, `key1`) fails.
 */
export function validateKey(key: string, anonymous: boolean): void {
  if (!KEY_FORMAT.test(key)) {
    throw new AppError(
      'invalid_input',
      'the idempotency key must be 1-255 printable ASCII characters without spaces',
      HINT,
    );
  }
  if (!anonymous) return;
  const random = key.replace(PREFIX, '');
  if (random.length < ANONYMOUS_KEY_MIN_CHARS || new Set(random).size < ANONYMOUS_KEY_MIN_DISTINCT) {
    throw new AppError(
      'invalid_input',
      `an idempotency key sent without a token must be random: at least ${ANONYMOUS_KEY_MIN_CHARS} characters, ` +
        `${ANONYMOUS_KEY_MIN_DISTINCT} of them different, after an optional prefix such as idem_ ` +
        '(the stored answer holds a token, and the key is what proves a retry is yours)',
      HINT,
    );
  }
}
