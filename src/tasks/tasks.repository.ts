import { type ListPage, type ListParams, listPage } from '../records/query/apply.js';
import { likeAny } from '../records/records.repository.js';
import type { TasksTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';
import { taskSpec } from './task.js';

export async function listTasks(ws: WorkspaceDb, params: ListParams): Promise<ListPage<TasksTable>> {
  const query = ws.selectFrom('tasks').selectAll('tasks').where('tasks.deleted_at', 'is', null);
  return listPage<TasksTable>(
    query,
    'tasks',
    taskSpec,
    params,
    ws.dialect,
    likeAny('tasks', ['title', 'notes']),
  );
}

/** Open tasks about a contact or any of the given deals, soonest due first (undated last). */
export async function openTasksFor(
  ws: WorkspaceDb,
  contactId: string,
  dealIds: string[],
  limit: number,
): Promise<TasksTable[]> {
  return ws
    .selectFrom('tasks')
    .selectAll()
    .where('status', '=', 'open')
    .where('deleted_at', 'is', null)
    .where((eb) =>
      dealIds.length
        ? eb.or([eb('contact_id', '=', contactId), eb('deal_id', 'in', dealIds)])
        : eb('contact_id', '=', contactId),
    )
    .orderBy((eb) => eb('due_at', 'is', null))
    .orderBy('due_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}
