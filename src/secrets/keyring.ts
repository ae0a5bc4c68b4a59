import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { Clock } from '../ids.js';
import type { Store } from '../store/types.js';
import { ensureServerKey, findServerKey } from './server-keys.repository.js';
import type { Keyring, MasterKey } from './types.js';

/*
 * The one place stored secrets get their keys from. A master key is either the external key
 * (SECRETS_KEY / SECRETS_KEY_FILE: a copy of the data does not carry it), the previous external
 * key during a rotation (opens, never seals), or — the zero-config default — a key kept in the
 * database's `server_keys` table, which a copy of the database does carry. Every purpose gets its
 * own key derived from the master (HKDF), and every ciphertext names the master it was sealed
 * under, so a rotation can open old ciphertexts and re-seal them.
 */

/** The `server_keys` row holding the database's own master key (zero-config default). */
export const DATABASE_KEY = 'master';

export function keyId(key: Buffer): string {
  return createHash('sha256').update('agentcrm key id\n').update(key).digest('hex').slice(0, 16);
}

function master(key: Buffer, source: MasterKey['source']): MasterKey {
  return { id: keyId(key), key, source };
}

export function createKeyring(config: Config, store: Store, clock: Clock): Keyring {
  const external = config.secretsKey ? master(config.secretsKey, 'SECRETS_KEY') : undefined;
  const previous = config.secretsKeyPrevious
    ? master(config.secretsKeyPrevious, 'SECRETS_KEY_PREVIOUS')
    : undefined;
  let database: Promise<MasterKey | undefined> | undefined;
  // Without an external key the database key is made if missing; with one, it is only read (it may
  // still open what was sealed before the external key was configured). Loaded at once, before
  // any request: operations ask for keys inside their transaction, and SQLite's one connection
  // would wait for itself. One transaction makes the load a single turn on that connection.
  const databaseKey = () => {
    database ??= store.db
      .transaction()
      .execute((trx) =>
        external
          ? findServerKey(trx, DATABASE_KEY)
          : ensureServerKey(trx, DATABASE_KEY, randomBytes(32).toString('base64'), clock.now().toISOString()),
      )
      .then((secret) =>
        secret === undefined ? undefined : master(Buffer.from(secret, 'base64'), 'database'),
      );
    database.catch(() => {
      database = undefined;
    });
    return database;
  };
  // A failure here (a database not yet migrated) is retried at first use.
  databaseKey().catch(() => {});
  const all = async () => {
    const keys = [external, previous, await databaseKey()].filter((k): k is MasterKey => k !== undefined);
    return keys.filter((k, i) => keys.findIndex((other) => other.id === k.id) === i);
  };
  return {
    external: external !== undefined,
    current: async () => external ?? (await databaseKey())!,
    all,
    find: async (id) => (await all()).find((k) => k.id === id),
  };
}

/** The key for one purpose under a master key; purposes never share a key. */
export function derive(key: MasterKey, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key.key, Buffer.alloc(0), `agentcrm ${purpose}`, 32));
}

export class UnknownKeyError extends Error {
  constructor(readonly keyId: string) {
    super(
      `sealed under server key ${keyId}, which is not configured: set SECRETS_KEY to it, or SECRETS_KEY_PREVIOUS while rotating (docs/secrets.md)`,
    );
  }
}

const FORMAT = 'k1';

/** AES-256-GCM under `cipherKey`, bound to `aad`; the text names the master key (`k1.<id>.<data>`). */
export function seal(key: MasterKey, cipherKey: Buffer, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cipherKey, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${FORMAT}.${key.id}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

/** The master key id a sealed text names; undefined for texts sealed before the keyring. */
export function sealedKeyId(sealed: string): string | undefined {
  const match = /^k1\.([0-9a-f]{16})\./.exec(sealed);
  return match?.[1];
}

/** Opens what `seal` made, with the master key it names; throws UnknownKeyError if not configured. */
export async function open(
  keyring: Keyring,
  sealed: string,
  keyFor: (key: MasterKey) => Buffer,
  aad: string,
): Promise<string> {
  const id = sealedKeyId(sealed);
  if (id === undefined) throw new Error('not a sealed text of this keyring');
  const key = await keyring.find(id);
  if (!key) throw new UnknownKeyError(id);
  const raw = Buffer.from(sealed.slice(FORMAT.length + id.length + 2), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', keyFor(key), raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
