import { sql } from 'kysely';
import { type ListPage, type ListParams, listPage } from '../query/apply.js';
import { searchFor } from '../search/search.repository.js';
import type { ContactsTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';
import { contactSearch, contactSpec } from './contact.js';

type ContactRow = Omit<ContactsTable, 'workspace_id'>;
type ContactUpdate = Partial<Omit<ContactsTable, 'workspace_id' | 'id' | 'created_at'>>;

export async function findContact(ws: WorkspaceDb, id: string): Promise<ContactsTable | undefined> {
  return ws
    .selectFrom('contacts')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function findContactByEmail(ws: WorkspaceDb, email: string): Promise<ContactsTable | undefined> {
  return ws
    .selectFrom('contacts')
    .selectAll()
    .where('email', '=', email)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Inserts a contact unless a live contact already has its email (a concurrent upsert may have
 * won the race); returns whether the row was inserted.
 */
export async function insertContact(ws: WorkspaceDb, row: ContactRow): Promise<boolean> {
  const result = await ws
    .insertInto('contacts', row)
    .onConflict((oc) =>
      oc
        .columns(['workspace_id', 'email'])
        .where('email', 'is not', null)
        .where('deleted_at', 'is', null)
        .doNothing(),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateContact(
  ws: WorkspaceDb,
  id: string,
  changes: ContactUpdate,
): Promise<ContactsTable> {
  const row = await ws
    .updateTable('contacts')
    .set({ ...changes, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirstOrThrow();
  return row as ContactsTable;
}

export async function liveCompanyExists(ws: WorkspaceDb, id: string): Promise<boolean> {
  const row = await ws
    .selectFrom('companies')
    .select('id')
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listContacts(ws: WorkspaceDb, params: ListParams): Promise<ListPage<ContactsTable>> {
  const query = ws.selectFrom('contacts').selectAll('contacts').where('contacts.deleted_at', 'is', null);
  return listPage(query, 'contacts', contactSpec, params, ws.dialect, searchFor(ws, contactSearch));
}
