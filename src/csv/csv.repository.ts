import { sql } from 'kysely';
import type { CompaniesTable, ContactsTable, DealsTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';
import type { CsvKind } from './kinds.js';

/** A live record with the natural keys of the records it refers to (for import elsewhere). */
export type ExportRow =
  | (ContactsTable & { company_domain: string | null })
  | CompaniesTable
  | (DealsTable & { contact_email: string | null; company_domain: string | null });

export async function countLive(ws: WorkspaceDb, table: CsvKind): Promise<number> {
  const row = await ws
    .selectFrom(table)
    .select(sql<number>`count(*)`.as('n'))
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The custom column of live records after `afterId`, in id order (keyset pages over the primary key). */
export async function customPage(
  ws: WorkspaceDb,
  table: CsvKind,
  afterId: string,
  limit: number,
): Promise<{ id: string; custom: string }[]> {
  return ws
    .selectFrom(table)
    .select(['id', 'custom'])
    .where('deleted_at', 'is', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Live records after `afterId`, in id order, with the domain/email of the records they refer to. */
export async function exportPage(
  ws: WorkspaceDb,
  table: CsvKind,
  afterId: string,
  limit: number,
): Promise<ExportRow[]> {
  if (table === 'companies') {
    return ws
      .selectFrom('companies')
      .selectAll()
      .where('deleted_at', 'is', null)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
  }
  if (table === 'contacts') {
    return ws
      .selectFrom('contacts')
      .leftJoin('companies', (join) =>
        join
          .onRef('companies.workspace_id', '=', 'contacts.workspace_id')
          .onRef('companies.id', '=', 'contacts.company_id'),
      )
      .selectAll('contacts')
      .select('companies.domain as company_domain')
      .where('contacts.deleted_at', 'is', null)
      .where('contacts.id', '>', afterId)
      .orderBy('contacts.id')
      .limit(limit)
      .execute();
  }
  return ws
    .selectFrom('deals')
    .leftJoin('contacts', (join) =>
      join
        .onRef('contacts.workspace_id', '=', 'deals.workspace_id')
        .onRef('contacts.id', '=', 'deals.contact_id'),
    )
    .leftJoin('companies', (join) =>
      join
        .onRef('companies.workspace_id', '=', 'deals.workspace_id')
        .onRef('companies.id', '=', 'deals.company_id'),
    )
    .selectAll('deals')
    .select(['contacts.email as contact_email', 'companies.domain as company_domain'])
    .where('deals.deleted_at', 'is', null)
    .where('deals.id', '>', afterId)
    .orderBy('deals.id')
    .limit(limit)
    .execute();
}
