import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A server-wide key (created by a migration); throws if the migration has not run. */
export async function serverKey(db: Db, name: string): Promise<string> {
  const row = await db
    .selectFrom('server_keys')
    .select('secret')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.secret;
}
