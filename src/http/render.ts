import { type AppError, ERROR_CODES } from '../errors.js';
import type { NextAction, OperationResult, Outcome, Warning } from '../operations/define.js';
import { ALLOWED } from '../operations/pipeline.js';
import { dataLines, textValue } from './text.js';

export type Format = 'text' | 'json';

export interface ResponseMeta {
  format: Format;
  requestId: string;
  idempotencyKey: string | null;
  operationName: string | null;
}

export interface Rendered {
  status: number;
  body: string;
  headers: Record<string, string>;
}

interface Envelope {
  outcome: Outcome;
  data: unknown;
  policy: { decision: string; reason_code: string };
  explanation: { summary: string; reason_codes: string[] };
  next_actions: NextAction[];
  warnings: Warning[];
  request_id: string;
  idempotency_key: string | null;
  operation_id: string | null;
  next_cursor?: string | null;
  error?: { code: string; message: string; hint: string; details?: unknown };
}

const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

/** The AgentOnly envelope for a successful (or proposed, or denied) result. */
export function successEnvelope(result: OperationResult, meta: ResponseMeta): Envelope {
  const policy = result.policy ?? ALLOWED;
  const outcome = result.outcome ?? 'applied';
  const envelope: Envelope = {
    outcome,
    data: result.data ?? null,
    policy,
    explanation: {
      summary: result.summary ?? `${meta.operationName ?? 'request'}: ${outcome}`,
      reason_codes: [policy.reason_code],
    },
    next_actions: result.nextActions ?? [],
    warnings: result.warnings ?? [],
    request_id: meta.requestId,
    idempotency_key: meta.idempotencyKey,
    operation_id: operationIdOf(result.data),
  };
  if (Array.isArray(result.data)) envelope.next_cursor = result.nextCursor ?? null;
  return envelope;
}

function operationIdOf(data: unknown): string | null {
  if (data && typeof data === 'object' && 'operation_id' in data) {
    const value = (data as { operation_id: unknown }).operation_id;
    return typeof value === 'string' ? value : null;
  }
  return null;
}

export function errorEnvelope(error: AppError, meta: ResponseMeta): Envelope {
  return {
    outcome: 'error',
    data: error.data ?? null,
    policy: { decision: 'deny', reason_code: error.code },
    explanation: { summary: error.message, reason_codes: [error.code] },
    next_actions: [],
    warnings: [],
    request_id: meta.requestId,
    idempotency_key: meta.idempotencyKey,
    operation_id: null,
    error: {
      code: error.code,
      message: error.message,
      hint: error.hint,
      ...(error.details ? { details: error.details } : {}),
    },
  };
}

export function successText(result: OperationResult, meta: ResponseMeta): string {
  const lines = result.text ?? dataLines(result.data);
  const outcome = result.outcome ?? 'applied';
  if (outcome !== 'applied') lines.push(`# outcome: ${outcome}`);
  const policy = result.policy;
  if (policy && policy.decision !== 'allow') lines.push(`# policy: ${policy.decision} ${policy.reason_code}`);
  if (result.summary && outcome !== 'applied') lines.push(`# ${result.summary}`);
  lines.push(...(result.meta ?? []));
  for (const warning of result.warnings ?? []) lines.push(`# warning ${warning.code}: ${warning.message}`);
  for (const action of result.nextActions ?? [])
    lines.push(`# next_action: ${action.tool_name} ${action.when}`);
  if (result.nextCursor) lines.push(`# next: ${result.nextCursor}`);
  lines.push(...closingLines(meta));
  return `${lines.join('\n')}\n`;
}

export function errorText(error: AppError, meta: ResponseMeta): string {
  const lines = [`error ${error.code}: ${oneLine(error.message)}`, `hint: ${oneLine(error.hint)}`];
  lines.push(...closingLines(meta));
  return `${lines.join('\n')}\n`;
}

/** The request id, and the idempotency key the call carried (quoted when it holds spaces or quotes). */
function closingLines(meta: ResponseMeta): string[] {
  const lines = [`# request_id: ${meta.requestId}`];
  if (meta.idempotencyKey !== null)
    lines.push(`# idempotency_key: ${textValue(oneLine(meta.idempotencyKey))}`);
  return lines;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

export function renderSuccess(result: OperationResult, meta: ResponseMeta): Rendered {
  const status = result.status ?? 200;
  const headers = { ...result.headers, 'content-type': meta.format === 'json' ? JSON_TYPE : TEXT };
  const body =
    meta.format === 'json' ? JSON.stringify(successEnvelope(result, meta)) : successText(result, meta);
  return { status, body, headers };
}

export function renderError(error: AppError, meta: ResponseMeta): Rendered {
  const headers = { ...error.headers, 'content-type': meta.format === 'json' ? JSON_TYPE : TEXT };
  const body = meta.format === 'json' ? JSON.stringify(errorEnvelope(error, meta)) : errorText(error, meta);
  return { status: ERROR_CODES[error.code].status, body, headers };
}
