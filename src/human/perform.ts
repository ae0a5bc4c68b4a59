import { type AppError, isAppError } from '../errors.js';
import { callOperation } from '../operations/call.js';
import type { AnyOperation, OperationResult } from '../operations/define.js';
import type { Services } from '../services.js';
import type { Session } from './session.js';

export type Performed = { ok: true; result: OperationResult } | { ok: false; error: AppError };

export interface PerformOptions {
  requestId: string;
  clientIp: string | null;
  /** A step-up code the person typed (sent as X-Escalation-Code would be). */
  escalationCode?: string | null;
  /** Why the person did it, recorded in the audit. */
  reason?: string | null;
}

/**
 * Runs an operation of the registry for the signed-in person, through the same preamble and pipeline
 * as the API (scopes, validation, rules, audit in one transaction). Pages import the definitions they
 * run, so a renamed or removed operation fails the type check, not a page at run time.
 * Refusals come back as values for the page to show; anything unexpected is thrown.
 */
export async function perform(
  services: Services,
  session: Session,
  operation: AnyOperation,
  input: Record<string, unknown>,
  options: PerformOptions,
): Promise<Performed> {
  return settled(
    callOperation(services, operation, input, {
      credentials: { caller: session.caller },
      // The console counts each page against the rate limit once, however many operations it runs.
      rateLimit: 'surface',
      requestId: options.requestId,
      idempotencyKey: null,
      toolName: null,
      reason: options.reason ?? null,
      clientIp: options.clientIp,
      escalationCode: options.escalationCode ?? null,
      // The person is at the console: signed in with an emailed code, posting a CSRF-checked form.
      interactive: true,
    }),
  );
}

/** Runs one of the few operations that need no caller (invite inspection, the console's sign-in steps). */
export async function performAnonymous(
  services: Services,
  operation: AnyOperation,
  input: Record<string, unknown>,
  options: PerformOptions,
): Promise<{ ok: true; result: OperationResult } | { ok: false; error: AppError }> {
  return settled(
    callOperation(services, operation, input, {
      credentials: { caller: null },
      rateLimit: 'surface',
      requestId: options.requestId,
      idempotencyKey: null,
      toolName: null,
      reason: null,
      clientIp: options.clientIp,
    }),
  );
}

/** Refusals come back as values for the page to show; anything unexpected is thrown. */
async function settled(
  call: Promise<OperationResult>,
): Promise<{ ok: true; result: OperationResult } | { ok: false; error: AppError }> {
  try {
    return { ok: true, result: await call };
  } catch (error) {
    if (isAppError(error)) return { ok: false, error };
    throw error;
  }
}

/** The records of a list answer (or [] when it is not one). */
export function listData(performed: Performed): Record<string, unknown>[] {
  if (!performed.ok || !Array.isArray(performed.result.data)) return [];
  return performed.result.data as Record<string, unknown>[];
}

export function recordData(performed: Performed): Record<string, unknown> | null {
  if (!performed.ok) return null;
  const data = performed.result.data;
  return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
}
