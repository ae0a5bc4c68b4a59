import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { AppError, type ErrorCode, type ErrorDetails } from '../errors.js';
import type { OperationResult } from '../operations/define.js';
import type { Services } from '../services.js';
import type { Database, IdempotencyKeysTable } from '../store/schema.js';
import {
  claimKey,
  completeKey,
  deleteExpiredKey,
  findKey,
  type KeyScope,
  purgeExpiredKeys,
  releaseKey,
  takeOverStale,
} from './idempotency.repository.js';

const SWEEP_EVERY_MS = 60_000;
const lastSweep = new Map<string, number>();

/** Keys are kept this long after their first use (documented: at least 24 hours). */
export const IDEMPOTENCY_RETENTION_MS = 24 * 3600 * 1000;
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

export type StoredOutcome =
  | { kind: 'result'; result: OperationResult }
  | {
      kind: 'error';
      error: { code: ErrorCode; message: string; hint: string; details?: ErrorDetails; data?: unknown };
    };

export function validateKey(key: string): void {
  if (!KEY_FORMAT.test(key)) {
    throw new AppError(
      'invalid_input',
      'the idempotency key must be 1-255 printable ASCII characters without spaces',
      'use a fresh random value per intended change, e.g. idem_<uuid>, and reuse it only to retry that change',
    );
  }
}

/** Stable JSON: object keys sorted, so equal inputs hash equally whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestHash(operationName: string, input: unknown): string {
  return createHash('sha256')
    .update(`${operationName}\n${canonical(input)}`)
    .digest('base64url');
}

// The stored outcome may contain a secret shown once (a new token), so it is encrypted with a key
// only the client that holds the idempotency key can derive.
function cipherKey(scope: KeyScope): Buffer {
  return createHash('sha256')
    .update(`agentcrm-idempotency\n${scope.workspaceId}\n${scope.principal}\n${scope.key}`)
    .digest();
}

function seal(scope: KeyScope, outcome: StoredOutcome): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cipherKey(scope), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(outcome), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

function open(scope: KeyScope, sealed: string): StoredOutcome {
  const raw = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', cipherKey(scope), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
}

export interface Claim {
  scope: KeyScope;
  /** Writes the outcome; call inside the operation's transaction so both commit together. */
  complete(db: Kysely<Database> | Transaction<Database>, outcome: StoredOutcome): Promise<void>;
  /** Records a refusal (4xx) after the operation's transaction rolled back. */
  fail(error: AppError): Promise<void>;
  /** Frees the key after an unexpected error, so a retry runs the operation again. */
  release(): Promise<void>;
}

/**
 * Starts an idempotent attempt: either the stored outcome of an earlier attempt with the same
 * key (to replay), or a claim on the key that this attempt must complete, fail or release.
 */
export async function beginAttempt(
  services: Services,
  scope: KeyScope,
  operationName: string,
  hash: string,
): Promise<{ replay: StoredOutcome } | { claim: Claim }> {
  const { db } = services.store;
  const now = services.clock.now();
  const nowIso = now.toISOString();
  // Expired keys are swept at most once a minute per workspace and process, not on every request;
  // an expired key in the way of this claim is removed below, so expiry stays exact.
  const swept = lastSweep.get(scope.workspaceId);
  if (swept === undefined || now.getTime() - swept >= SWEEP_EVERY_MS || now.getTime() < swept) {
    await purgeExpiredKeys(db, scope.workspaceId, nowIso);
    if (lastSweep.size >= 10_000) lastSweep.clear();
    lastSweep.set(scope.workspaceId, now.getTime());
  }
  const row: IdempotencyKeysTable = {
    workspace_id: scope.workspaceId,
    principal: scope.principal,
    key: scope.key,
    operation: operationName,
    request_hash: hash,
    status: 'in_progress',
    response: null,
    created_at: nowIso,
    locked_at: nowIso,
    expires_at: new Date(now.getTime() + IDEMPOTENCY_RETENTION_MS).toISOString(),
  };
  let claimed = await claimKey(db, row);
  if (!claimed && (await deleteExpiredKey(db, scope, nowIso))) claimed = await claimKey(db, row);
  if (!claimed) {
    const existing = await findKey(db, scope);
    if (existing && existing.request_hash !== hash) {
      throw new AppError(
        'idempotency_key_reused',
        `this idempotency key was used for a different request (${existing.operation} with another body)`,
        'use a new idempotency key for a new change; reuse a key only to retry the identical request',
      );
    }
    if (existing?.status === 'done' && existing.response) return { replay: open(scope, existing.response) };
    // An attempt that held its key this long without finishing is presumed dead (its process died).
    const staleBefore = new Date(now.getTime() - services.config.idempotencyLockSeconds * 1000).toISOString();
    if (!existing || !(await takeOverStale(db, scope, staleBefore, nowIso))) {
      throw new AppError(
        'idempotency_key_in_use',
        'a request with this idempotency key is still being processed',
        'wait a moment and retry with the same key; you will get its outcome',
        { headers: { 'retry-after': '1' } },
      );
    }
  }
  return {
    claim: {
      scope,
      complete: (trx, outcome) => completeKey(trx, scope, seal(scope, outcome)),
      fail: (error) => completeKey(db, scope, seal(scope, errorOutcome(error))),
      release: () => releaseKey(db, scope),
    },
  };
}

function errorOutcome(error: AppError): StoredOutcome {
  const { code, message, hint, details, data } = error;
  return {
    kind: 'error',
    error: { code, message, hint, ...(details ? { details } : {}), ...(data ? { data } : {}) },
  };
}

/** What to store for a result: a deferred refusal is stored as the refusal it becomes. */
export function outcomeOf(result: OperationResult): StoredOutcome {
  return result.error ? errorOutcome(result.error) : { kind: 'result', result };
}

/** Turns a stored outcome back into what the first attempt answered. */
export function replay(outcome: StoredOutcome): OperationResult {
  if (outcome.kind === 'error') {
    const { code, message, hint, details, data } = outcome.error;
    throw new AppError(code, message, hint, {
      ...(details ? { details } : {}),
      ...(data ? { data } : {}),
      headers: { 'idempotent-replayed': 'true' },
    });
  }
  return {
    ...outcome.result,
    headers: { ...outcome.result.headers, 'idempotent-replayed': 'true' },
    meta: [...(outcome.result.meta ?? []), '# idempotent_replay: true'],
  };
}
