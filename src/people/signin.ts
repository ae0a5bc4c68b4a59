import type { Kysely, Transaction } from 'kysely';
import type { Services } from '../services.js';
import type { Database, UsersTable } from '../store/schema.js';
import { scopeTo } from '../store/scoped.js';
import { addMember, markInviteAccepted } from '../workspaces/members.repository.js';
import { createWorkspaceFor } from '../workspaces/workspaces.js';
import { listUserWorkspaces, type WorkspaceWithRole } from '../workspaces/workspaces.repository.js';
import { pendingMemberInvitesFor } from './invites.repository.js';
import { ensureUser, findUserByEmail } from './users.repository.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface SignIn {
  user: UsersTable;
  /** The person did not exist before this sign-in. */
  created: boolean;
  /** Workspaces joined through pending invites during this sign-in. */
  joined: string[];
  /** Every workspace the person now belongs to, oldest membership first. */
  workspaces: WorkspaceWithRole[];
}

/**
 * What happens once an email address is proven: the person is found or created (there is no
 * sign-up form: an agent signs its human in), pending invites for the address are joined, and a
 * person left without any workspace gets a personal sandbox.
 */
export async function completeSignIn(
  db: Db,
  services: Services,
  input: { email: string; name?: string | null; now: string },
): Promise<SignIn> {
  const { user, created } = await ensureUser(db, {
    id: services.ids.next('usr'),
    email: input.email,
    name: input.name ?? null,
    created_at: input.now,
    updated_at: input.now,
  });
  const joined: string[] = [];
  for (const invite of await pendingMemberInvitesFor(db, input.email, input.now)) {
    const ws = scopeTo(db, services.store.dialect, invite.workspace_id);
    if (!(await markInviteAccepted(ws, invite.id, user.id, input.now))) continue;
    const { added } = await addMember(ws, user.id, invite.role, input.now);
    if (added) joined.push(invite.workspace_id);
  }
  let workspaces = await listUserWorkspaces(db, user.id);
  if (workspaces.length === 0) {
    await createWorkspaceFor(db, services, {
      name: `${user.name ?? user.email}'s workspace`,
      userId: user.id,
      now: input.now,
    });
    workspaces = await listUserWorkspaces(db, user.id);
  }
  return { user, created, joined, workspaces };
}

/** Whether the address may use the human console: a member of some workspace, or invited to one. */
export async function hasWorkspaceAccess(db: Db, email: string, now: string): Promise<boolean> {
  const user = await findUserByEmail(db, email);
  if (user && (await listUserWorkspaces(db, user.id)).length > 0) return true;
  return (await pendingMemberInvitesFor(db, email, now)).length > 0;
}
