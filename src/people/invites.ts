import type { Kysely, Transaction } from 'kysely';
import { findAgent } from '../agents/agents.repository.js';
import { AppError } from '../errors.js';
import { hashSecret } from '../ids.js';
import type { Services } from '../services.js';
import type { Database, InvitesTable, UsersTable, WorkspacesTable } from '../store/schema.js';
import { scopeTo } from '../store/scoped.js';
import { inviteStatus } from '../workspaces/member-records.js';
import { addMember, markInviteAccepted, setMemberRole } from '../workspaces/members.repository.js';
import { claimBillingOwner, findWorkspace, lockWorkspace } from '../workspaces/workspaces.repository.js';
import { findInviteByTokenHash } from './invites.repository.js';
import { ensureUser, setUserName } from './users.repository.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The prefix of an invite link's secret: `PUBLIC_URL/human?invite=hi_…`. */
export const INVITE_PREFIX = 'hi';

export interface LoadedInvite {
  invite: InvitesTable;
  workspace: WorkspacesTable;
  /** Who sent it: the agent's name for billing-owner invites. */
  inviterName: string;
}

/**
 * Finds a billing-owner invite from its link secret and checks that it can still be accepted;
 * used by humans.get_invite / humans.accept_invite and by the human pages.
 */
export async function loadInvite(
  db: Db,
  services: Services,
  secret: string,
  now: string,
): Promise<LoadedInvite> {
  const invite = await findInviteByTokenHash(db, hashSecret(secret.trim()));
  const workspace = invite ? await findWorkspace(db, invite.workspace_id) : undefined;
  if (!invite || !workspace || invite.kind !== 'billing_owner') {
    throw inviteInvalid('this invite link is not valid', 'unknown');
  }
  const status = inviteStatus(invite, now);
  if (status !== 'pending') {
    const why = {
      accepted: 'this invite was already accepted',
      revoked: 'this invite was replaced or withdrawn',
      expired: 'this invite expired',
    }[status];
    throw inviteInvalid(why, status);
  }
  const agent = await findAgent(scopeTo(db, services.store.dialect, workspace.id), invite.invited_by);
  return { invite, workspace, inviterName: agent?.name ?? 'your agent' };
}

function inviteInvalid(message: string, state: string): AppError {
  return new AppError(
    'invite_invalid',
    message,
    state === 'accepted'
      ? 'you are already the billing owner: sign in with POST /auth/request and POST /auth/verify'
      : 'ask your agent to send a new invite (humans.invite_billing_owner)',
    { details: { state } },
  );
}

/**
 * Makes the person who proved the invite's email address the workspace's billing owner and an
 * admin. Call it after the address is proven (an emailed code, checked by the caller).
 */
export async function acceptBillingOwnerInvite(
  db: Db,
  services: Services,
  loaded: LoadedInvite,
  now: string,
): Promise<{ user: UsersTable; workspace: WorkspacesTable }> {
  const { invite } = loaded;
  const workspace = (await lockWorkspace(db, invite.workspace_id, now)) ?? loaded.workspace;
  const { user } = await ensureUser(db, {
    id: services.ids.next('usr'),
    email: invite.email,
    name: invite.name,
    created_at: now,
    updated_at: now,
  });
  if (!user.name && invite.name) await setUserName(db, user.id, invite.name, now);
  const ws = scopeTo(db, services.store.dialect, workspace.id);
  if (!(await markInviteAccepted(ws, invite.id, user.id, now))) {
    throw inviteInvalid('this invite was already accepted or withdrawn', 'accepted');
  }
  if (!(await claimBillingOwner(db, workspace.id, user.id, now))) {
    throw new AppError(
      'conflict',
      'this workspace already has a billing owner',
      'sign in with POST /auth/request if that is you; otherwise ask the billing owner to invite you as a member',
    );
  }
  const { added } = await addMember(ws, user.id, 'admin', now);
  if (!added) await setMemberRole(ws, user.id, 'admin', now);
  return { user, workspace: { ...workspace, billing_owner_id: user.id } };
}
