import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The smallest server key we accept: 256 bits, the AES-256 key size. */
export const MIN_KEY_BYTES = 32;

/**
 * Decodes a server key written as hex or base64 (standard or url-safe); surrounding whitespace
 * (a file's trailing newline) is ignored. Returns an error message instead of a key when the text
 * is not one of those forms or decodes to fewer than 32 bytes.
 */
export function decodeKey(text: string): Buffer | string {
  const value = text.trim();
  let key: Buffer;
  if (/^(?:[0-9a-fA-F]{2})+$/.test(value)) key = Buffer.from(value, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) key = Buffer.from(value, 'base64');
  else return 'must be hex or base64 (e.g. the output of `openssl rand -base64 32`)';
  if (key.length < MIN_KEY_BYTES) {
    return `must decode to at least ${MIN_KEY_BYTES} bytes (got ${key.length}); make one with \`openssl rand -base64 32\``;
  }
  return key;
}

/**
 * Reads SECRETS_KEY_FILE. The point of the setting is that a copy of the data does not carry the
 * key, so a file inside DATA_DIR (which backups and copies take whole) is refused.
 */
export function readKeyFile(file: string, dataDir: string): Buffer | string {
  const resolved = path.resolve(file);
  const inside = path.relative(path.resolve(dataDir), resolved);
  if (inside === '' || (!inside.startsWith('..') && !path.isAbsolute(inside))) {
    return `must lie outside DATA_DIR (${path.resolve(dataDir)}): a copy of the data must not carry its key`;
  }
  let text: string;
  try {
    text = readFileSync(resolved, 'utf8');
  } catch (error) {
    return `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): ${resolved}`;
  }
  return decodeKey(text);
}
