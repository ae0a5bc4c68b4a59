import type { AgentsTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';

/** Every agent of the workspace, oldest first. */
export async function listAgents(ws: WorkspaceDb): Promise<AgentsTable[]> {
  return ws.selectFrom('agents').selectAll().orderBy('created_at').orderBy('id').execute();
}
