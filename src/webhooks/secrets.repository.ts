import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface SealedSecretRow {
  workspace_id: string;
  id: string;
  secret_sealed: string;
}

/**
 * Every webhook's sealed secret, across workspaces, a page at a time in (workspace, id) order: the
 * start-up re-seal is the one reader that must see them all (like the dispatcher's scan).
 */
export async function sealedSecretsPage(
  db: Db,
  after: { workspaceId: string; id: string } | null,
  limit: number,
): Promise<SealedSecretRow[]> {
  let query = db
    .selectFrom('webhooks')
    .select(['workspace_id', 'id', 'secret_sealed'])
    .orderBy('workspace_id')
    .orderBy('id')
    .limit(limit);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('workspace_id', '>', after.workspaceId),
        eb.and([eb('workspace_id', '=', after.workspaceId), eb('id', '>', after.id)]),
      ]),
    );
  }
  return query.execute();
}

/** Replaces a sealed secret only if it is still the one read (another process may re-seal too). */
export async function replaceSealedSecret(db: Db, row: SealedSecretRow, sealed: string): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({ secret_sealed: sealed })
    .where('workspace_id', '=', row.workspace_id)
    .where('id', '=', row.id)
    .where('secret_sealed', '=', row.secret_sealed)
    .execute();
}
