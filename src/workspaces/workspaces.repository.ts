import type { Kysely, Transaction } from 'kysely';
import { authStateChanged } from '../auth/auth-cache.js';
import type { Database, WorkspacesTable } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertWorkspace(db: Db, row: WorkspacesTable): Promise<void> {
  await db.insertInto('workspaces').values(row).execute();
}

export async function findWorkspace(db: Db, id: string): Promise<WorkspacesTable | undefined> {
  return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Takes the workspace's row lock (PostgreSQL) or the write lock (SQLite) until the transaction
 * ends: membership changes serialise on it, so two admins demoting each other cannot leave none.
 */
export async function lockWorkspace(db: Db, id: string, now: string): Promise<WorkspacesTable | undefined> {
  return db
    .updateTable('workspaces')
    .set({ updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Sets the billing owner unless one is already set; returns whether it was set. */
export async function claimBillingOwner(db: Db, id: string, userId: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('workspaces')
    .set({ billing_owner_id: userId, updated_at: now })
    .where('id', '=', id)
    .where('billing_owner_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function countWorkspacesCreatedBy(db: Db, principalId: string): Promise<number> {
  const row = await db
    .selectFrom('workspaces')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('created_by', '=', principalId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface WorkspaceWithRole extends WorkspacesTable {
  role: 'admin' | 'member';
  joined_at: string;
}

/** The workspaces a person belongs to, oldest membership first. */
export async function listUserWorkspaces(db: Db, userId: string): Promise<WorkspaceWithRole[]> {
  return db
    .selectFrom('memberships')
    .innerJoin('workspaces', 'workspaces.id', 'memberships.workspace_id')
    .selectAll('workspaces')
    .select(['memberships.role as role', 'memberships.created_at as joined_at'])
    .where('memberships.user_id', '=', userId)
    .orderBy('memberships.created_at')
    .orderBy('workspaces.id')
    .execute();
}

/** Removes the workspace row itself; its tenant rows must be gone already (see tenantTables). */
export async function deleteWorkspaceRow(db: Db, id: string): Promise<void> {
  authStateChanged();
  await db.deleteFrom('workspaces').where('id', '=', id).execute();
}
