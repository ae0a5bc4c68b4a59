// The key types, no code: a type import of Keyring (Services holds one) loads no key storage.

/** A master key: stored secrets are sealed under keys derived from it (keyring.ts). */
export interface MasterKey {
  /** A short fingerprint (not the key): what ciphertexts and idempotency rows record. */
  readonly id: string;
  readonly key: Buffer;
  readonly source: 'SECRETS_KEY' | 'SECRETS_KEY_PREVIOUS' | 'database';
}

/** Where stored secrets get their keys: createKeyring in keyring.ts. */
export interface Keyring {
  /** True when the sealing key comes from outside the data. */
  readonly external: boolean;
  /** The key that seals. */
  current(): Promise<MasterKey>;
  /** Every key that may open something, the current one first. */
  all(): Promise<MasterKey[]>;
  find(id: string): Promise<MasterKey | undefined>;
}
