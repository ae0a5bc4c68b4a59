import type { Kysely, Transaction } from 'kysely';
import type { Database, WorkspacesTable } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertWorkspace(db: Db, row: WorkspacesTable): Promise<void> {
  await db.insertInto('workspaces').values(row).execute();
}

export async function findWorkspace(db: Db, id: string): Promise<WorkspacesTable | undefined> {
  return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
}
