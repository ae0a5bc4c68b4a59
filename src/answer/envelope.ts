import type { AppError } from '../errors.js';
import type { NextAction, OperationResult, Outcome, Warning } from '../operations/define.js';
import { ALLOWED } from '../operations/steps.js';

/** The fields of every answer's JSON envelope in order. */
export const ENVELOPE_FIELDS = [
  'outcome',
  'data',
  'policy',
  'explanation',
  'next_actions',
  'warnings',
  'request_id',
  'idempotency_key',
  'operation_id',
] as const;

export type Format = 'text' | 'json';

/** What every answer names besides the result: its format, request, idempotency key and operation. */
export interface ResponseMeta {
  format: Format;
  requestId: string;
  idempotencyKey: string | null;
  operationName: string | null;
}

/** The AgentOnly envelope: the JSON form of every answer, success or failure, on every surface. */
export interface Envelope {
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
