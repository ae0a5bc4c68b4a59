import type { AgentsTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';

export async function insertAgent(ws: WorkspaceDb, row: Omit<AgentsTable, 'workspace_id'>): Promise<void> {
  await ws.insertInto('agents', row).execute();
}

export async function findAgent(ws: WorkspaceDb, id: string): Promise<AgentsTable | undefined> {
  return ws.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
}
