import type { InvitesTable } from '../store/schema.js';
import type { MemberRow } from './members.repository.js';

export function toMemberRecord(row: MemberRow, billingOwnerId: string | null) {
  return {
    handle: `user/${row.user_id}`,
    id: row.user_id,
    email: row.email,
    name: row.name,
    role: row.role,
    ...(billingOwnerId === row.user_id ? { billing_owner: true } : {}),
    joined_at: row.created_at,
  };
}

export function inviteStatus(row: InvitesTable, now: string): 'pending' | 'accepted' | 'revoked' | 'expired' {
  if (row.accepted_at) return 'accepted';
  if (row.revoked_at) return 'revoked';
  if (row.expires_at <= now) return 'expired';
  return 'pending';
}

/** An invite as shown to members: never its link secret. */
export function toInviteRecord(row: InvitesTable, now: string) {
  return {
    handle: `invite/${row.id}`,
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    kind: row.kind,
    status: inviteStatus(row, now),
    workspace_id: row.workspace_id,
    invited_by: row.invited_by.startsWith('agt_') ? `agent/${row.invited_by}` : `user/${row.invited_by}`,
    created_at: row.created_at,
    expires_at: row.expires_at,
  };
}
