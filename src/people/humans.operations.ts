import { z } from 'zod';
import { findAgent } from '../agents/agents.repository.js';
import { tokenName } from '../auth/auth.operations.js';
import { maskEmail } from '../auth/codes.js';
import { issuedToken } from '../auth/token-record.js';
import { AppError, notFound } from '../errors.js';
import { hashSecret, newSecret } from '../ids.js';
import { billingOwnerInviteMessage } from '../mail/messages.js';
import { crossDb } from '../operations/context.js';
import { defineOperation, type Warning } from '../operations/define.js';
import { assertSeatAvailable } from '../plans/usage.js';
import { email, idRef, shortText } from '../records/fields.js';
import { tokenWorkspace } from '../workspaces/access.js';
import { toInviteRecord } from '../workspaces/member-records.js';
import { insertInvite, revokePendingInvites } from '../workspaces/members.repository.js';
import { findWorkspace } from '../workspaces/workspaces.repository.js';
import { acceptInviteStep } from './accept.js';
import { INVITE_PREFIX, loadInvite } from './invites.js';
import { rememberInviteLink } from './invites.repository.js';

const inviteSecret = z.string().trim().min(10).max(200);

export const inviteBillingOwner = defineOperation({
  name: 'humans.invite_billing_owner',
  summary:
    'Invite your human as billing owner: they get an email link to /human?invite=… (AgentOnly section 04).',
  description:
    'Creates a one-time invite and emails the link; you never see its secret. Until the human accepts, the ' +
    'workspace stays on the sandbox plan. A new invite withdraws a pending one (warning invite.withdrawn). Once accepted, the human is the ' +
    'billing owner and an admin, approves your proposals and can unlock production (billing.request_upgrade).',
  http: { method: 'POST', path: '/agent-invite-human', aliases: ['/functions/v1/agent-invite-human'] },
  scope: 'write',
  crossWorkspace: true,
  mutating: true,
  input: z.strictObject({
    workspace_id: idRef('wrk'),
    agent_id: idRef('agt'),
    human_email: email,
    human_name: shortText(200).optional(),
  }),
  async handler(ctx, input) {
    const caller = ctx.caller!;
    const ws = await tokenWorkspace(ctx, input.workspace_id);
    const agent = await findAgent(ws, input.agent_id);
    if (!agent) throw notFound(`agent/${input.agent_id}`);
    if (caller.principalType === 'agent' && caller.principalId !== agent.id) {
      throw new AppError(
        'forbidden',
        `you are agent/${caller.principalId}; an agent invites its human on its own behalf`,
        `send agent_id: "${caller.principalId}"`,
      );
    }
    const workspace = (await findWorkspace(crossDb(ctx), ws.workspaceId))!;
    if (workspace.billing_owner_id) {
      throw new AppError(
        'conflict',
        `workspace/${workspace.id} already has a billing owner (user/${workspace.billing_owner_id})`,
        'ask the billing owner to approve work or invite teammates (POST /workspaces/{id}/invites)',
      );
    }
    const replaced = await revokePendingInvites(ws, { kind: 'billing_owner' }, ctx.now);
    // Only one billing-owner invite can be pending: say which link stopped working (expired ones did already).
    const warnings: Warning[] = replaced
      .filter((invite) => invite.expires_at > ctx.now)
      .map((invite) => ({
        code: 'invite.withdrawn',
        message: `the pending invite invite/${invite.id} to ${invite.email} was withdrawn: its link no longer works, only this new one can be accepted`,
      }));
    await assertSeatAvailable(ctx, ws.workspaceId);
    const secret = newSecret(INVITE_PREFIX);
    const ttl = ctx.services.config.inviteTtlSeconds;
    const row = {
      id: ctx.services.ids.next('inv'),
      kind: 'billing_owner' as const,
      email: input.human_email,
      name: input.human_name ?? null,
      role: 'admin' as const,
      token_hash: hashSecret(secret),
      invited_by: agent.id,
      created_at: ctx.now,
      expires_at: new Date(Date.parse(ctx.now) + ttl * 1000).toISOString(),
      accepted_at: null,
      accepted_by: null,
      revoked_at: null,
    };
    await insertInvite(ws, row);
    await rememberInviteLink(crossDb(ctx), { workspace_id: ws.workspaceId, token_hash: row.token_hash });
    const link = `${ctx.services.config.publicUrl}/human?invite=${encodeURIComponent(secret)}`;
    const message = billingOwnerInviteMessage(
      input.human_email,
      link,
      workspace.name,
      agent.name,
      input.human_name ?? null,
      ttl,
    );
    ctx.afterCommit(() => ctx.services.mailer.send(message));
    ctx.audit({
      target: `invite/${row.id}`,
      changes: { email: [null, input.human_email], kind: [null, 'billing_owner'] },
    });
    return {
      status: 201,
      data: { ...toInviteRecord({ ...row, workspace_id: ws.workspaceId }, ctx.now), plan: workspace.plan },
      meta: [
        '# created',
        `# emailed ${input.human_email} a one-time link to ${ctx.services.config.publicUrl}/human?invite=…`,
        '# the workspace stays sandbox until they accept',
      ],
      warnings,
      nextActions: [
        { tool_name: 'account.whoami', when: 'later: billing_owner is set once the human accepts' },
      ],
    };
  },
});

