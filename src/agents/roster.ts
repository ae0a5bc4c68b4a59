import type { Services } from '../services.js';
import type { AgentsTable } from '../store/schema.js';
import { scopeTo } from '../store/scoped.js';
import { listAgents } from './roster.repository.js';

/** An agent as the console shows it: name, kind, intended use, when it signed up. */
export type Agent = AgentsTable;

/** The agents that work in a workspace, oldest first (the console's roster and its names). */
export async function workspaceAgents(services: Services, workspaceId: string): Promise<Agent[]> {
  return listAgents(scopeTo(services.store.db, services.store.dialect, workspaceId));
}
