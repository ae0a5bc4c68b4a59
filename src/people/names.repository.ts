import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** People by id (for naming audit actors and deciders, members or former members). */
export async function usersByIds(
  db: Db,
  ids: readonly string[],
): Promise<{ id: string; email: string; name: string | null }[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name'])
    .where('id', 'in', [...ids])
    .execute();
}
