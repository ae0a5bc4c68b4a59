import type { Services } from '../services.js';
import { LEGACY_WEBHOOK_KEY, openWebhookSecret, sealWebhookSecret } from '../webhooks/secret-box.js';
import { replaceSealedSecret, sealedSecretsPage } from '../webhooks/secrets.repository.js';
import { DATABASE_KEY, sealedKeyId, UnknownKeyError } from './keyring.js';
import { deleteServerKey, findServerKey, idempotencyRowsUnder } from './server-keys.repository.js';

const PAGE = 500;

export class SecretsStartupError extends Error {}

/**
 * Run at every start, before serving: re-seals every webhook secret not sealed under the current
 * key (after a rotation, after an external key is first configured, or sealed before the keyring),
 * then removes the database keys nothing depends on any more. A secret under a key this process
 * does not know stops the start: serving would fail every delivery of that webhook.
 */
export async function prepareSecrets(services: Services): Promise<{ resealed: number }> {
  const { keyring, store, logger, config } = services;
  const current = await keyring.current();
  let resealed = 0;
  const unknown = new Set<string>();
  let after: { workspaceId: string; id: string } | null = null;
  for (;;) {
    const page = await sealedSecretsPage(store.db, after, PAGE);
    for (const row of page) {
      if (sealedKeyId(row.secret_sealed) === current.id) continue;
      try {
        const secret = await openWebhookSecret(keyring, store, row, row.secret_sealed);
        await replaceSealedSecret(store.db, row, await sealWebhookSecret(keyring, row, secret));
        resealed++;
      } catch (error) {
        if (!(error instanceof UnknownKeyError)) throw error;
        unknown.add(error.keyId);
      }
    }
    if (page.length < PAGE) break;
    const last = page.at(-1)!;
    after = { workspaceId: last.workspace_id, id: last.id };
  }
  if (unknown.size > 0) {
    throw new SecretsStartupError(
      `webhook signing secrets are sealed under server key ${[...unknown].join(', ')}, which this process does not have ` +
        `(its key is ${current.id}): set SECRETS_KEY to the key they were sealed with, or keep it as ` +
        'SECRETS_KEY_PREVIOUS beside the new SECRETS_KEY while rotating (docs/secrets.md)',
    );
  }
  // Every legacy secret is re-sealed now: the key they needed is no longer kept.
  if ((await findServerKey(store.db, LEGACY_WEBHOOK_KEY)) !== undefined) {
    await deleteServerKey(store.db, LEGACY_WEBHOOK_KEY);
  }
  if (keyring.external) {
    // The database's own key may still open stored answers of the last 24 hours; once none is
    // left, it goes, and a copy of the database then holds no key at all.
    const database = (await keyring.all()).find((key) => key.source === 'database');
    const now = services.clock.now().toISOString();
    if (database && !(await idempotencyRowsUnder(store.db, database.id, now))) {
      await deleteServerKey(store.db, DATABASE_KEY);
    }
  } else if (config.databaseUrl || config.publicUrl.startsWith('https:')) {
    logger.warn(
      'no SECRETS_KEY or SECRETS_KEY_FILE: webhook signing secrets are sealed under a key kept in the database, ' +
        'so a copy or dump of the database reveals them (docs/secrets.md)',
    );
  }
  logger.info({ key_id: current.id, key_source: current.source, resealed }, 'secrets ready');
  return { resealed };
}
