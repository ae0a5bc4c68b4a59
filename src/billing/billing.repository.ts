import type { Kysely, Transaction } from 'kysely';
import { authStateChanged } from '../auth/auth-cache.js';
import type { Database } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function setWorkspacePlan(
  db: Db,
  workspaceId: string,
  plan: string,
  now: string,
): Promise<void> {
  authStateChanged();
  await db.updateTable('workspaces').set({ plan, updated_at: now }).where('id', '=', workspaceId).execute();
}

export async function setWorkspaceBudget(
  db: Db,
  workspaceId: string,
  cents: number | null,
  currency: string | null,
  now: string,
): Promise<void> {
  await db
    .updateTable('workspaces')
    .set({ monthly_budget_cents: cents, budget_currency: currency, updated_at: now })
    .where('id', '=', workspaceId)
    .execute();
}
