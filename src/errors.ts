/**
 * Every failure a client can see is an AppError with a stable code, a message and a hint.
 * The codes are a closed union: adding one means adding it here, with its HTTP status and its
 * meaning (published in /agentcrm-policy.json), so nothing undocumented can reach a client.
 */
export const ERROR_CODES = {
  invalid_input: { status: 400, meaning: 'The input failed validation; the message names each bad field.' },
  invalid_json: { status: 400, meaning: 'The request body is not valid JSON.' },
  invalid_query: { status: 400, meaning: 'A filter, sort, or search parameter is not allowed.' },
  invalid_cursor: {
    status: 400,
    meaning: 'The cursor is malformed or belongs to a different query.',
  },
  auth_required: { status: 401, meaning: 'No bearer token was sent.' },
  invalid_token: { status: 401, meaning: 'The bearer token is unknown or revoked.' },
  token_expired: { status: 401, meaning: 'The bearer token expired (inactivity or absolute lifetime).' },
  invalid_code: {
    status: 400,
    meaning: 'The one-time code (sign-in or step-up) is wrong, expired, already used, or for another action.',
  },
  invite_invalid: { status: 410, meaning: 'The invite is unknown, expired, revoked, or already accepted.' },
  forbidden: { status: 403, meaning: 'Your role does not allow this action.' },
  scope_insufficient: {
    status: 403,
    meaning: "The token's scopes (read, write, admin) do not include the one this operation needs.",
  },
  plan_limit_reached: {
    status: 403,
    meaning: "Creating this would pass the workspace plan's cap; do not retry, tell your human.",
  },
  escalation_required: {
    status: 403,
    meaning:
      'A sensitive action needs a fresh code emailed to your human; repeat it with ?code= or X-Escalation-Code.',
  },
  approval_requires_human: {
    status: 403,
    meaning: 'Proposals are decided by a person (an admin or the billing owner), never by an agent.',
  },
  erased: {
    status: 410,
    meaning:
      "The record was erased at a person's request (contacts.erase): only a tombstone without personal data is left.",
  },
  not_found: { status: 404, meaning: 'No such record in this workspace, or no such route.' },
  method_not_allowed: { status: 405, meaning: 'The route exists but not with this HTTP method.' },
  conflict: { status: 409, meaning: 'The change conflicts with the current state of a record.' },
  proposal_expired: {
    status: 409,
    meaning:
      'The proposal passed its expiry (policy proposal_expiry_hours) before a person decided it; it can no longer be approved.',
  },
  idempotency_key_required: {
    status: 400,
    meaning: 'Mutating tool calls must carry X-Idempotency-Key (or Idempotency-Key).',
  },
  idempotency_key_in_use: {
    status: 409,
    meaning:
      'An earlier request with this idempotency key is still running; retry shortly with the same key.',
  },
  idempotency_key_reused: {
    status: 422,
    meaning: 'The idempotency key was already used for a different request (other body or route).',
  },
  version_conflict: {
    status: 409,
    meaning:
      'If-Match (or version) names an older version of the record; details list the fields changed since.',
  },
  confirmation_required: {
    status: 428,
    meaning:
      'A delete needs a second call: repeat it with ?confirm=<token> (data.confirm_token) within minutes.',
  },
  payload_too_large: { status: 413, meaning: 'The request body is larger than the server accepts.' },
  unsupported: { status: 422, meaning: 'The request is well-formed but cannot be carried out.' },
  rate_limited: { status: 429, meaning: 'Too many requests; wait for Retry-After seconds.' },
  too_many_attempts: {
    status: 429,
    meaning: 'Too many wrong codes; wait for Retry-After seconds, then request a new code.',
  },
  internal: { status: 500, meaning: 'An unexpected server error; it is logged with the request id.' },
  unavailable: { status: 503, meaning: 'The server is starting, stopping, or its database is unreachable.' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetails {
  /** Field names the caller may use, for "unknown field" style errors. */
  allowed?: readonly string[];
  /** Per-field problems, for validation errors. */
  fields?: { path: string; message: string }[];
  [key: string]: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly details: ErrorDetails | undefined;
  /** Extra headers for the response (Retry-After, WWW-Authenticate, …). */
  readonly headers: Record<string, string> | undefined;
  /** What the caller needs to act on the error (e.g. a confirm token); the envelope's `data`. */
  readonly data: unknown;

  constructor(
    code: ErrorCode,
    message: string,
    hint: string,
    options: { details?: ErrorDetails; headers?: Record<string, string>; data?: unknown } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.hint = hint;
    this.details = options.details;
    this.headers = options.headers;
    this.data = options.data ?? null;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

export const notFound = (handle: string): AppError =>
  new AppError(
    'not_found',
    `${handle} does not exist in this workspace`,
    'check the id; list records with GET on the collection (e.g. GET /contacts?search=...) to find the right handle',
  );
