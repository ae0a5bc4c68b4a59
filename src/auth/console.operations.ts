import { z } from 'zod';
import { notFound } from '../errors.js';
import { crossDb } from '../operations/context.js';
import { defineOperation } from '../operations/define.js';
import { acceptInviteStep } from '../people/accept.js';
import { loadInvite } from '../people/invites.js';
import { email, idRef } from '../records/fields.js';
import { scopeTo } from '../store/scoped.js';
import { findMembership } from '../workspaces/members.repository.js';
import { ROLE_SCOPES } from './scopes.js';
import { issueSignInToken, proveSignInCode, requestSignInCode } from './signin.js';
import { issueToken } from './tokens.js';
import { revokeToken } from './tokens.repository.js';

/**
 * The human console's session operations: sign-in (the one email-code sign-in of ./signin.ts, for
 * members only), invite acceptance and workspace switching, each giving a browser session. They
 * run through the same executor as every operation (one transaction, audit rows, mail sent after
 * commit) and are registered as the console's operations (`consoleOperations`); no API route, tool
 * or MCP tool exposes them. Unlike auth.verify they never create a person: an address without a
 * workspace (or a pending member invite) is told to ask its agent for an invite.
 */

/** A console session is one of our tokens, shorter-lived than an agent's. */
export const SESSION_TTL_SECONDS = 12 * 3600;
export const SESSION_TOKEN_NAME = 'human console (browser)';

const code = z.string().trim().min(1).max(20);
const inviteSecret = z.string().trim().min(10).max(200);

function sessionEnd(now: string): string {
  return new Date(Date.parse(now) + SESSION_TTL_SECONDS * 1000).toISOString();
}

export const consoleRequestCode = defineOperation({
  crossWorkspace: true,
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
    const message = await requestSignInCode(crossDb(ctx), ctx.services, {
      email: input.email,
      clientIp: ctx.clientIp,
      now: new Date(ctx.now),
      audience: 'members',
    });
    ctx.afterCommit(() => ctx.services.mailer.send(message));
    return { data: { email: input.email } };
  },
});

export const consoleSignIn = defineOperation({
  crossWorkspace: true,
  name: 'console.sign_in',
  summary: 'Human console: exchange an emailed code for a browser session in the oldest workspace.',
  http: { method: 'POST', path: '/human/sign-in/code' },
  auth: 'none',
  scope: 'read',
  mutating: true,
  requiresIdempotencyKey: false,
  input: z.strictObject({ email, code }),
  async handler(ctx, input) {
    const proven = await proveSignInCode(crossDb(ctx), ctx.services, {
      email: input.email,
      code: input.code,
      clientIp: ctx.clientIp,
      now: new Date(ctx.now),
      audience: 'members',
    });
    if ('error' in proven) return { data: null, error: proven.error };
    const { token, target } = await issueSignInToken(ctx, proven.signIn, {
      name: SESSION_TOKEN_NAME,
      expiresAt: sessionEnd(ctx.now),
    });
    return { data: { token: token.secret, token_id: token.id, workspace_id: target.id } };
  },
});

export const consoleAcceptInvite = defineOperation({
  crossWorkspace: true,
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
    const loaded = await loadInvite(crossDb(ctx), ctx.services, input.invite, ctx.now);
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
  crossWorkspace: true,
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
      scopeTo(crossDb(ctx), ctx.services.store.dialect, input.workspace_id),
      caller.principalId,
    );
    if (caller.principalType !== 'user' || !membership) throw notFound(`workspace/${input.workspace_id}`);
    const token = await issueToken(ctx.services, crossDb(ctx), {
      workspaceId: input.workspace_id,
      principalType: 'user',
      principalId: caller.principalId,
      name: SESSION_TOKEN_NAME,
      scopes: [...ROLE_SCOPES[membership.role]],
      now: ctx.now,
      expiresAt: sessionEnd(ctx.now),
    });
    await revokeToken(crossDb(ctx), caller.workspaceId, caller.tokenId, ctx.now);
    ctx.audit({ target: `token/${caller.tokenId}`, changes: { revoked_at: [null, ctx.now] } });
    ctx.audit({
      target: `token/${token.id}`,
      actor: { type: 'user', id: caller.principalId, workspaceId: input.workspace_id },
      changes: { name: [null, SESSION_TOKEN_NAME], scopes: [null, token.scopes.join(',')] },
    });
    return { data: { token: token.secret, token_id: token.id, workspace_id: input.workspace_id } };
  },
});

/** The console's operations, in the registry beside `operations` but exposed by no API surface. */
export const consoleOperations = [
  consoleRequestCode,
  consoleSignIn,
  consoleAcceptInvite,
  consoleSwitchWorkspace,
] as const;
