import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function findServerKey(db: Db, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('server_keys').select('secret').where('name', '=', name).executeTakeFirst();
  return row?.secret;
}

/** Creates the key if no process has yet (every process then reads the same one), and returns it. */
export async function ensureServerKey(db: Db, name: string, secret: string, now: string): Promise<string> {
  await db
    .insertInto('server_keys')
    .values({ name, secret, created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const stored = await findServerKey(db, name);
  if (stored === undefined) throw new Error(`server key ${name} vanished while being created`);
  return stored;
}

export async function deleteServerKey(db: Db, name: string): Promise<void> {
  await db.deleteFrom('server_keys').where('name', '=', name).execute();
}

/** Whether an unexpired stored idempotent answer still depends on this key. */
export async function idempotencyRowsUnder(db: Db, keyId: string, now: string): Promise<boolean> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select('key_id')
    .where('key_id', '=', keyId)
    .where('expires_at', '>=', now)
    .executeTakeFirst();
  return row !== undefined;
}
