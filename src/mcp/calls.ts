import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { errorEnvelope, type ResponseMeta, successEnvelope } from '../answer/envelope.js';
import { errorText, successText } from '../answer/render.js';
import { AppError, isAppError } from '../errors.js';
import { callOperation, type KeyRequirement } from '../operations/call.js';
import type { AnyOperation, Caller } from '../operations/define.js';
import type { Services } from '../services.js';
import { recordLink } from './record-links.js';

export interface ToolCaller {
  /** The caller behind the bearer token of the /mcp request. */
  caller: Caller;
  clientIp: string | null;
  /**
   * Set when a call of this request was refused for a scope the caller's role allows and the
   * token came from OAuth: a 2026-07-28 /mcp answer becomes the 403 step-up challenge (routes.ts).
   */
  stepUp?: StepUp;
}

/** A refusal for scope: the scope to authorize again with, and the words of the refusal. */
export interface StepUp {
  scope: string[];
  message: string;
  hint: string;
}

/** Notes a scope refusal an OAuth client can step up from (see ToolCaller.stepUp). */
export function noteStepUp(who: ToolCaller, refusal: StepUp): void {
  if (who.caller.fromOAuth) who.stepUp ??= refusal;
}

/** How a typed tool asks for the idempotency key a write must carry. */
const TOOL_KEY: KeyRequirement = {
  must: 'the call must carry idempotency_key',
  hint: 'add "idempotency_key": "idem_<random>"; reuse the same key when you retry this same call',
};

/** A failure as a tool result: `isError`, the text rendering (code and hint) and the JSON envelope. */
export function toolError(error: AppError, meta: ResponseMeta): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: errorText(error, meta) }],
    structuredContent: errorEnvelope(error, meta) as unknown as Record<string, unknown>,
  };
}

/** The error a client sees for anything unexpected; the cause is logged with the request id. */
export function internalError(services: Services, cause: unknown, requestId: string): AppError {
  services.logger.error({ err: cause, request_id: requestId }, 'unexpected error in an MCP tool');
  return new AppError(
    'internal',
    'an unexpected error occurred; nothing was changed by this call',
    `retry once; if it repeats, report request id ${requestId}`,
  );
}

/**
 * Runs one typed tool exactly as POST /tools/{name} runs it: its arguments parsed, then the shared
 * preamble (rate limit, idempotency key, runOperation: scopes, validation, policy, audit). Every
 * failure is a tool result with isError, never a protocol error, so the model reads the code and
 * the hint.
 */
export async function callTypedTool(
  services: Services,
  operation: AnyOperation,
  args: Record<string, unknown> | undefined,
  who: ToolCaller,
): Promise<CallToolResult> {
  const requestId = services.ids.next('req');
  const { idempotency_key: rawKey, ...input } = args ?? {};
  // On writes `dry_run` steers the call, as ?dry_run=true does over HTTP; it never reaches the operation.
  const dryRun = operation.mutating ? input.dry_run : undefined;
  if (operation.mutating) delete input.dry_run;
  const idempotencyKey = typeof rawKey === 'string' ? rawKey : null;
  const meta: ResponseMeta = { format: 'json', requestId, idempotencyKey, operationName: operation.name };
  try {
    if (dryRun !== undefined && typeof dryRun !== 'boolean') {
      throw new AppError(
        'invalid_input',
        'dry_run: true or false',
        'send "dry_run": true to preview the change',
      );
    }
    if (rawKey !== undefined && typeof rawKey !== 'string') {
      throw new AppError(
        'invalid_input',
        'idempotency_key: a text',
        'send a key you made up, e.g. idem_<random>',
      );
    }
    const result = await callOperation(services, operation, input, {
      credentials: { caller: who.caller },
      rateLimit: 'call',
      keyRequirement: TOOL_KEY,
      requestId,
      idempotencyKey,
      toolName: operation.name,
      reason: null,
      clientIp: who.clientIp,
      dryRun: dryRun === true,
    });
    const envelope = successEnvelope(result, meta) as unknown as Record<string, unknown>;
    const link = recordLink(services, operation.view?.kind, envelope.data);
    return {
      content: [{ type: 'text', text: successText(result, meta) }, ...(link ? [link] : [])],
      structuredContent: envelope,
    };
  } catch (error) {
    if (isAppError(error) && error.code === 'scope_insufficient') {
      const scope = String(error.details?.scope ?? '').split(' ');
      noteStepUp(who, { scope, message: error.message, hint: error.hint });
    }
    return toolError(isAppError(error) ? error : internalError(services, error, requestId), meta);
  }
}
