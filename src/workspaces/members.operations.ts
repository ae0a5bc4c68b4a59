import { z } from 'zod';
import { requireStepUp } from '../auth/stepup.js';
import { revokeUserTokensIn } from '../auth/tokens.repository.js';
import { AppError, notFound } from '../errors.js';
import { memberInviteMessage } from '../mail/messages.js';
import { crossDb } from '../operations/context.js';
import { defineOperation, type OperationContext } from '../operations/define.js';
import { findUser, findUserByEmail } from '../people/users.repository.js';
import { assertSeatAvailable } from '../plans/usage.js';
import { email, idRef, shortText } from '../records/fields.js';
import type { WorkspaceDb } from '../store/scoped.js';
import { tokenWorkspace } from './access.js';
import { toInviteRecord, toMemberRecord } from './member-records.js';
import {
  countAdmins,
  findInvite,
  findMembership,
  insertInvite,
  listMembers,
  listPendingInvites,
  removeMember,
  revokeInvite,
  revokePendingInvites,
  setMemberRole,
} from './members.repository.js';
import { workspaceId } from './workspaces.operations.js';
import { findWorkspace, lockWorkspace } from './workspaces.repository.js';

const role = z.enum(['admin', 'member']);
const userId = idRef('usr');

/** Loads a member for a change, after locking the workspace so concurrent role changes queue up. */
async function memberForChange(ctx: OperationContext, ws: WorkspaceDb, user: string) {
  const workspace = await lockWorkspace(crossDb(ctx), ws.workspaceId, ctx.now);
  const membership = await findMembership(ws, user);
  if (!workspace || !membership) throw notFound(`user/${user}`);
  return { workspace, membership };
}

function assertNotLastAdmin(admins: number, what: string) {
  if (admins <= 1) {
    throw new AppError(
      'conflict',
      `cannot ${what}: they are the last admin of this workspace`,
      'make another member admin first (POST /workspaces/{id}/members/{userId}/role {"role":"admin"})',
    );
  }
}

function assertNotBillingOwner(billingOwnerId: string | null, user: string, what: string) {
  if (billingOwnerId === user) {
    throw new AppError(
      'conflict',
      `cannot ${what}: they are the billing owner of this workspace`,
      'the billing owner stays an admin; billing ownership cannot be moved through the API yet',
    );
  }
}

export const listMembersOperation = defineOperation({
  name: 'members.list',
  summary: 'List the members of a workspace (with roles) and its pending invites.',
  http: { method: 'GET', path: '/workspaces/:workspace_id/members' },
  scope: 'read',
  crossWorkspace: true,
  mutating: false,
  input: z.strictObject({ workspace_id: workspaceId }),
  async handler(ctx, input) {
    const ws = await tokenWorkspace(ctx, input.workspace_id);
    const workspace = await findWorkspace(crossDb(ctx), ws.workspaceId);
    const members = await listMembers(ws);
    const invites = await listPendingInvites(ws, ctx.now);
    return {
      data: [
        ...members.map((row) => toMemberRecord(row, workspace?.billing_owner_id ?? null)),
        ...invites.map((row) => toInviteRecord(row, ctx.now)),
      ],
    };
  },
});

export const inviteMember = defineOperation({
  name: 'members.invite',
  summary: 'Invite someone by email as member or admin (admin only); they join the next time they sign in.',
  description:
    'The person is emailed sign-in instructions. Inviting as admin needs a step-up code (escalation_required). ' +
    "Pending invites count against the plan's members cap; a new invite for the same email replaces the old one.",
  http: { method: 'POST', path: '/workspaces/:workspace_id/invites' },
  scope: 'admin',
  crossWorkspace: true,
  mutating: true,
  input: z.strictObject({
    workspace_id: workspaceId,
    email,
    role: role.default('member'),
    name: shortText(200).optional(),
    code: z.string().trim().max(20).optional(),
  }),
  async handler(ctx, input) {
    const ws = await tokenWorkspace(ctx, input.workspace_id);
    const existing = await findUserByEmail(crossDb(ctx), input.email);
    if (existing && (await findMembership(ws, existing.id))) {
      throw new AppError(
        'conflict',
        `${input.email} is already a member (user/${existing.id})`,
        'change their role with POST /workspaces/{id}/members/{userId}/role instead',
      );
    }
    if (input.role === 'admin') {
      const confirm = await requireStepUp(ctx, {
        operation: 'members.invite',
        input,
        description: `invite ${input.email} as admin of workspace/${ws.workspaceId}`,
      });
      if (confirm) return confirm;
    }
    await revokePendingInvites(ws, { kind: 'member', email: input.email }, ctx.now);
    await assertSeatAvailable(ctx, ws.workspaceId);
    const workspace = (await findWorkspace(crossDb(ctx), ws.workspaceId))!;
    const row = {
      id: ctx.services.ids.next('inv'),
      kind: 'member' as const,
      email: input.email,
      name: input.name ?? null,
      role: input.role,
      token_hash: null,
      invited_by: ctx.caller!.principalId,
      created_at: ctx.now,
      expires_at: new Date(Date.parse(ctx.now) + ctx.services.config.inviteTtlSeconds * 1000).toISOString(),
      accepted_at: null,
      accepted_by: null,
      revoked_at: null,
    };
    await insertInvite(ws, row);
    const inviter =
      ctx.caller!.principalType === 'user'
        ? await findUser(crossDb(ctx), ctx.caller!.principalId)
        : undefined;
    const message = memberInviteMessage(
      input.email,
      workspace.name,
      input.role,
      inviter?.name ?? inviter?.email ?? 'A workspace admin',
      ctx.services.config.publicUrl,
    );
    ctx.afterCommit(() => ctx.services.mailer.send(message));
    ctx.audit({
      target: `invite/${row.id}`,
      changes: { email: [null, input.email], role: [null, input.role] },
    });
    return {
      status: 201,
      data: toInviteRecord({ ...row, workspace_id: ws.workspaceId }, ctx.now),
      meta: ['# created', `# emailed ${input.email}; they join the next time they sign in`],
    };
  },
});

