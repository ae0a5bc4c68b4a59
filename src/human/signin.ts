import { z } from 'zod';
import { hashCode, newNumericCode } from '../auth/codes.js';
import { consumeLoginCode, issueLoginCode, throttleCodeRequest } from '../auth/login.js';
import { ROLE_SCOPES } from '../auth/scopes.js';
import { issueToken } from '../auth/tokens.js';
import { revokeToken } from '../auth/tokens.repository.js';
import { AppError, notFound } from '../errors.js';
import { noAccountMessage } from '../mail/messages.js';
import { defineOperation, type OperationContext } from '../operations/define.js';
import { acceptInviteStep } from '../people/accept.js';
import { loadInvite } from '../people/invites.js';
import { pendingMemberInvitesFor } from '../people/invites.repository.js';
import { completeSignIn } from '../people/signin.js';
import { findUserByEmail } from '../people/users.repository.js';
import { email, idRef } from '../records/fields.js';
import { scopeTo } from '../store/scoped.js';
import { findMembership } from '../workspaces/members.repository.js';
import { listUserWorkspaces } from '../workspaces/workspaces.repository.js';

/**
 * The console's own sign-in steps. They are operations so that they run through runOperation
 * (one transaction, audit rows, mail sent after commit), but they are not in the registry: no API
 * route, tool or MCP tool exposes them. Unlike auth.verify they never create a person: an address
 * without a workspace (or a pending member invite) is told to ask its agent for an invite.
 */

/** A console session is one of our tokens, shorter-lived than an agent's. */
export const SESSION_TTL_SECONDS = 12 * 3600;
export const SESSION_TOKEN_NAME = 'human console (browser)';

const code = z.string().trim().min(1).max(20);
const inviteSecret = z.string().trim().min(10).max(200);

async function hasConsoleAccess(ctx: OperationContext, address: string): Promise<boolean> {
  const user = await findUserByEmail(ctx.db, address);
  if (user && (await listUserWorkspaces(ctx.db, user.id)).length > 0) return true;
  return (await pendingMemberInvitesFor(ctx.db, address, ctx.now)).length > 0;
}

function sessionEnd(now: string): string {
  return new Date(Date.parse(now) + SESSION_TTL_SECONDS * 1000).toISOString();
}

export const consoleRequestCode = defineOperation({
  name: 'console.request_code',
  summary:
    'Human console: email a sign-in code to a known address (unknown ones are told to ask for an invite).',
  http: { method: 'POST', path: '/human/sign-in' },
  auth: 'none',
  scope: 'read',
  mutating: true,
  requiresIdempotencyKey: false,
  input: z.strictObject({ email }),
  async handler(ctx, input) {
    const now = new Date(ctx.now);
    let message: Awaited<ReturnType<typeof issueLoginCode>>;
    if (await hasConsoleAccess(ctx, input.email)) {
      message = await issueLoginCode(ctx.db, ctx.services, {
        email: input.email,
        clientIp: ctx.clientIp,
        now,
      });
    } else {
      await throttleCodeRequest(ctx.db, ctx.services, { email: input.email, clientIp: ctx.clientIp, now });
      // The same hashing work as a real code, so the answer's timing does not tell the two apart.
      await hashCode(newNumericCode());
      message = noAccountMessage(input.email, ctx.services.config.publicUrl);
    }
    ctx.afterCommit(() => ctx.services.mailer.send(message));
    return { data: { email: input.email } };
  },
});

