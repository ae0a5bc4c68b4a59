import { z } from 'zod';
import { withAuditPurge } from '../audit/purge.js';
import { tokenName } from '../auth/auth.operations.js';
import { isFullSession, ROLE_SCOPES } from '../auth/scopes.js';
import { requireStepUp } from '../auth/stepup.js';
import { issuedToken } from '../auth/token-record.js';
import { issueToken } from '../auth/tokens.js';
import { narrowScopes, scopeList } from '../auth/tokens.operations.js';
import { AppError, notFound } from '../errors.js';
import { crossDb } from '../operations/context.js';
import { defineOperation } from '../operations/define.js';
import { assertWorkspaceAllowance } from '../plans/usage.js';
import { idRef } from '../records/fields.js';
import { scopeTo } from '../store/scoped.js';
import { deleteTenantRows, tenantTables } from '../store/tenant-tables.js';
import { tokenWorkspace } from './access.js';
import { findMembership } from './members.repository.js';
import { createWorkspaceFor, toWorkspaceRecord } from './workspaces.js';
import {
  deleteWorkspaceRow,
  findWorkspace,
  listUserWorkspaces,
  lockWorkspace,
} from './workspaces.repository.js';

export const workspaceId = idRef('wrk');

const workspaceName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}]+$/u, 'printable text only');

export const listWorkspaces = defineOperation({
  name: 'workspaces.list',
  summary: "List the workspaces you belong to, with your role in each; current=true marks this token's.",
  http: { method: 'GET', path: '/workspaces' },
  scope: 'read',
  crossWorkspace: true,
  mutating: false,
  input: z.strictObject({}),
  async handler(ctx) {
    const caller = ctx.caller!;
    if (caller.principalType === 'agent') {
      const workspace = await findWorkspace(crossDb(ctx), caller.workspaceId);
      return { data: workspace ? [toWorkspaceRecord(workspace, { role: 'member', current: true })] : [] };
    }
    const rows = await listUserWorkspaces(crossDb(ctx), caller.principalId);
    return {
      data: rows.map((row) => toWorkspaceRecord(row, row.id === caller.workspaceId ? { current: true } : {})),
    };
  },
});

export const createWorkspace = defineOperation({
  name: 'workspaces.create',
  summary: 'Create a workspace (sandbox plan); you become its admin and billing owner.',
  description:
    'To work in it, mint a token for it with workspaces.mint_token (POST /workspaces/{id}/tokens).',
  http: { method: 'POST', path: '/workspaces' },
  scope: 'write',
  crossWorkspace: true,
  mutating: true,
  callers: 'people',
  input: z.strictObject({ name: workspaceName }),
  async handler(ctx, input) {
    const caller = ctx.caller!;
    if (caller.principalType !== 'user') {
      throw new AppError(
        'forbidden',
        'agents work in the workspace they signed up with; workspaces are created by people',
        'sign up another agent with POST /agent-bootstrap for a separate sandbox, or sign your human in (POST /auth/request)',
      );
    }
    await assertWorkspaceAllowance(ctx, caller.principalId);
    const row = await createWorkspaceFor(crossDb(ctx), ctx.services, {
      name: input.name,
      userId: caller.principalId,
      now: ctx.now,
    });
    ctx.audit({
      target: `workspace/${row.id}`,
      actor: { type: 'user', id: caller.principalId, workspaceId: row.id },
      changes: { name: [null, row.name], plan: [null, row.plan] },
    });
    return {
      status: 201,
      data: toWorkspaceRecord(row, { role: 'admin' }),
      meta: ['# created', `# switch to it: POST /workspaces/${row.id}/tokens`],
      nextActions: [
        { tool_name: 'workspaces.mint_token', when: 'to get a token that acts in the new workspace' },
      ],
    };
  },
});

