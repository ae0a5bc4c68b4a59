import { z } from 'zod';
import { findAgent } from '../agents/agents.repository.js';
import { AppError } from '../errors.js';
import type { WorkspaceDb } from '../store/scoped.js';
import { findMembership } from '../workspaces/members.repository.js';

/**
 * An agent (`agt_…`, `agent/agt_…`) or a person (`usr_…`, `user/usr_…`), stored as the bare id:
 * its prefix says which. Used for task assignees and contact owners.
 */
export const principalRef = z
  .string()
  .trim()
  .transform((value) => value.replace(/^(agent|user)\//, ''))
  .pipe(z.string().regex(/^(agt|usr)_[0-9a-z]{16}$/, 'an agent (agt_…) or a person (usr_…), id or handle'));

/** Refuses a principal that is not an agent or a member of this workspace. */
export async function checkPrincipal(ws: WorkspaceDb, field: string, id: unknown): Promise<void> {
  if (typeof id !== 'string') return;
  const exists = id.startsWith('agt_') ? await findAgent(ws, id) : await findMembership(ws, id);
  if (!exists) {
    const what = id.startsWith('agt_') ? `agent/${id} is not an agent` : `user/${id} is not a member`;
    throw new AppError(
      'invalid_input',
      `${field}: ${what} of this workspace`,
      `name an agent or a member of this workspace (GET /whoami shows you; GET /workspaces/{id}/members lists people), or null`,
    );
  }
}
