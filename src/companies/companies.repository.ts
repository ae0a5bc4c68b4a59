import { type ListPage, type ListParams, listPage } from '../records/query/apply.js';
import { likeAny } from '../records/records.repository.js';
import type { CompaniesTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';
import { companySpec } from './company.js';

export async function listCompanies(ws: WorkspaceDb, params: ListParams): Promise<ListPage<CompaniesTable>> {
  const query = ws.selectFrom('companies').selectAll('companies').where('companies.deleted_at', 'is', null);
  const search = likeAny('companies', ['name', 'domain', 'industry']);
  return listPage<CompaniesTable>(query, 'companies', companySpec, params, ws.dialect, search);
}
