import { AppError, notFound } from '../errors.js';
import { crossDb } from '../operations/context.js';
import type { OperationContext } from '../operations/define.js';
import { scopeTo, type WorkspaceDb } from '../store/scoped.js';
import { findMembership } from './members.repository.js';

/**
 * The workspace a management route names must be the one the token was minted for: a token acts
 * in one workspace only. Another workspace the person belongs to gets a 403 that says how to
 * switch; any other id is simply not found, so ids of other tenants reveal nothing.
 */
export async function tokenWorkspace(ctx: OperationContext, workspaceId: string): Promise<WorkspaceDb> {
  const caller = ctx.caller!;
  if (workspaceId === caller.workspaceId) return ctx.ws;
  if (caller.principalType === 'user') {
    const other = scopeTo(crossDb(ctx), ctx.services.store.dialect, workspaceId);
    if (await findMembership(other, caller.principalId)) {
      throw new AppError(
        'forbidden',
        `this token acts in workspace/${caller.workspaceId}, not workspace/${workspaceId}`,
        `mint a token for it with POST /workspaces/${workspaceId}/tokens, then repeat the request with that token`,
      );
    }
  }
  throw notFound(`workspace/${workspaceId}`);
}
