import type { Kysely, Transaction } from 'kysely';
import type { Services } from '../services.js';
import type { Database, WorkspacesTable } from '../store/schema.js';
import { scopeTo } from '../store/scoped.js';
import { addMember } from './members.repository.js';
import { insertWorkspace, type WorkspaceWithRole } from './workspaces.repository.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface WorkspaceRecord {
  handle: string;
  id: string;
  name: string;
  plan: string;
  role?: string;
  billing_owner: string | null;
  current?: boolean;
  created_at: string;
}

export function toWorkspaceRecord(
  row: WorkspacesTable | WorkspaceWithRole,
  extra: { role?: string; current?: boolean } = {},
): WorkspaceRecord {
  return {
    handle: `workspace/${row.id}`,
    id: row.id,
    name: row.name,
    plan: row.plan,
    ...('role' in row ? { role: row.role } : {}),
    ...extra,
    billing_owner: row.billing_owner_id ? `user/${row.billing_owner_id}` : null,
    created_at: row.created_at,
  };
}

/** A new sandbox workspace whose creator is its admin and billing owner. */
export async function createWorkspaceFor(
  db: Db,
  services: Services,
  input: { name: string; userId: string; now: string },
): Promise<WorkspacesTable> {
  const row: WorkspacesTable = {
    id: services.ids.next('wrk'),
    name: input.name,
    plan: 'sandbox',
    billing_owner_id: input.userId,
    monthly_budget_cents: null,
    budget_currency: null,
    created_by: input.userId,
    created_at: input.now,
    updated_at: input.now,
  };
  await insertWorkspace(db, row);
  await addMember(scopeTo(db, services.store.dialect, row.id), input.userId, 'admin', input.now);
  return row;
}
