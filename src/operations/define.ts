import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { AppError, ErrorCode } from '../errors.js';
import type { ReasonCode } from '../policy/reason-codes.js';
import type { Services } from '../services.js';
import type { Database } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';
import type { RecordView } from './projection.js';
import type { Warning } from './warning-codes.js';

export type { Warning } from './warning-codes.js';

export type Scope = 'read' | 'write' | 'admin';
/** A person's role in a workspace; agents act with the member role. */
export type Role = 'admin' | 'member';
export type ApprovalMode = 'never' | 'sometimes' | 'always';
/** The AgentOnly guide's kind of a tool: it reads, it writes, or it proposes a change for a human. */
export type ToolKind = 'read' | 'write' | 'propose';
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export const OUTCOMES = ['applied', 'proposed', 'denied', 'error'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const DECISIONS = ['allow', 'require_approval', 'deny'] as const;
export type Decision = (typeof DECISIONS)[number];

/** Who is calling: resolved from the bearer token by the transport. */
export interface Caller {
  workspaceId: string;
  principalType: 'agent' | 'user';
  principalId: string;
  tokenId: string;
  tokenName: string;
  /** The token's scopes, narrowed to what the principal's role allows today. */
  scopes: readonly Scope[];
  role: Role;
  /** The workspace's plan name (sandbox, production). */
  plan: string;
  /**
   * True when the token was issued to an OAuth client (an MCP connector): such a client can
   * re-authorize for a wider scope, so a call refused for scope answers the step-up challenge.
   */
  fromOAuth?: boolean;
}

/** A field of an update held for a human (policy hold_human_edited_fields). */
export interface HeldField {
  field: string;
  reason_code: ReasonCode;
  proposal_id: string;
  /** The value now, and the value the update asked for. */
  current: unknown;
  proposed: unknown;
  /** Who wrote the current value (user/usr_…), and when. */
  last_written_by: string;
  last_written_at: string;
}

export interface NextAction {
  tool_name: string;
  when: string;
}

export interface AuditEntry {
  /** Defaults to the operation's own name. */
  operation?: string;
  target: string | null;
  /** Field → [before, after]; only changed fields. */
  changes?: Record<string, [unknown, unknown]> | null;
  /** The target record's version after the change (versioned records only). */
  version?: number | null;
  /** The change-feed type, when the default (`contact.updated`, or the operation name) is not right. */
  event?: string;
  /** For operations without a caller (bootstrap): who acted, and in which workspace. */
  actor?: { type: 'agent' | 'user' | 'system'; id: string; workspaceId: string };
  /** The background operation (op_…) this change belongs to, when not the context's own. */
  operationId?: string;
  /** For a revert: the audit ids of the changes this entry undoes. */
  reverts?: string[];
}

/** What one call of an operation knows about its request. */
export interface OperationContext {
  readonly services: Services;
  /** Null only for operations declared `auth: 'none'`. */
  readonly caller: Caller | null;
  /** The caller's workspace; inside the operation's transaction when it is mutating. */
  readonly ws: WorkspaceDb;
  /**
   * The cross-workspace handle (same transaction): tables without a tenant (workspaces, users,
   * tokens, sign-in codes) and other workspaces. Null unless the operation declares
   * `crossWorkspace` (sign-in, sign-up, bootstrap, invites, workspaces, members, tokens).
   */
  readonly global: Kysely<Database> | Transaction<Database> | null;
  readonly requestId: string;
  /** Set while a background operation (op_…) runs an item: its audit rows carry it, so undo finds them. */
  readonly operationId: string | null;
  readonly idempotencyKey: string | null;
  /** The agent's stated motive for a mutation; recorded in the audit. */
  readonly reason: string | null;
  /** The request's moment, as stored: fixed-width UTC ISO text. */
  readonly now: string;
  /** The client's address as the transport saw it (for throttles), or null. */
  readonly clientIp: string | null;
  /** A step-up code sent out of band (X-Escalation-Code), or null. */
  readonly escalationCode: string | null;
  /** Queues an audit row, written in the same transaction as the change. */
  audit(entry: AuditEntry): void;
  /** Queues work (sending mail) that must happen only once the transaction has committed. */
  afterCommit(task: () => Promise<void>): void;
  /** Set while an approved proposal runs: the human's decision stands in for confirmations. */
  readonly approval: { proposalId: string; decidedBy: string } | null;
  /**
   * True when a person drives the call from the human console: their session was opened with an
   * emailed code moments ago and the form is CSRF-protected, so no second code is asked for.
   */
  readonly interactive: boolean;
  /**
   * What this run has loaded and may share between its steps (the policy's decision and the
   * handler read a record once: src/records/loaded.ts). Lives and dies with the run.
   */
  readonly memo: Map<string, unknown>;
}

/**
 * What a workspace policy says about one call, before it runs. `allow` needs no verdict (return
 * null); the other decisions stop the operation: `deny` refuses it, `require_approval` stores it
 * as a proposal that runs once a human approves.
 */
export interface Verdict {
  decision: 'require_approval' | 'deny';
  /** A documented reason code (src/policy/reason-codes.ts): the compiler refuses any other. */
  reason_code: ReasonCode;
  /** One sentence for the human and the agent: what and why. */
  summary: string;
  /** The record concerned, and field → [current, proposed] for the approval inbox. */
  target?: string | null;
  targetVersion?: number | null;
  diff?: Record<string, [unknown, unknown]>;
  nextActions?: NextAction[];
}

export interface OperationResult {
  data: unknown;
  /** HTTP status on success; 200 unless said otherwise. */
  status?: number;
  outcome?: Outcome;
  /** Lines such as `# created` shown in the text rendering. */
  meta?: string[];
  nextCursor?: string | null;
  warnings?: Warning[];
  nextActions?: NextAction[];
  policy?: { decision: Decision; reason_code: ReasonCode | ErrorCode };
  summary?: string;
  headers?: Record<string, string>;
  /** Fields of an update held for a human, each also reported as a warning. */
  held?: HeldField[];
  /** Replaces the record lines of the text rendering (for non-record answers such as /whoami). */
  text?: string[];
  /**
   * A failure to answer with after the transaction commits, for refusals that must leave a trace
   * (a wrong code counted, a step-up code issued). Writes made before returning it are kept.
   */
  error?: AppError;
}

export interface OperationDefinition<Input extends z.ZodType = z.ZodType> {
  /** Stable dotted name, e.g. `contacts.search`; also the tool name. */
  name: string;
  summary: string;
  /** Longer guidance for agents, shown in the catalog and /help. */
  description?: string;
  input: Input;
  http: {
    method: HttpMethod;
    /** Hono path syntax, e.g. `/contacts/:id`. */
    path: string;
    /** Extra paths that reach the same operation. */
    aliases?: string[];
    /** For list routes: unknown query parameters become `where` filters. */
    queryFilters?: boolean;
  };
  /**
   * For operations that answer with CRM records: the relation fields (`fields=company.name`) and
   * expansions (`expand=open_deals`) their answers offer. Without it `fields=` keeps plain fields.
   */
  view?: RecordView;
  /**
   * The operation reads or writes beyond the caller's workspace (tables without a tenant, or other
   * workspaces): its handler gets `ctx.global`. Every other handler sees only `ctx.ws`.
   */
  crossWorkspace?: boolean;
  /** `none` for the few unauthenticated operations (agent bootstrap). */
  auth?: 'token' | 'none';
  scope: Scope;
  mutating: boolean;
  /** Defaults to `mutating`: tool calls that change data must carry an idempotency key. */
  requiresIdempotencyKey?: boolean;
  approval?: ApprovalMode;
  /**
   * The guide's kind; derived when left out (see toolKind). Set it for what the flags cannot tell:
   * a tool whose purpose is to propose (contacts.propose_update) although parts of it may apply.
   */
  kind?: ToolKind;
  /**
   * `people` when agents are refused by the handler whatever their scopes (creating workspaces,
   * deciding proposals): /help leaves such routes out for an agent and the catalog says so.
   */
  callers?: 'people';
  /** Reason codes this operation can return besides the generic ones. */
  reasonCodes?: (ReasonCode | ErrorCode)[];
  /**
   * The workspace policy's say on this call, inside the operation's transaction and before the
   * handler; null allows it. Not consulted while an approved proposal runs.
   */
  policy?(ctx: OperationContext, input: z.output<Input>): Promise<Verdict | null>;
  handler(ctx: OperationContext, input: z.output<Input>): Promise<OperationResult>;
}

/** Declares an operation; the identity function exists to infer the handler's input type. */
export function defineOperation<Input extends z.ZodType>(
  definition: OperationDefinition<Input>,
): OperationDefinition<Input> {
  return definition;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds operations of every input type
export type AnyOperation = OperationDefinition<any>;

/**
 * The guide's kind of an operation: what does not mutate reads; what always waits for a human
 * (billing.request_upgrade) proposes; the rest writes unless the definition says otherwise.
 */
export function toolKind(operation: AnyOperation): ToolKind {
  if (operation.kind) return operation.kind;
  if (!operation.mutating) return 'read';
  return operation.approval === 'always' ? 'propose' : 'write';
}

/** Whether an agent may call it at all: agents act as members, and some routes are for people only. */
export function agentsMayCall(operation: AnyOperation): boolean {
  return operation.callers !== 'people' && operation.scope !== 'admin';
}

/** One call as a decider sees it: the operation, its parsed input, and how many items it stands for. */
export interface DecisionRequest {
  operation: AnyOperation;
  /** The parsed input; null when a group of items is decided at once. */
  input: unknown;
  /** 1 for a call; N when a set-based batch commit asks for N plain creates at once. */
  count: number;
}

/**
 * A feature's say on every mutating call, on every path (a call, a batch item, an approved
 * proposal), registered with the executor where the app is assembled (src/app.ts). Deciders run
 * in stage order: budget, plan, then the operation's own policy, then workspace.
 */
export interface Decider {
  readonly name: string;
  readonly stage: 'budget' | 'plan' | 'workspace';
  /**
   * Asked again when an approved proposal runs (budget, plan caps). The operation's own policy,
   * which made the proposal, is not: the human's approval stands for it.
   */
  readonly onApproval: boolean;
  decide(ctx: OperationContext, request: DecisionRequest): Promise<Verdict | null>;
}

/** What the executor is given where the app is assembled: operations by name, and the deciders. */
export interface ExecutorSetup {
  /** Every operation of the registry, in its order (for catalogs an operation builds itself). */
  readonly operations: readonly AnyOperation[];
  findOperation(name: string): AnyOperation | undefined;
  readonly deciders: readonly Decider[];
}
