import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, paths };

type Schemas = components['schemas'];
export type ContactRecord = Schemas['ContactRecord'];
export type CompanyRecord = Schemas['CompanyRecord'];
export type DealRecord = Schemas['DealRecord'];
export type TaskRecord = Schemas['TaskRecord'];
export type ActivityRecord = Schemas['ActivityRecord'];
export type Envelope = Schemas['Envelope'];
export type ErrorEnvelope = Schemas['Error'];

/** The lists `paginate` walks, and the record each holds. */
export interface Lists {
  '/contacts': ContactRecord;
  '/companies': CompanyRecord;
  '/deals': DealRecord;
  '/tasks': TaskRecord;
  '/activities': ActivityRecord;
}

export interface AgentCrmOptions {
  /** Where the API is, e.g. https://crm.example.com */
  baseUrl: string;
  /** The bearer token (an agent's from POST /agent-bootstrap, a person's from POST /auth/verify). */
  token?: string;
  /** How often a 429 or 503 answer is retried, waiting as its Retry-After says (default 3). */
  maxRetries?: number;
  /** The longest wait before a retry, in milliseconds (default 30 000). */
  maxRetryDelayMs?: number;
  /** Makes the idempotency key of a write; it is sent once and reused on every retry of that write. */
  newIdempotencyKey?: () => string;
  /** Another fetch (tests, proxies); the global one by default. */
  fetch?: (request: Request) => Promise<Response>;
}

/** A failure answer: the envelope's code, message and hint, and the request id to report. */
export class AgentCrmError extends Error {
  readonly code: string;
  readonly hint: string;
  readonly status: number;
  readonly requestId: string;
  constructor(
    readonly envelope: ErrorEnvelope,
    status: number,
  ) {
    super(`${envelope.error.code}: ${envelope.error.message}`);
    this.name = 'AgentCrmError';
    this.code = envelope.error.code;
    this.hint = envelope.error.hint;
    this.status = status;
    this.requestId = envelope.request_id;
  }
}

const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const RETRIED = new Set([429, 503]);

const randomKey = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return `idem_${Buffer.from(bytes).toString('base64url')}`;
};

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), or null. */
function retryAfter(response: Response, now = Date.now()): number | null {
  const value = response.headers.get('retry-after');
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * 429 and 503 are retried; so is 409 idempotency_key_in_use: an earlier attempt of this very write
 * is still running (a restart cut its connection), and the same key will get its one outcome.
 */
async function retryable(response: Response): Promise<boolean> {
  if (RETRIED.has(response.status)) return true;
  if (response.status !== 409) return false;
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { error?: { code?: string } } | null;
  return body?.error?.code === 'idempotency_key_in_use';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The transport of the client: JSON answers, the bearer token, an idempotency key on every write
 * (kept across its retries, so a write lands once however often it is sent), and retries of 429,
 * 503 and 409 idempotency_key_in_use after the wait the server names (or a growing one).
 */
function transport(options: AgentCrmOptions) {
  const send = options.fetch ?? ((request: Request) => fetch(request));
  const maxRetries = options.maxRetries ?? 3;
  const maxDelay = options.maxRetryDelayMs ?? 30_000;
  const newKey = options.newIdempotencyKey ?? randomKey;
  return async (input: Request): Promise<Response> => {
    const request = input.clone();
    if (!request.headers.has('accept')) request.headers.set('accept', 'application/json');
    if (options.token && !request.headers.has('authorization')) {
      request.headers.set('authorization', `Bearer ${options.token}`);
    }
    if (WRITES.has(request.method) && !request.headers.has('x-idempotency-key')) {
      request.headers.set('x-idempotency-key', newKey());
    }
    for (let attempt = 0; ; attempt++) {
      const response = await send(request.clone());
      if (!(await retryable(response)) || attempt >= maxRetries) return response;
      const wait = retryAfter(response) ?? 250 * 2 ** attempt;
      await response.body?.cancel();
      await sleep(Math.min(wait, maxDelay));
    }
  };
}

export type AgentCrmClient = Client<paths, 'application/json'> & {
  /** Every record of a list, page after page (`next_cursor`), with the same filters on each page. */
  paginate<P extends keyof Lists>(
    path: P,
    query?: Record<string, string | number | boolean>,
  ): AsyncGenerator<Lists[P], void, undefined>;
};

/**
 * A typed client of the agentcrm API: every route with its input and answer types (openapi-fetch
 * over the generated schema), plus `paginate`. Calls answer `{ data, error, response }`: `data` is
 * the envelope of a success, `error` the error envelope of a failure.
 */
export function createAgentCrmClient(options: AgentCrmOptions): AgentCrmClient {
  const client = createClient<paths, 'application/json'>({
    baseUrl: options.baseUrl,
    fetch: transport(options),
    // Filters are query parameters of their own (stage=lead), as the API reads them.
    querySerializer: { object: { style: 'form', explode: true } },
  });
  async function* paginate<P extends keyof Lists>(
    path: P,
    query: Record<string, string | number | boolean> = {},
  ): AsyncGenerator<Lists[P], void, undefined> {
    let cursor: string | null = null;
    do {
      const url = new URL(path, options.baseUrl);
      for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
      if (cursor) url.searchParams.set('cursor', cursor);
      const response = await transport(options)(new Request(url));
      const body = (await response.json()) as Envelope & { error?: unknown };
      if (!response.ok || body.error) throw new AgentCrmError(body as ErrorEnvelope, response.status);
      yield* body.data as Lists[P][];
      cursor = body.next_cursor ?? null;
    } while (cursor);
  }
  return Object.assign(client, { paginate });
}
