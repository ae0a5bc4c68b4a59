import { type ListPage, type ListParams, listPage } from '../records/query/apply.js';
import { likeAny } from '../records/records.repository.js';
import type { ActivitiesTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';
import { activitySpec } from './activity.js';

export async function insertActivity(
  ws: WorkspaceDb,
  row: Omit<ActivitiesTable, 'workspace_id'>,
): Promise<void> {
  await ws.insertInto('activities', row).execute();
}

/** Activities belong to their contact: those of a deleted contact are hidden until it is restored. */
function liveActivities(ws: WorkspaceDb) {
  return ws
    .selectFrom('activities')
    .selectAll('activities')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('contacts')
          .select('contacts.id')
          .whereRef('contacts.workspace_id', '=', 'activities.workspace_id')
          .whereRef('contacts.id', '=', 'activities.contact_id')
          .where('contacts.deleted_at', 'is', null),
      ),
    );
}

export async function listActivities(
  ws: WorkspaceDb,
  params: ListParams,
): Promise<ListPage<ActivitiesTable>> {
  return listPage<ActivitiesTable>(
    liveActivities(ws),
    'activities',
    activitySpec,
    params,
    ws.dialect,
    likeAny('activities', ['body']),
  );
}

/** A contact's latest activities, newest first. */
export async function recentActivities(
  ws: WorkspaceDb,
  contactId: string,
  limit: number,
): Promise<ActivitiesTable[]> {
  return ws
    .selectFrom('activities')
    .selectAll()
    .where('contact_id', '=', contactId)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function findActivity(ws: WorkspaceDb, id: string): Promise<ActivitiesTable | undefined> {
  return ws.selectFrom('activities').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Writes fields of an activity back (a revert of a merge moves its contact_id back). */
export async function writeActivityFields(
  ws: WorkspaceDb,
  id: string,
  set: Partial<Pick<ActivitiesTable, 'contact_id' | 'deal_id'>>,
): Promise<void> {
  await ws.updateTable('activities').set(set).where('id', '=', id).execute();
}
