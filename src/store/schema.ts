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
  /** The person who pays (from the agent's invite); production needs one. */
  billing_owner_id: string | null;
  /** The user or agent id that created it; a person's workspace cap counts these. */
  created_by: string | null;
  /** Set by the billing owner; production usage past it is denied (billing.budget_exceeded). */
  monthly_budget_cents: number | null;
  budget_currency: string | null;
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

/** What a secret's hash opens: a bearer token, an invite link, an OAuth code or refresh token. */
export type SecretKind = 'token' | 'invite' | 'oauth_code' | 'oauth_refresh';

/**
 * A global (reference) table from a secret's hash to the workspace holding it, read before the
 * workspace is known (docs/scale.md). Hashes only, never a secret. Its workspace column is not
 * named workspace_id on purpose: the row is not a tenant's, and the scoped handle must not reach it.
 */
export interface SecretLookupsTable {
  kind: SecretKind;
  hash: string;
  owner_workspace_id: string;
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
  /**
   * When the current secret stops working although the token (the session) lives on: OAuth
   * access tokens are short-lived and replaced by refresh. Null for every other token.
   */
  secret_expires_at: string | null;
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
  /** 0 or 1: the person asked not to be contacted. */
  do_not_contact: number;
  /** Who owns the relationship: agt_… or usr_…. */
  owner: string | null;
  deleted_at: string | null;
  /** Set on an erased contact's tombstone (migration 0015, docs/lifecycle.md). */
  erased_at?: string | null;
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
  /** The version of the target record after the change, when the target is a versioned record. */
  record_version: number | null;
  /** The background operation (op_…) the change was made by: a batch, bulk change or import. */
  operation_id: string | null;
  /** On a revert's rows: the audit ids (JSON array) of the changes it undid. */
  reverts: string | null;
  /** The row's place in its workspace's hash chain: 1, 2, 3, … (src/audit/chain.ts). */
  seq: number;
  /** SHA-256 of `changes`, hashed in its stead, so an erasure may blank `changes` alone. */
  changes_digest: string | null;
  /** The hash of the row before it in the chain (64 zeros for the first). */
  prev_hash: string;
  hash: string;
}

/**
 * Where a workspace's chain starts when its oldest rows were purged (retention): the seq and hash
 * of the last purged row. Written only by a purge, in the purge's transaction.
 */
export interface AuditChainAnchorsTable {
  workspace_id: string;
  seq: number;
  hash: string;
  at: string;
}

