import { authenticate } from '../auth/tokens.js';
import { isAppError } from '../errors.js';
import type { Caller } from '../operations/define.js';
import { type Person, personInWorkspace, type Workspace, type WorkspaceWithRole } from '../people/person.js';
import type { Services } from '../services.js';

/** A signed-in person in the console: a user token (from the session cookie) and what the pages show. */
export interface Session {
  caller: Caller;
  user: Person;
  workspace: Workspace;
  /** Every workspace the person belongs to, for the switcher. */
  workspaces: WorkspaceWithRole[];
  /** Admins (the billing owner is always one) change things; members only look. */
  isAdmin: boolean;
  isBillingOwner: boolean;
}

export type SessionState = { session: Session } | { ended: true } | { none: true };

/**
 * Resolves the session cookie through the same authentication as a bearer token: a revoked or
 * expired session, or one whose person left the workspace, is no session. Agents' tokens are
 * refused here: the console is for people.
 */
export async function loadSession(services: Services, secret: string | undefined): Promise<SessionState> {
  if (!secret) return { none: true };
  let caller: Caller;
  try {
    caller = await authenticate(services, `Bearer ${secret}`);
  } catch (error) {
    if (isAppError(error) && error.status === 401) return { ended: true };
    throw error;
  }
  if (caller.principalType !== 'user') return { ended: true };
  const found = await personInWorkspace(services, caller.principalId, caller.workspaceId);
  if (!found) return { ended: true };
  const { user, workspace, workspaces } = found;
  return {
    session: {
      caller,
      user,
      workspace,
      workspaces,
      isAdmin: caller.role === 'admin' && caller.scopes.includes('admin'),
      isBillingOwner: workspace.billing_owner_id === user.id,
    },
  };
}
