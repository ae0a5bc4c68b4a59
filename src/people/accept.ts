import { maskEmail } from '../auth/codes.js';
import { consumeLoginCode, issueLoginCode } from '../auth/login.js';
import { ROLE_SCOPES } from '../auth/scopes.js';
import { type IssuedToken, issueToken } from '../auth/tokens.js';
import type { AppError } from '../errors.js';
import { crossDb } from '../operations/context.js';
import type { OperationContext } from '../operations/define.js';
import type { UsersTable, WorkspacesTable } from '../store/schema.js';
import { acceptBillingOwnerInvite, type LoadedInvite } from './invites.js';

export type InviteAcceptance =
  | { step: 'code_sent'; sentTo: string }
  | { step: 'refused'; error: AppError }
  | { step: 'accepted'; user: UsersTable; workspace: WorkspacesTable; token: IssuedToken };

/**
 * Accepting a billing-owner invite, shared by the API (humans.accept_invite) and the console:
 * without a code, email one to the invited address; with it, check it, make the person billing
 * owner and admin, issue their token, and audit the change.
 */
export async function acceptInviteStep(
  ctx: OperationContext,
  loaded: LoadedInvite,
  code: string | undefined,
  token: { name: string; expiresAt?: string },
): Promise<InviteAcceptance> {
  const { invite } = loaded;
  const now = new Date(ctx.now);
  if (!code) {
    const message = await issueLoginCode(crossDb(ctx), ctx.services, {
      email: invite.email,
      clientIp: ctx.clientIp,
      now,
    });
    ctx.afterCommit(() => ctx.services.mailer.send(message));
    return { step: 'code_sent', sentTo: maskEmail(invite.email) };
  }
  const failure = await consumeLoginCode(crossDb(ctx), ctx.services, {
    email: invite.email,
    code,
    clientIp: ctx.clientIp,
    now,
  });
  if (failure) return { step: 'refused', error: failure };
  const { user, workspace } = await acceptBillingOwnerInvite(crossDb(ctx), ctx.services, loaded, ctx.now);
  const issued = await issueToken(ctx.services, crossDb(ctx), {
    workspaceId: workspace.id,
    principalType: 'user',
    principalId: user.id,
    name: token.name,
    scopes: [...ROLE_SCOPES.admin],
    now: ctx.now,
    ...(token.expiresAt ? { expiresAt: token.expiresAt } : {}),
  });
  ctx.audit({
    target: `user/${user.id}`,
    actor: { type: 'user', id: user.id, workspaceId: workspace.id },
    changes: { billing_owner: [null, `user/${user.id}`], role: [null, 'admin'] },
  });
  return { step: 'accepted', user, workspace, token: issued };
}
