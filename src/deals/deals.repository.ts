import { type ListPage, type ListParams, listPage } from '../records/query/apply.js';
import { likeAny } from '../records/records.repository.js';
import type { DealsTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';
import { dealSpec } from './deal.js';

export async function listDeals(ws: WorkspaceDb, params: ListParams): Promise<ListPage<DealsTable>> {
  const query = ws.selectFrom('deals').selectAll('deals').where('deals.deleted_at', 'is', null);
  return listPage<DealsTable>(
    query,
    'deals',
    dealSpec,
    params,
    ws.dialect,
    likeAny('deals', ['title', 'follow_up_note']),
  );
}

/** A contact's open deals, soonest expected close first. */
export async function openDealsOf(ws: WorkspaceDb, contactId: string, limit: number): Promise<DealsTable[]> {
  return ws
    .selectFrom('deals')
    .selectAll()
    .where('contact_id', '=', contactId)
    .where('status', '=', 'open')
    .where('deleted_at', 'is', null)
    .orderBy((eb) => eb('expected_close_at', 'is', null))
    .orderBy('expected_close_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}
