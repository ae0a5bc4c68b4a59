import type { ObjectFieldsTable, ObjectTypesTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';

type TypeRow = Omit<ObjectTypesTable, 'workspace_id'>;
type FieldRow = Omit<ObjectFieldsTable, 'workspace_id'>;

export async function listObjectTypes(ws: WorkspaceDb): Promise<ObjectTypesTable[]> {
  return ws.selectFrom('object_types').selectAll().orderBy('api_name').execute();
}

export async function findObjectType(
  ws: WorkspaceDb,
  apiName: string,
): Promise<ObjectTypesTable | undefined> {
  return ws.selectFrom('object_types').selectAll().where('api_name', '=', apiName).executeTakeFirst();
}

export async function countActiveObjectTypes(ws: WorkspaceDb): Promise<number> {
  const row = await ws
    .selectFrom('object_types')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertObjectType(ws: WorkspaceDb, row: TypeRow): Promise<void> {
  await ws.insertInto('object_types', row).execute();
}

export async function setObjectTypeStatus(
  ws: WorkspaceDb,
  apiName: string,
  status: 'active' | 'archived',
  now: string,
): Promise<void> {
  await ws
    .updateTable('object_types')
    .set((eb) => ({
      status,
      archived_at: status === 'archived' ? now : null,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('api_name', '=', apiName)
    .execute();
}

/** Every field of the workspace, or of one object, in each object's field order. */
export async function listObjectFields(ws: WorkspaceDb, object?: string): Promise<ObjectFieldsTable[]> {
  let query = ws.selectFrom('object_fields').selectAll();
  if (object !== undefined) query = query.where('object', '=', object);
  return query.orderBy('object').orderBy('position').orderBy('api_name').execute();
}

export async function findObjectField(
  ws: WorkspaceDb,
  object: string,
  apiName: string,
): Promise<ObjectFieldsTable | undefined> {
  return ws
    .selectFrom('object_fields')
    .selectAll()
    .where('object', '=', object)
    .where('api_name', '=', apiName)
    .executeTakeFirst();
}

/** Active fields of one object, or of each object that has any. */
export async function countActiveFields(ws: WorkspaceDb, object: string): Promise<number> {
  return (await activeFieldCounts(ws, object)).get(object) ?? 0;
}

export async function activeFieldCounts(ws: WorkspaceDb, object?: string): Promise<Map<string, number>> {
  let query = ws
    .selectFrom('object_fields')
    .select((eb) => ['object', eb.fn.countAll<string | number>().as('n')])
    .where('status', '=', 'active');
  if (object !== undefined) query = query.where('object', '=', object);
  const rows = await query.groupBy('object').execute();
  return new Map(rows.map((row) => [row.object, Number(row.n)]));
}

export async function insertObjectFields(ws: WorkspaceDb, rows: FieldRow[]): Promise<void> {
  if (rows.length > 0) await ws.insertInto('object_fields', rows).execute();
}

export async function updateObjectField(
  ws: WorkspaceDb,
  object: string,
  apiName: string,
  changes: Partial<
    Pick<FieldRow, 'label' | 'required' | 'indexed' | 'default_value' | 'options' | 'status' | 'archived_at'>
  >,
  now: string,
): Promise<void> {
  await ws
    .updateTable('object_fields')
    .set((eb) => ({ ...changes, updated_at: now, version: eb('version', '+', 1) }))
    .where('object', '=', object)
    .where('api_name', '=', apiName)
    .execute();
}