export interface DealsTable {
  workspace_id: string;
  id: string;
  title: string;
  amount_cents: number | null;
  currency: string | null;
  stage: string | null;
  status: 'open' | 'won' | 'lost';
  contact_id: string | null;
  company_id: string | null;
  expected_close_at: string | null;
  /** Set when status becomes won or lost; cleared when the deal is reopened. */
  closed_at: string | null;
  follow_up_at: string | null;
  follow_up_note: string | null;
  tags: string;
  custom: string;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface ActivitiesTable {
  workspace_id: string;
  id: string;
  contact_id: string;
  deal_id: string | null;
  kind: 'call' | 'email' | 'meeting' | 'note' | 'task';
  body: string;
  occurred_at: string;
  /** The principal that logged it (agt_… or usr_…). */
  created_by: string;
  version: number;
  created_at: string;
}

export interface TasksTable {
  workspace_id: string;
  id: string;
  title: string;
  notes: string | null;
  due_at: string | null;
  status: 'open' | 'done' | 'cancelled';
  completed_at: string | null;
  contact_id: string | null;
  deal_id: string | null;
  company_id: string | null;
  /** agt_… (checked against the workspace's agents) or usr_… */
  assignee: string | null;
  tags: string;
  custom: string;
  version: number;
  created_at: string;
  updated_at: string;
  /** Reserved: tasks are cancelled, not deleted, for now. */
  deleted_at: string | null;
}

/** Server-wide secrets (not tenant data), e.g. the key that signs delete confirmations. */
export interface ServerKeysTable {
  name: string;
  secret: string;
  created_at: string;
}

export interface IdempotencyKeysTable {
  workspace_id: string;
  principal: string;
  /** HMAC of (workspace, principal, key) under the server key: the raw key is never stored. */
  key_hash: string;
  /** The master key (keyring id) the hash and the sealed answer are under. */
  key_id: string;
  operation: string;
  request_hash: string;
  status: 'in_progress' | 'done';
  /** The outcome, sealed under a key derived from the raw idempotency key and the server key (it may hold a secret). */
  response: string | null;
  created_at: string;
  locked_at: string;
  expires_at: string;
  /** The contact handles a stored answer names, space-separated, so an erasure finds it (migration 0015). */
  subjects?: string | null;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string | null;
  created_at: string;
  updated_at: string;
}

export interface MembershipsTable {
  workspace_id: string;
  user_id: string;
  role: 'admin' | 'member';
  created_at: string;
  updated_at: string;
}

export interface InvitesTable {
  workspace_id: string;
  id: string;
  /** `member`: joins at next sign-in; `billing_owner`: accepted through the emailed link. */
  kind: 'member' | 'billing_owner';
  email: string;
  name: string | null;
  role: 'admin' | 'member';
  /** SHA-256 of the link secret; only billing-owner invites carry a link. */
  token_hash: string | null;
  invited_by: string;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  accepted_by: string | null;
  revoked_at: string | null;
}

/** The latest sign-in code per email; failures carry over to the next code within the window. */
export interface LoginCodesTable {
  email: string;
  code_hash: string | null;
  expires_at: string | null;
  used_at: string | null;
  failures: number;
  failures_since: string | null;
  updated_at: string;
}

export interface StepUpCodesTable {
  workspace_id: string;
  id: string;
  user_id: string;
  /** SHA-256 of the operation and its exact input: a code confirms that action only. */
  action_hash: string;
  /** What the code confirms, in words, for the email and the audit. */
  action: string;
  code_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  failures: number;
}

export interface UsageCountersTable {
  workspace_id: string;
  resource: string;
  used: number;
  updated_at: string;
}

export interface RateLimitsTable {
  key: string;
  window_start: string;
  hits: number;
  expires_at: string;
}

/** A client registered through RFC 7591 dynamic registration (an MCP connector). */
export interface OAuthClientsTable {
  id: string;
  /** SHA-256 of the client secret; null for public clients (token_endpoint_auth_method none). */
  secret_hash: string | null;
  name: string;
  /** JSON array of the exact redirect URIs. */
  redirect_uris: string;
  /** JSON array: authorization_code, refresh_token. */
  grant_types: string;
  token_endpoint_auth_method: 'none' | 'client_secret_post' | 'client_secret_basic';
  scope: string | null;
  /** The registered metadata as answered to the client (JSON). */
  metadata: string;
  created_at: string;
}

/** An authorization request in progress: the sign-in page's state between its forms. */
export interface OAuthRequestsTable {
  /** SHA-256 of the request handle carried by the page's forms. */
  id_hash: string;
  client_id: string;
  redirect_uri: string;
  /** 1 when the client sent redirect_uri (then /token must repeat it), else 0. */
  redirect_uri_explicit: number;
  state: string | null;
  code_challenge: string;
  /** Requested scopes (comma-separated), or null for what the person's role allows. */
  scopes: string | null;
  resource: string | null;
  /** SHA-256 of the browser binding cookie: only the browser that started the request may continue it. */
  binding_hash: string;
  email: string | null;
  /** Set once the emailed code was checked. */
  user_id: string | null;
  created_at: string;
  expires_at: string;
  finished_at: string | null;
}

export interface OAuthCodesTable {
  workspace_id: string;
  code_hash: string;
  client_id: string;
  user_id: string;
  redirect_uri: string;
  redirect_uri_explicit: number;
  code_challenge: string;
  scopes: string;
  resource: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  /** The access token issued for this code: revoked if the code is presented again. */
  token_id: string | null;
}

/** One connector session: the access token (a `tokens` row) and the refresh tokens of its family. */
export interface OAuthGrantsTable {
  workspace_id: string;
  token_id: string;
  client_id: string;
  user_id: string;
  created_at: string;
  /** The family's absolute end: no refresh past it. */
  expires_at: string;
}

export interface OAuthRefreshTokensTable {
  workspace_id: string;
  token_hash: string;
  /** The grant (family) it belongs to. */
  token_id: string;
  created_at: string;
  expires_at: string;
  /** Set when exchanged; presenting it again revokes the family. */
  used_at: string | null;
}

export interface WorkspacePoliciesTable {
  workspace_id: string;
  /** JSON of the fields that differ from the defaults. */
  policy: string;
  updated_by: string;
  updated_at: string;
}

export type ProposalStatus = 'pending' | 'approved' | 'applied' | 'rejected' | 'stale' | 'failed' | 'expired';

export interface ProposalsTable {
  workspace_id: string;
  id: string;
  /** The operation that runs on approval, and its input (JSON). */
  operation: string;
  input: string;
  target: string | null;
  target_version: number | null;
  /** Field → [current, proposed] when the proposal was made (JSON). */
  diff: string;
  status: ProposalStatus;
  reason_code: string;
  summary: string;
  reason: string | null;
  proposer_type: 'agent' | 'user';
  proposer_id: string;
  proposer_token_id: string | null;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  /** The applied record, or the error that stopped it (JSON). */
  result: string | null;
  created_at: string;
  updated_at: string;
  /** After this moment a pending proposal is expired and can no longer be approved. */
  expires_at: string | null;
  /** The deciding human's edits: field → [proposed, edited] (JSON). */
  edits: string | null;
}

/** Who last changed each field of a record (kept by every audited change). */
export interface FieldWritersTable {
  workspace_id: string;
  /** The record's handle, e.g. contact/c_… */
  target: string;
  field: string;
  actor_type: 'agent' | 'user' | 'system';
  actor_id: string;
  audit_id: string;
  at: string;
}

export interface EventCountersTable {
  workspace_id: string;
  last_seq: number;
}

export interface EventsTable {
  workspace_id: string;
  seq: number;
  id: string;
  at: string;
  /** `contact.created`, `deal.updated`, `proposal.decided`, … */
  type: string;
  target: string | null;
  operation: string;
  actor: string;
  changes: string | null;
  request_id: string;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'partially_failed' | 'failed';

export interface JobsTable {
  workspace_id: string;
  id: string;
  operation: string;
  input: string;
  status: JobStatus;
  total: number;
  done: number;
  failed: number;
  /** Per-item errors: [{index, code, message}] (JSON). */
  errors: string;
  result: string | null;
  /** The Caller that started it (JSON), so the work runs with the same identity and scopes. */
  caller: string;
  /** agt_… or usr_…: whose batches count toward the rolling bulk window. */
  created_by: string;
  request_id: string;
  attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
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

export type WebhookStatus = 'active' | 'failing';

export interface WebhooksTable {
  workspace_id: string;
  id: string;
  url: string;
  description: string | null;
  /** JSON array of event-type patterns: `contact.created`, `contact.*`, `*`. */
  events: string;
  /** The signing secret, sealed with the server key (src/webhooks/secret.ts). */
  secret_sealed: string;
  status: WebhookStatus;
  consecutive_failures: number;
  failing_since: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface WebhookDeliveriesTable {
  workspace_id: string;
  id: string;
  webhook_id: string;
  /** The change-feed event sent; its id is the `webhook-id` header, the same on every attempt. */
  event_id: string;
  event_seq: number;
  event_type: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string;
  /** The dispatcher holding this delivery, and until when (a lease another process may take over). */
  locked_by: string | null;
  locked_until: string | null;
  last_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  /** The first bytes of the endpoint's answer, for the delivery log. */
  last_response: string | null;
  delivered_at: string | null;
  /** The delivery this one re-sends (replay), if any. */
  replay_of: string | null;
  created_at: string;
}

export interface Database {
  workspaces: WorkspacesTable;
  agents: AgentsTable;
  tokens: TokensTable;
  contacts: ContactsTable;
  companies: CompaniesTable;
  audit_log: AuditLogTable;
  audit_chain_anchors: AuditChainAnchorsTable;
  idempotency_keys: IdempotencyKeysTable;
  workspace_policies: WorkspacePoliciesTable;
  proposals: ProposalsTable;
  field_writers: FieldWritersTable;
  event_counters: EventCountersTable;
  events: EventsTable;
  jobs: JobsTable;
  deals: DealsTable;
  activities: ActivitiesTable;
  tasks: TasksTable;
  server_keys: ServerKeysTable;
  users: UsersTable;
  memberships: MembershipsTable;
  invites: InvitesTable;
  login_codes: LoginCodesTable;
  step_up_codes: StepUpCodesTable;
  usage_counters: UsageCountersTable;
  rate_limits: RateLimitsTable;
  oauth_clients: OAuthClientsTable;
  oauth_requests: OAuthRequestsTable;
  oauth_codes: OAuthCodesTable;
  oauth_grants: OAuthGrantsTable;
  oauth_refresh_tokens: OAuthRefreshTokensTable;
  search_words: SearchWordsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  secret_lookups: SecretLookupsTable;
  object_types: ObjectTypesTable;
  object_fields: ObjectFieldsTable;
}

/** A workspace's custom object type (src/objects/). */
export interface ObjectTypesTable {
  workspace_id: string;
  /** The API name, also its key: `projects`. */
  api_name: string;
  label_singular: string;
  label_plural: string;
  description: string | null;
  status: 'active' | 'archived';
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
}

/** A typed field of a custom type, or a typed `custom.<key>` of a built-in kind (object `contacts`). */
export interface ObjectFieldsTable {
  workspace_id: string;
  /** The type's API name: a custom type's, or contacts, companies, deals. */
  object: string;
  api_name: string;
  label: string;
  type: string;
  required: number;
  is_unique: number;
  indexed: number;
  /** JSON, or null for none. */
  default_value: string | null;
  /** JSON array of the choices of a select or multi-select; null otherwise. */
  options: string | null;
  /** The type a relation points at; null for other types. */
  relation_to: string | null;
  relation_many: number;
  position: number;
  status: 'active' | 'archived';
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
}

/** Tables whose rows belong to one workspace; the scoped handle only reaches these. */
export type TenantTable = {
  [K in keyof Database]: Database[K] extends { workspace_id: string } ? K : never;
}[keyof Database];
