import { type ListPage, type ListParams, listPage } from '../records/query/apply.js';
import { searchFor } from '../records/search/search.repository.js';
import type { ContactsTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';
import { contactSearch, contactSpec } from './contact.js';

// Inserts, updates, deletes and restores go through the shared record code (src/records/write.ts).

export async function findContact(ws: WorkspaceDb, id: string): Promise<ContactsTable | undefined> {
  return ws
    .selectFrom('contacts')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function listContacts(ws: WorkspaceDb, params: ListParams): Promise<ListPage<ContactsTable>> {
  const query = ws.selectFrom('contacts').selectAll('contacts').where('contacts.deleted_at', 'is', null);
  return listPage(query, 'contacts', contactSpec, params, ws.dialect, searchFor(ws, contactSearch));
}
