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

/** Newest first; `before` is the id the previous page ended on. */
export async function listProposals(
  ws: WorkspaceDb,
  filter: { status?: ProposalStatus; before?: string; limit: number },
): Promise<ProposalsTable[]> {
  let query = ws.selectFrom('proposals').selectAll();
  if (filter.status) query = query.where('status', '=', filter.status);
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
  fields: Partial<Pick<ProposalsTable, 'decided_by' | 'decided_at' | 'decision_note' | 'result'>> & {
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