export const setMemberRoleOperation = defineOperation({
  name: 'members.set_role',
  summary: "Change a member's role to admin or member (admin only; promoting needs a step-up code).",
  description:
    'Promoting answers escalation_required first and emails a code; repeat with ?code=<code>. The last admin ' +
    'cannot be demoted, nor can the billing owner.',
  http: { method: 'POST', path: '/workspaces/:workspace_id/members/:user_id/role' },
  scope: 'admin',
  crossWorkspace: true,
  mutating: true,
  input: z.strictObject({
    workspace_id: workspaceId,
    user_id: userId,
    role,
    code: z.string().trim().max(20).optional(),
  }),
  async handler(ctx, input) {
    const ws = await tokenWorkspace(ctx, input.workspace_id);
    const current = await findMembership(ws, input.user_id);
    if (!current) throw notFound(`user/${input.user_id}`);
    if (current.role !== input.role && input.role === 'admin') {
      const confirm = await requireStepUp(ctx, {
        operation: 'members.set_role',
        input,
        description: `make user/${input.user_id} an admin of workspace/${ws.workspaceId}`,
      });
      if (confirm) return confirm;
    }
    const { workspace, membership } = await memberForChange(ctx, ws, input.user_id);
    const user = await findUser(crossDb(ctx), input.user_id);
    const record = (r: typeof input.role) =>
      toMemberRecord(
        { ...membership, role: r, email: user?.email ?? '', name: user?.name ?? null },
        workspace.billing_owner_id,
      );
    if (membership.role === input.role) return { data: record(input.role), meta: ['# unchanged'] };
    if (input.role === 'member') {
      assertNotBillingOwner(workspace.billing_owner_id, input.user_id, 'demote them');
      assertNotLastAdmin(await countAdmins(ws), 'demote them');
    }
    await setMemberRole(ws, input.user_id, input.role, ctx.now);
    ctx.audit({ target: `user/${input.user_id}`, changes: { role: [membership.role, input.role] } });
    return { data: record(input.role), meta: ['# updated'] };
  },
});

export const removeMemberOperation = defineOperation({
  name: 'members.remove',
  summary: 'Remove a member from the workspace (admin only); their tokens for it stop working at once.',
  http: { method: 'DELETE', path: '/workspaces/:workspace_id/members/:user_id' },
  scope: 'admin',
  crossWorkspace: true,
  mutating: true,
  input: z.strictObject({ workspace_id: workspaceId, user_id: userId }),
  async handler(ctx, input) {
    const ws = await tokenWorkspace(ctx, input.workspace_id);
    const { workspace, membership } = await memberForChange(ctx, ws, input.user_id);
    assertNotBillingOwner(workspace.billing_owner_id, input.user_id, 'remove them');
    if (membership.role === 'admin') assertNotLastAdmin(await countAdmins(ws), 'remove them');
    await removeMember(ws, input.user_id);
    await revokeUserTokensIn(crossDb(ctx), ws.workspaceId, input.user_id, ctx.now);
    ctx.audit({ target: `user/${input.user_id}`, changes: { role: [membership.role, null] } });
    return {
      data: {
        handle: `user/${input.user_id}`,
        id: input.user_id,
        removed: true,
        workspace_id: ws.workspaceId,
      },
      meta: ['# removed; their tokens for this workspace are revoked'],
    };
  },
});

export const revokeInviteOperation = defineOperation({
  name: 'members.revoke_invite',
  summary: 'Withdraw a pending invite (admin only).',
  http: { method: 'DELETE', path: '/workspaces/:workspace_id/invites/:invite_id' },
  scope: 'admin',
  crossWorkspace: true,
  mutating: true,
  input: z.strictObject({ workspace_id: workspaceId, invite_id: idRef('inv') }),
  async handler(ctx, input) {
    const ws = await tokenWorkspace(ctx, input.workspace_id);
    const invite = await findInvite(ws, input.invite_id);
    if (!invite || !(await revokeInvite(ws, invite.id, ctx.now))) throw notFound(`invite/${input.invite_id}`);
    ctx.audit({ target: `invite/${invite.id}`, changes: { revoked_at: [null, ctx.now] } });
    return { data: toInviteRecord({ ...invite, revoked_at: ctx.now }, ctx.now), meta: ['# revoked'] };
  },
});

export const memberOperations = [
  listMembersOperation,
  inviteMember,
  setMemberRoleOperation,
  removeMemberOperation,
  revokeInviteOperation,
];
