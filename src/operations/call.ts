import { authenticate } from '../auth/tokens.js';
import { AppError } from '../errors.js';
import { enforceRequestLimit } from '../ratelimit/request-limit.js';
import type { Services } from '../services.js';
import type { AnyOperation, Caller, OperationResult } from './define.js';
import { type CallMeta, runOperation } from './executor.js';

/**
 * The idempotency-key rule, the one place it is decided: a tool call (POST /tools/{name}, MCP
 * `tools/call`) of a write must carry a key, unless the operation declares it needs none. The tool
 * catalog, the MCP tool schemas and the guide publish this same rule.
 */
export const requiresIdempotencyKey = (operation: AnyOperation): boolean =>
  operation.mutating && (operation.requiresIdempotencyKey ?? true);

/** Who is calling, as the transport knows it. */
export type Credentials =
  /** The Authorization header as received: authenticated here (HTTP). */
  | { authorization: string | undefined }
  /** A caller the transport resolved already: the /mcp session's token, the console's session, the CLI's token. */
  | { caller: Caller | null };

/**
 * How a transport asks for a key when a tool call comes without one: the refusal says
 * "`<operation>` changes data, so `<must>`" and the hint tells how to send it on that transport.
 */
export interface KeyRequirement {
  must: string;
  hint: string;
}

export interface CallRequest extends Omit<CallMeta, 'caller'> {
  credentials: Credentials;
  /**
   * `call`: this call counts against the request rate limit (per token, or per address without
   * one). `surface`: the surface applies its own: the console counts each page once, however many
   * operations it runs; the operator's own CLI import counts none.
   */
  rateLimit: 'call' | 'surface';
  /** Set on tool calls: a write without an idempotency key is refused, worded for the transport. */
  keyRequirement?: KeyRequirement;
  /** Told who the caller is once known, even if a later step refuses (HTTP's log line names it). */
  onCaller?: (caller: Caller | null) => void;
  /** Given the rate-limit header fields to put on the answer, once the call is admitted. */
  onAdmitted?: (rateLimitHeaders: Record<string, string>) => void;
}

/**
 * The preamble every surface runs before an operation, in this order: who is calling (an
 * operation declared `auth: 'none'` runs without a caller, whatever was sent) → the request rate
 * limit → the idempotency-key rule → runOperation (scopes, validation, policy, audit). Transports
 * parse their input before it and write the answer after it; refusals are thrown as AppError.
 */
export async function callOperation(
  services: Services,
  operation: AnyOperation,
  rawInput: unknown,
  request: CallRequest,
): Promise<OperationResult> {
  const { credentials, rateLimit, keyRequirement, onCaller, onAdmitted, ...meta } = request;
  const caller = await callerOf(services, operation, credentials);
  onCaller?.(caller);
  if (rateLimit === 'call') {
    // The address is worked out only without a token (its limit): reading it may cost a system call.
    const ip = caller ? null : (meta.clientIp ?? meta.clientIpOf?.() ?? null);
    const headers = await enforceRequestLimit(services, caller, ip);
    onAdmitted?.(headers);
  }
  if (keyRequirement && requiresIdempotencyKey(operation) && !meta.idempotencyKey) {
    throw new AppError(
      'idempotency_key_required',
      `${operation.name} changes data, so ${keyRequirement.must}`,
      keyRequirement.hint,
    );
  }
  return runOperation(services, operation, rawInput, { ...meta, caller });
}

async function callerOf(
  services: Services,
  operation: AnyOperation,
  credentials: Credentials,
): Promise<Caller | null> {
  if (operation.auth === 'none') return null;
  if ('caller' in credentials) return credentials.caller;
  return authenticate(services, credentials.authorization);
}
