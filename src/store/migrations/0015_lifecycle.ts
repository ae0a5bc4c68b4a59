import type { Kysely } from 'kysely';
import { columnTypes } from './types.js';

/**
 * Data lifecycle (docs/lifecycle.md):
 * - `contacts.erased_at`: set on the tombstone an erasure leaves (the row stays, its personal values
 *   do not), so reads answer `erased` (410) and nothing restores or purges it.
 * - `idempotency_keys.subjects`: the handles of the contacts a stored answer names, written when the
 *   answer is stored. Answers are sealed under the caller's raw key, which we never hold, so an
 *   erasure finds the answers that carry a person through this column and replaces them with a
 *   sealed-free marker that replays as `erased` (a retry never runs the write again).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { text } = columnTypes(db);
  await db.schema.alterTable('contacts').addColumn('erased_at', text).execute();
  await db.schema.alterTable('idempotency_keys').addColumn('subjects', text).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('idempotency_keys').dropColumn('subjects').execute();
  await db.schema.alterTable('contacts').dropColumn('erased_at').execute();
}
