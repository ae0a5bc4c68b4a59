/**
 * The tables as Kysely sees them. Times are stored as fixed-width UTC ISO-8601 text
 * (`2026-01-02T03:04:05.678Z`) on both databases: it sorts and compares the same way in SQLite
 * and PostgreSQL, which keeps query semantics identical. JSON values (tags, custom, changes) are
 * stored as JSON text for the same reason.
 */
export interface WorkspacesTable {
  id: string;
  name: string;
  plan: string;
  created_at: string;
  updated_at: string;
}

export interface AgentsTable {
  workspace_id: string;
  id: string;
  name: string;
  kind: string;
  intended_use: string | null;
  created_at: string;
}

export interface TokensTable {
  id: string;
  workspace_id: string;
  token_hash: string;
  principal_type: 'agent' | 'user';
  principal_id: string;
  name: string;
  scopes: string;
  created_at: string;
  last_used_at: string;
  /** Absolute end of life; inactivity is measured from last_used_at. */
  expires_at: string;
  revoked_at: string | null;
}

export interface ContactsTable {
  workspace_id: string;
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  title: string | null;
  stage: string | null;
  company_id: string | null;
  tags: string;
  custom: string;
  follow_up_at: string | null;
  follow_up_note: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface CompaniesTable {
  workspace_id: string;
  id: string;
  name: string | null;
  domain: string | null;
  industry: string | null;
  size: string | null;
  website: string | null;
  tags: string;
  custom: string;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface AuditLogTable {
  workspace_id: string;
  id: string;
  at: string;
  actor_type: 'agent' | 'user' | 'system';
  actor_id: string;
  token_id: string | null;
  token_name: string | null;
  operation: string;
  tool_name: string | null;
  target: string | null;
  changes: string | null;
  reason: string | null;
  request_id: string;
  idempotency_key: string | null;
  policy_decision: string;
  reason_code: string;
}

/**
 * The search vocabulary: each word of the typo-tolerant fields (4–40 characters) under itself and
 * its one-character deletions (src/store/search-index.ts). Filled by triggers; it only grows.
 */
export interface SearchWordsTable {
  workspace_id: string;
  key: string;
  word: string;
}

export interface Database {
  workspaces: WorkspacesTable;
  agents: AgentsTable;
  tokens: TokensTable;
  contacts: ContactsTable;
  companies: CompaniesTable;
  audit_log: AuditLogTable;
  search_words: SearchWordsTable;
}

/** Tables whose rows belong to one workspace; the scoped handle only reaches these. */
export type TenantTable = {
  [K in keyof Database]: Database[K] extends { workspace_id: string } ? K : never;
}[keyof Database];
