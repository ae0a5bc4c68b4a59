import { type AppError, ERROR_CODES } from '../errors.js';
import type { OperationResult } from '../operations/define.js';
import { errorEnvelope, type ResponseMeta, successEnvelope } from './envelope.js';
import { dataLines, textValue } from './text.js';

/** An answer's bytes for a transport that writes HTTP: status, body, headers. */
export interface Rendered {
  status: number;
  body: string;
  headers: Record<string, string>;
}

const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

/** The text answer of a result: its record lines, then `# ` meta lines (outcome, policy, next, request id). */
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
