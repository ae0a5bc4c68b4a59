import { createDecipheriv, createHash } from 'node:crypto';
import { derive, open, seal, sealedKeyId } from '../secrets/keyring.js';
import { findServerKey } from '../secrets/server-keys.repository.js';
import type { Keyring, MasterKey } from '../secrets/types.js';
import type { Store } from '../store/types.js';

/**
 * Webhook signing secrets must be usable to sign, so they are encrypted, not hashed: AES-256-GCM
 * under the keyring's key for this purpose, bound to the webhook (workspace and id).
 */
const secretKey = (master: MasterKey) => derive(master, 'webhook secret');
const bound = (webhook: { workspace_id: string; id: string }) => `${webhook.workspace_id}/${webhook.id}`;

/** The `server_keys` row that sealed webhook secrets before the keyring (migration 0007). */
export const LEGACY_WEBHOOK_KEY = 'webhook_secrets';

export async function sealWebhookSecret(
  keyring: Keyring,
  webhook: { workspace_id: string; id: string },
  secret: string,
): Promise<string> {
  const master = await keyring.current();
  return seal(master, secretKey(master), secret, bound(webhook));
}

export async function openWebhookSecret(
  keyring: Keyring,
  store: Store,
  webhook: { workspace_id: string; id: string },
  sealed: string,
): Promise<string> {
  if (sealedKeyId(sealed) !== undefined) return open(keyring, sealed, secretKey, bound(webhook));
  // Sealed before the keyring; the start-up re-seal converts these, this covers the moments before.
  const legacy = await findServerKey(store.db, LEGACY_WEBHOOK_KEY);
  if (legacy === undefined) throw new Error(`webhook ${webhook.id}: its secret's legacy key is gone`);
  const key = createHash('sha256').update(`agentcrm-webhook-secret\n${legacy}`).digest();
  const raw = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(bound(webhook)));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
