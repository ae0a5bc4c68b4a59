import { type Kysely, sql, type Transaction } from 'kysely';
import { byWorkspace, deletedCount as count, scoped } from '../../store/purge.js';
import type { Database } from '../../store/schema.js';
import { forgetSecrets } from '../../store/secret-lookups.repository.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The retention sweeper's purges of the OAuth tables (docs/lifecycle.md; src/lifecycle/sweep.ts runs them). */

/** OAuth authorization codes past their expiry (used or not: a used code's token lives on its own). */
export async function purgeOAuthCodes(db: Db, now: string, limit: number, workspaceId: string | null) {
  const keys = await scoped(
    db.selectFrom('oauth_codes').select(['workspace_id', 'code_hash']).where('expires_at', '<', now),
    workspaceId,
  )
    .limit(limit)
    .execute();
  let removed = 0;
  for (const [ws, hashes] of byWorkspace(keys, (k) => k.code_hash)) {
    const purged = await db
      .deleteFrom('oauth_codes')
      .where('workspace_id', '=', ws)
      .where('code_hash', 'in', hashes)
      .where('expires_at', '<', now)
      .returning('code_hash')
      .execute();
    // The codes' hashes leave the secret lookup with them (docs/scale.md).
    await forgetSecrets(
      db,
      'oauth_code',
      purged.map((row) => row.code_hash),
    );
    removed += purged.length;
  }
  return { removed, more: keys.length === limit };
}

/** Authorization requests (the sign-in page's state) past their expiry. Not tenant rows. */
export async function purgeOAuthRequests(db: Db, now: string, limit: number) {
  const keys = await db
    .selectFrom('oauth_requests')
    .select('id_hash')
    .where('expires_at', '<', now)
    .limit(limit)
    .execute();
  if (keys.length === 0) return { removed: 0, more: false };
  const result = await db
    .deleteFrom('oauth_requests')
    .where(
      'id_hash',
      'in',
      keys.map((k) => k.id_hash),
    )
    .where('expires_at', '<', now)
    .executeTakeFirst();
  return { removed: count(result), more: keys.length === limit };
}

/**
 * Dynamically registered clients never used: registered before `cutoff` with no grant, code or
 * request naming them (a connector registered and abandoned). Not tenant rows.
 */
export async function purgeUnusedOAuthClients(db: Db, cutoff: string, limit: number) {
  const unused = sql<boolean>`not exists (select 1 from oauth_grants as g where g.client_id = oauth_clients.id)
    and not exists (select 1 from oauth_codes as c where c.client_id = oauth_clients.id)
    and not exists (select 1 from oauth_requests as r where r.client_id = oauth_clients.id)`;
  const keys = await db
    .selectFrom('oauth_clients')
    .select('id')
    .where('created_at', '<', cutoff)
    .where(unused)
    .limit(limit)
    .execute();
  if (keys.length === 0) return { removed: 0, more: false };
  const result = await db
    .deleteFrom('oauth_clients')
    .where(
      'id',
      'in',
      keys.map((k) => k.id),
    )
    .where('created_at', '<', cutoff)
    .where(unused)
    .executeTakeFirst();
  return { removed: count(result), more: keys.length === limit };
}
