import { authStateChanged } from '../auth/auth-cache.js';
import type { InvitesTable, MembershipsTable, UsersTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';

type Role = MembershipsTable['role'];

export async function findMembership(ws: WorkspaceDb, userId: string): Promise<MembershipsTable | undefined> {
  return ws.selectFrom('memberships').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** Adds the person to the workspace; an existing membership keeps its role unless `raiseTo` is admin. */
export async function addMember(
  ws: WorkspaceDb,
  userId: string,
  role: Role,
  now: string,
): Promise<{ added: boolean }> {
  authStateChanged();
  const result = await ws
    .insertInto('memberships', { user_id: userId, role, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return { added: Number(result.numInsertedOrUpdatedRows ?? 0) > 0 };
}

export async function setMemberRole(ws: WorkspaceDb, userId: string, role: Role, now: string): Promise<void> {
  authStateChanged();
  await ws.updateTable('memberships').set({ role, updated_at: now }).where('user_id', '=', userId).execute();
}

export async function removeMember(ws: WorkspaceDb, userId: string): Promise<void> {
  authStateChanged();
  await ws.deleteFrom('memberships').where('user_id', '=', userId).execute();
}

export async function countAdmins(ws: WorkspaceDb): Promise<number> {
  const row = await ws
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type MemberRow = MembershipsTable & Pick<UsersTable, 'email' | 'name'>;

export async function listMembers(ws: WorkspaceDb): Promise<MemberRow[]> {
  return ws
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .selectAll('memberships')
    .select(['users.email as email', 'users.name as name'])
    .orderBy('memberships.created_at')
    .orderBy('memberships.user_id')
    .execute() as Promise<MemberRow[]>;
}

/** Members plus invites still waiting (not accepted, revoked or expired): what a seat cap counts. */
export async function countSeats(ws: WorkspaceDb, now: string): Promise<number> {
  const members = await ws
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const invites = await pendingInvitesQuery(ws, now)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(members.n) + Number(invites.n);
}

const pendingInvitesQuery = (ws: WorkspaceDb, now: string) =>
  ws
    .selectFrom('invites')
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now);

export async function listPendingInvites(ws: WorkspaceDb, now: string): Promise<InvitesTable[]> {
  return pendingInvitesQuery(ws, now).selectAll().orderBy('created_at').orderBy('id').execute() as Promise<
    InvitesTable[]
  >;
}

export async function findInvite(ws: WorkspaceDb, id: string): Promise<InvitesTable | undefined> {
  return ws.selectFrom('invites').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
    InvitesTable | undefined
  >;
}

export async function insertInvite(ws: WorkspaceDb, row: Omit<InvitesTable, 'workspace_id'>): Promise<void> {
  await ws.insertInto('invites', row).execute();
}

/** Revokes the pending invites of one kind for an email (a new invite replaces the old one). */
export async function revokePendingInvites(
  ws: WorkspaceDb,
  filter: { kind: InvitesTable['kind']; email?: string },
  now: string,
): Promise<Pick<InvitesTable, 'id' | 'email' | 'expires_at'>[]> {
  let query = ws
    .updateTable('invites')
    .set({ revoked_at: now })
    .where('kind', '=', filter.kind)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null);
  if (filter.email) query = query.where('email', '=', filter.email);
  return query.returning(['id', 'email', 'expires_at']).execute();
}

export async function revokeInvite(ws: WorkspaceDb, id: string, now: string): Promise<boolean> {
  const result = await ws
    .updateTable('invites')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Marks an invite accepted unless it already was (or was revoked); returns whether this call did. */
export async function markInviteAccepted(
  ws: WorkspaceDb,
  id: string,
  userId: string,
  now: string,
): Promise<boolean> {
  const result = await ws
    .updateTable('invites')
    .set({ accepted_at: now, accepted_by: userId })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