export const getInvite = defineOperation({
  name: 'humans.get_invite',
  summary:
    'Show what an invite link offers (workspace, inviting agent, status) before accepting. No auth needed.',
  description: 'The secret travels in the body, not the URL. Used by the /human page.',
  http: { method: 'POST', path: '/human/invites/inspect' },
  auth: 'none',
  scope: 'read',
  crossWorkspace: true,
  mutating: false,
  input: z.strictObject({ invite: inviteSecret }),
  async handler(ctx, input) {
    const loaded = await loadInvite(crossDb(ctx), ctx.services, input.invite, ctx.now);
    return {
      data: {
        ...toInviteRecord(loaded.invite, ctx.now),
        email: maskEmail(loaded.invite.email),
        workspace_name: loaded.workspace.name,
        agent_name: loaded.inviterName,
        plan: loaded.workspace.plan,
      },
    };
  },
});

export const acceptInvite = defineOperation({
  name: 'humans.accept_invite',
  summary:
    'Accept a billing-owner invite: without code, emails a sign-in code; with it, makes you billing owner and admin.',
  description:
    'Step 1: {"invite":"hi_…"} → a 6-digit code is emailed to the invited address (202). Step 2: {"invite":"hi_…",' +
    '"code":"123456"} → you become billing owner and admin, and get a token (shown once). No auth needed.',
  http: { method: 'POST', path: '/human/invites/accept' },
  auth: 'none',
  scope: 'read',
  crossWorkspace: true,
  mutating: true,
  requiresIdempotencyKey: false,
  input: z.strictObject({
    invite: inviteSecret,
    code: z.string().trim().min(1).max(20).optional(),
    token_name: tokenName.default('human console'),
  }),
  async handler(ctx, input) {
    const loaded = await loadInvite(crossDb(ctx), ctx.services, input.invite, ctx.now);
    const { invite } = loaded;
    const step = await acceptInviteStep(ctx, loaded, input.code, { name: input.token_name });
    if (step.step === 'code_sent') {
      return {
        status: 202,
        data: { handle: `invite/${invite.id}`, id: invite.id, code_sent_to: step.sentTo },
        meta: ['# a 6-digit code was emailed to the invited address; repeat with {"invite":…,"code":…}'],
      };
    }
    if (step.step === 'refused') return { data: null, error: step.error };
    const { user, workspace, token } = step;
    return {
      status: 201,
      data: {
        ...issuedToken(token, input.token_name),
        user_id: user.id,
        email: user.email,
        workspace_id: workspace.id,
        workspace_name: workspace.name,
        role: 'admin',
        billing_owner: true,
        plan: workspace.plan,
        scopes: token.scopes,
        expires_at: token.expiresAt,
      },
      meta: [
        `# accepted: you are the billing owner and an admin of workspace/${workspace.id}`,
        '# save the token now: it is shown only once',
      ],
    };
  },
});

export const humanOperations = [inviteBillingOwner, getInvite, acceptInvite];
