import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * One-time codes a person types (6 digits) have only a million values, so unlike 256-bit tokens
 * they are stored with a salted, deliberately slow hash (scrypt): a stolen database does not give
 * a code back within its ten-minute life.
 */
const KEY_LENGTH = 32;
const COST = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export function newNumericCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

function derive(code: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(code, salt, KEY_LENGTH, COST, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashCode(code: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(code, salt);
  return `scrypt$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function codeMatches(code: string, stored: string): Promise<boolean> {
  const [scheme, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(code, Buffer.from(salt, 'base64url'));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Codes as people type them: spaces and dashes are ignored. */
export const normaliseCode = (code: string) => code.replace(/[\s-]/g, '');

/** `jane@acme.com` → `j***@acme.com`, for answers that must not disclose a full address. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}
