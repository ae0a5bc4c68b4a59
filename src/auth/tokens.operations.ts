import { z } from 'zod';
import { AppError, notFound } from '../errors.js';
import { crossDb } from '../operations/context.js';
import { type Caller, defineOperation, type Scope } from '../operations/define.js';
import { idRef } from '../records/fields.js';
import { tokenName } from './auth.operations.js';
import { SCOPES } from './scopes.js';
import { issuedToken, toTokenRecord } from './token-record.js';
import { issueToken } from './tokens.js';
import {
  findToken,
  findTokenAnywhere,
  listPrincipalTokens,
  listWorkspaceTokens,
  revokeToken,
} from './tokens.repository.js';

/** Query-string friendly boolean: `?all=true`. */
export const flag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((value) => value === true || value === 'true' || value === '1');

/** `["read","write"]` or `"read,write"`. */
export const scopeList = z
  .union([z.array(z.string()), z.string().transform((text) => text.split(','))])
  .transform((list) => [...new Set(list.map((scope) => scope.trim()).filter(Boolean))])
  .pipe(z.array(z.enum(SCOPES as [Scope, ...Scope[]])).min(1, 'at least one scope'));

/** The scopes a new token asks for, checked against what the caller's own token carries. */
export function narrowScopes(caller: Caller, requested: Scope[] | undefined): Scope[] {
  if (!requested) return [...caller.scopes];
  const extra = requested.filter((scope) => !caller.scopes.includes(scope));
  if (extra.length) {
    throw new AppError(
      'scope_insufficient',
      `a token can only be minted with scopes this token has (${caller.scopes.join(', ')}); not ${extra.join(', ')}`,
      'ask for fewer scopes, or sign in again (POST /auth/request) for a full session',
    );
  }
  return SCOPES.filter((scope) => requested.includes(scope));
}

export const listTokens = defineOperation({
  name: 'tokens.list',
  summary:
    'List your active tokens (sessions): name, workspace, scopes, created, last used. Never the secret.',
  description:
    'Your own tokens in every workspace. Admins may pass all=true for every token of the current workspace ' +
    '(agents and members), to find and revoke a session.',
  http: { method: 'GET', path: '/tokens' },
  scope: 'read',
  crossWorkspace: true,
  mutating: false,
  input: z.strictObject({ all: flag.optional() }),
  async handler(ctx, input) {
    const caller = ctx.caller!;
    if (input.all && !caller.scopes.includes('admin')) {
      throw new AppError(
        'forbidden',
        'all=true lists every token of the workspace and is for admins',
        'drop all=true to list your own tokens',
      );
    }
    const rows = input.all
      ? await listWorkspaceTokens(crossDb(ctx), caller.workspaceId, ctx.now)
      : await listPrincipalTokens(crossDb(ctx), caller.principalId, ctx.now);
    const idle = ctx.services.config.tokenIdleTtlSeconds;
    const live = rows
      .map((row) => toTokenRecord(row, idle, caller.tokenId))
      .filter((t) => t.idle_expires_at > ctx.now);
    return { data: live };
  },
});

export const createToken = defineOperation({
  name: 'tokens.create',
  summary:
    'Mint a fresh token for yourself in this workspace, optionally narrower (fewer scopes, shorter life).',
  description:
    "Use it to give a sub-agent a read-only token, or to rotate your own. Scopes cannot exceed this token's. " +
    'The secret is shown once.',
  http: { method: 'POST', path: '/tokens' },
  scope: 'read',
  crossWorkspace: true,
  mutating: true,
  input: z.strictObject({
    token_name: tokenName,
    scopes: scopeList.optional(),
    expires_in_seconds: z.coerce.number().int().min(60).optional(),
  }),
  async handler(ctx, input) {
    const caller = ctx.caller!;
    const scopes = narrowScopes(caller, input.scopes);
    const current = await findToken(crossDb(ctx), caller.workspaceId, caller.tokenId);
    const requestedEnd = input.expires_in_seconds
      ? new Date(Date.parse(ctx.now) + input.expires_in_seconds * 1000).toISOString()
      : undefined;
    // A minted token never outlives the token that minted it.
    const expiresAt = [requestedEnd, current?.expires_at].filter((v): v is string => !!v).sort()[0];
    const token = await issueToken(ctx.services, crossDb(ctx), {
      workspaceId: caller.workspaceId,
      principalType: caller.principalType,
      principalId: caller.principalId,
      name: input.token_name,
      scopes,
      now: ctx.now,
      ...(expiresAt ? { expiresAt } : {}),
    });
    ctx.audit({
      target: `token/${token.id}`,
      changes: { name: [null, input.token_name], scopes: [null, scopes.join(',')] },
    });
    return {
      status: 201,
      data: {
        ...issuedToken(token, input.token_name),
        workspace_id: caller.workspaceId,
        principal: `${caller.principalType}/${caller.principalId}`,
        scopes,
        expires_at: token.expiresAt,
      },
      meta: ['# created', '# save the token now: it is shown only once'],
    };
  },
});

export const revokeTokenOperation = defineOperation({
  name: 'tokens.revoke',
  summary:
    'Revoke a token (log a session out) at once. Your own tokens; admins also any token of this workspace.',
  http: { method: 'DELETE', path: '/tokens/:token_id' },
  scope: 'read',
  crossWorkspace: true,
  mutating: true,
  input: z.strictObject({ token_id: idRef('tok') }),
  async handler(ctx, input) {
    const caller = ctx.caller!;
    const row = await findTokenAnywhere(crossDb(ctx), input.token_id);
    const own = row?.principal_id === caller.principalId;
    const administered = row?.workspace_id === caller.workspaceId && caller.scopes.includes('admin');
    if (!row || row.revoked_at || !(own || administered)) throw notFound(`token/${input.token_id}`);
    await revokeToken(crossDb(ctx), row.workspace_id, row.id, ctx.now);
    ctx.audit({ target: `token/${row.id}`, changes: { revoked_at: [null, ctx.now] } });
    return {
      data: toTokenRecord({ ...row, revoked_at: ctx.now }, ctx.services.config.tokenIdleTtlSeconds),
      meta: ['# revoked', ...(row.id === caller.tokenId ? ['# this was the token of this request'] : [])],
    };
  },
});

export const tokenOperations = [listTokens, createToken, revokeTokenOperation];
