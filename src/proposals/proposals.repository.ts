import type { ProposalStatus, ProposalsTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';

export async function insertProposal(
  ws: WorkspaceDb,
  row: Omit<ProposalsTable, 'workspace_id'>,
): Promise<void> {
  await ws.insertInto('proposals', row).execute();
}

export async function findProposal(ws: WorkspaceDb, id: string): Promise<ProposalsTable | undefined> {
  return ws.selectFrom('proposals').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Newest first; `before` is the id the previous page ended on. Expiry is computed at `now`: a
 * pending proposal past its expires_at lists as expired, not pending.
 */
export async function listProposals(
  ws: WorkspaceDb,
  filter: { status?: ProposalStatus; before?: string; limit: number; now: string; proposerId?: string },
): Promise<ProposalsTable[]> {
  let query = ws.selectFrom('proposals').selectAll();
  if (filter.status === 'pending') {
    query = query
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', filter.now)]));
  } else if (filter.status === 'expired') {
    query = query.where((eb) =>
      eb.or([
        eb('status', '=', 'expired'),
        eb.and([eb('status', '=', 'pending'), eb('expires_at', '<=', filter.now)]),
      ]),
    );
  } else if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.proposerId) query = query.where('proposer_id', '=', filter.proposerId);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

/**
 * Moves a proposal from one status to another only if it is still in the first: the one write
 * that makes a decision (and an application) happen exactly once, whatever runs concurrently.
 */
export async function transitionProposal(
  ws: WorkspaceDb,
  id: string,
  from: ProposalStatus,
  to: ProposalStatus,
  fields: Partial<
    Pick<
      ProposalsTable,
      'decided_by' | 'decided_at' | 'decision_note' | 'result' | 'input' | 'diff' | 'edits'
    >
  > & {
    updated_at: string;
  },
): Promise<boolean> {
  const result = await ws
    .updateTable('proposals')
    .set({ ...fields, status: to })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Pending proposals of one proposer, oldest first (for a bundle decision). */
export async function pendingProposalsOf(
  ws: WorkspaceDb,
  proposerId: string,
  operation: string | undefined,
  limit: number,
): Promise<ProposalsTable[]> {
  let query = ws
    .selectFrom('proposals')
    .selectAll()
    .where('proposer_id', '=', proposerId)
    .where('status', '=', 'pending');
  if (operation) query = query.where('operation', '=', operation);
  return query.orderBy('id').limit(limit).execute();
}
