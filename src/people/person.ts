import type { Services } from '../services.js';
import type { UsersTable, WorkspacesTable } from '../store/schema.js';
import {
  findWorkspace,
  listUserWorkspaces,
  type WorkspaceWithRole,
} from '../workspaces/workspaces.repository.js';
import { usersByIds } from './names.repository.js';
import { findUser } from './users.repository.js';

/** A person (users row) and a workspace, as the console's pages show them. */
export type Person = UsersTable;
export type Workspace = WorkspacesTable;
export type { WorkspaceWithRole };

/**
 * The signed-in person, the workspace their token acts in, and every workspace they belong to
 * (oldest membership first); null when the person or the workspace is gone.
 */
export async function personInWorkspace(
  services: Services,
  userId: string,
  workspaceId: string,
): Promise<{ user: Person; workspace: Workspace; workspaces: WorkspaceWithRole[] } | null> {
  const { db } = services.store;
  const [user, workspace, workspaces] = await Promise.all([
    findUser(db, userId),
    findWorkspace(db, workspaceId),
    listUserWorkspaces(db, userId),
  ]);
  return user && workspace ? { user, workspace, workspaces } : null;
}

/** Email and name of people by id (members or former members), to name actors and deciders. */
export async function peopleByIds(
  services: Services,
  ids: readonly string[],
): Promise<{ id: string; email: string; name: string | null }[]> {
  return usersByIds(services.store.db, ids);
}