export const mintWorkspaceToken = defineOperation({
  name: 'workspaces.mint_token',
  summary: 'Mint a token for another workspace you belong to ("switch"); send it instead of this one.',
  description:
    'Scopes default to what your role there allows. Needs a full session (a token with every scope your role ' +
    'allows): a narrowed token cannot switch workspaces. The secret is shown once.',
  http: { method: 'POST', path: '/workspaces/:workspace_id/tokens' },
  scope: 'read',
  crossWorkspace: true,
  mutating: true,
  input: z.strictObject({
    workspace_id: workspaceId,
    token_name: tokenName.optional(),
    scopes: scopeList.optional(),
  }),
  async handler(ctx, input) {
    const caller = ctx.caller!;
    let role = caller.role;
    let scopes: typeof caller.scopes;
    if (caller.principalType === 'agent' || input.workspace_id === caller.workspaceId) {
      if (input.workspace_id !== caller.workspaceId) throw notFound(`workspace/${input.workspace_id}`);
      scopes = narrowScopes(caller, input.scopes);
    } else {
      const membership = await findMembership(
        scopeTo(crossDb(ctx), ctx.services.store.dialect, input.workspace_id),
        caller.principalId,
      );
      if (!membership) throw notFound(`workspace/${input.workspace_id}`);
      if (!isFullSession(caller)) {
        throw new AppError(
          'scope_insufficient',
          'a narrowed token cannot mint tokens for other workspaces',
          'use a full session token (from POST /auth/verify) to switch workspaces',
        );
      }
      role = membership.role;
      const allowed = ROLE_SCOPES[role];
      const extra = (input.scopes ?? []).filter((scope) => !allowed.includes(scope));
      if (extra.length) {
        throw new AppError(
          'scope_insufficient',
          `your role in workspace/${input.workspace_id} (${role}) allows ${allowed.join(', ')}; not ${extra.join(', ')}`,
          'ask for fewer scopes, or ask an admin there to change your role',
        );
      }
      scopes = input.scopes ?? [...allowed];
    }
    const name = input.token_name ?? caller.tokenName;
    const token = await issueToken(ctx.services, crossDb(ctx), {
      workspaceId: input.workspace_id,
      principalType: caller.principalType,
      principalId: caller.principalId,
      name,
      scopes: [...scopes],
      now: ctx.now,
    });
    ctx.audit({
      target: `token/${token.id}`,
      actor: { type: caller.principalType, id: caller.principalId, workspaceId: input.workspace_id },
      changes: { name: [null, name], scopes: [null, scopes.join(',')] },
    });
    return {
      status: 201,
      data: {
        ...issuedToken(token, name),
        workspace_id: input.workspace_id,
        role,
        scopes,
        expires_at: token.expiresAt,
      },
      meta: ['# created', '# save the token now: it is shown only once; send it to act in that workspace'],
    };
  },
});

export const deleteWorkspace = defineOperation({
  name: 'workspaces.delete',
  summary:
    'Delete this workspace and all its data, at once and for good (admin; needs an emailed step-up code).',
  description:
    'The first call answers escalation_required and emails a code to your human; repeat the same request with ' +
    '?code=<code> (or X-Escalation-Code). Every record, token, member, invite and audit row goes, in one transaction.',
  http: { method: 'DELETE', path: '/workspaces/:workspace_id' },
  scope: 'admin',
  crossWorkspace: true,
  mutating: true,
  input: z.strictObject({ workspace_id: workspaceId, code: z.string().trim().max(20).optional() }),
  async handler(ctx, input) {
    await tokenWorkspace(ctx, input.workspace_id);
    const workspace = await findWorkspace(crossDb(ctx), input.workspace_id);
    if (!workspace) throw notFound(`workspace/${input.workspace_id}`);
    const confirm = await requireStepUp(ctx, {
      operation: 'workspaces.delete',
      input,
      description: `delete workspace "${workspace.name}" (workspace/${workspace.id}) and all its data`,
    });
    if (confirm) return confirm;
    await lockWorkspace(crossDb(ctx), workspace.id, ctx.now);
    const removed: Record<string, number> = {};
    // Its audit log goes too: the one purge the append-only audit table lets through today.
    await withAuditPurge(crossDb(ctx), ctx.services.store.dialect, async () => {
      for (const table of await tenantTables(crossDb(ctx), ctx.services.store.dialect)) {
        const count = await deleteTenantRows(crossDb(ctx), table, workspace.id);
        if (count) removed[table.name] = count;
      }
    });
    await deleteWorkspaceRow(crossDb(ctx), workspace.id);
    ctx.services.logger.info(
      { request_id: ctx.requestId, workspace_id: workspace.id, by: ctx.caller!.principalId, removed },
      'workspace deleted',
    );
    return {
      data: { ...toWorkspaceRecord(workspace), deleted: true, removed },
      meta: ['# deleted with all its data; tokens for it no longer work'],
    };
  },
});

export const workspaceOperations = [listWorkspaces, createWorkspace, mintWorkspaceToken, deleteWorkspace];