export const consoleSignIn = defineOperation({
  name: 'console.sign_in',
  summary: 'Human console: exchange an emailed code for a browser session in the oldest workspace.',
  http: { method: 'POST', path: '/human/sign-in/code' },
  auth: 'none',
  scope: 'read',
  mutating: true,
  requiresIdempotencyKey: false,
  input: z.strictObject({ email, code }),
  async handler(ctx, input) {
    const failure = await consumeLoginCode(ctx.db, ctx.services, {
      email: input.email,
      code: input.code,
      clientIp: ctx.clientIp,
      now: new Date(ctx.now),
    });
    if (failure) return { data: null, error: failure };
    if (!(await hasConsoleAccess(ctx, input.email))) {
      throw new AppError(
        'forbidden',
        'no agentcrm workspace has this address as a member',
        'agentcrm has no sign-up: ask your AI agent to invite you, then open the link in its email',
      );
    }
    const signIn = await completeSignIn(ctx.db, ctx.services, { email: input.email, now: ctx.now });
    const target = signIn.workspaces[0]!;
    const token = await issueToken(ctx.services, ctx.db, {
      workspaceId: target.id,
      principalType: 'user',
      principalId: signIn.user.id,
      name: SESSION_TOKEN_NAME,
      scopes: [...ROLE_SCOPES[target.role]],
      now: ctx.now,
      expiresAt: sessionEnd(ctx.now),
    });
    ctx.audit({
      target: `token/${token.id}`,
      actor: { type: 'user', id: signIn.user.id, workspaceId: target.id },
      changes: { name: [null, SESSION_TOKEN_NAME], scopes: [null, token.scopes.join(',')] },
    });
    return { data: { token: token.secret, token_id: token.id, workspace_id: target.id } };
  },
});

export const consoleAcceptInvite = defineOperation({
  name: 'console.accept_invite',
  summary:
    'Human console: accept a billing-owner invite; without code, emails one; with it, makes the person billing owner.',
  http: { method: 'POST', path: '/human/accept' },
  auth: 'none',
  scope: 'read',
  mutating: true,
  requiresIdempotencyKey: false,
  input: z.strictObject({ invite: inviteSecret, code: code.optional() }),
  async handler(ctx, input) {
    const loaded = await loadInvite(ctx.db, ctx.services, input.invite, ctx.now);
    const step = await acceptInviteStep(ctx, loaded, input.code, {
      name: SESSION_TOKEN_NAME,
      expiresAt: sessionEnd(ctx.now),
    });
    if (step.step === 'code_sent') return { data: { code_sent_to: step.sentTo } };
    if (step.step === 'refused') return { data: null, error: step.error };
    const { token, workspace } = step;
    return { data: { token: token.secret, token_id: token.id, workspace_id: workspace.id } };
  },
});

export const consoleSwitchWorkspace = defineOperation({
  name: 'console.switch_workspace',
  summary: 'Human console: trade this session for one in another workspace the person belongs to.',
  http: { method: 'POST', path: '/human/workspace' },
  scope: 'read',
  mutating: true,
  requiresIdempotencyKey: false,
  input: z.strictObject({ workspace_id: idRef('wrk') }),
  async handler(ctx, input) {
    const caller = ctx.caller!;
    const membership = await findMembership(
      scopeTo(ctx.db, ctx.services.store.dialect, input.workspace_id),
      caller.principalId,
    );
    if (caller.principalType !== 'user' || !membership) throw notFound(`workspace/${input.workspace_id}`);
    const token = await issueToken(ctx.services, ctx.db, {
      workspaceId: input.workspace_id,
      principalType: 'user',
      principalId: caller.principalId,
      name: SESSION_TOKEN_NAME,
      scopes: [...ROLE_SCOPES[membership.role]],
      now: ctx.now,
      expiresAt: sessionEnd(ctx.now),
    });
    await revokeToken(ctx.db, caller.tokenId, ctx.now);
    ctx.audit({ target: `token/${caller.tokenId}`, changes: { revoked_at: [null, ctx.now] } });
    ctx.audit({
      target: `token/${token.id}`,
      actor: { type: 'user', id: caller.principalId, workspaceId: input.workspace_id },
      changes: { name: [null, SESSION_TOKEN_NAME], scopes: [null, token.scopes.join(',')] },
    });
    return { data: { token: token.secret, token_id: token.id, workspace_id: input.workspace_id } };
  },
});
