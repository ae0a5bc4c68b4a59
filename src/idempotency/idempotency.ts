import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { canonicalJson } from '../canonical.js';
import { AppError, type ErrorCode, type ErrorDetails } from '../errors.js';
import type { OperationResult } from '../operations/define.js';
import type { MasterKey } from '../secrets/types.js';
import type { Services } from '../services.js';
import type { Database, IdempotencyKeysTable } from '../store/schema.js';
import { ERASED_ANSWER } from './erased.js';
import {
  claimKey,
  completeKey,
  deleteExpiredKey,
  findKey,
  purgeExpiredKeys,
  type RowScope,
  releaseKey,
  takeOverStale,
} from './idempotency.repository.js';
import { type KeyScope, openAnswer, rowScope, sealAnswer } from './sealing.js';

export { validateKey } from './key-rules.js';
export type { KeyScope } from './sealing.js';

const SWEEP_EVERY_MS = 60_000;
const lastSweep = new Map<string, number>();

/** Keys are kept this long after their first use (documented: at least 24 hours). */
export const IDEMPOTENCY_RETENTION_MS = 24 * 3600 * 1000;

export type StoredOutcome =
  | { kind: 'result'; result: OperationResult }
  | {
      kind: 'error';
      error: { code: ErrorCode; message: string; hint: string; details?: ErrorDetails; data?: unknown };
    };

export function requestHash(operationName: string, input: unknown): string {
  return createHash('sha256')
    .update(`${operationName}\n${canonicalJson(input)}`)
    .digest('base64url');
}

/**
 * Which master key this key's row is under: the current one, unless a row made under an older key
 * (before a rotation, within its 24 hours) still holds it — then that row keeps answering.
 */
async function locate(services: Services, scope: KeyScope, now: string) {
  const [current, ...older] = await services.keyring.all();
  for (const master of older) {
    const row = rowScope(master, scope);
    const found = await findKey(services.store.db, row);
    if (found && found.expires_at >= now) return { master, row };
  }
  return { master: current!, row: rowScope(current!, scope) };
}

export interface Claim {
  scope: RowScope;
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
  const { master, row: where } = await locate(services, scope, nowIso);
  const row: IdempotencyKeysTable = {
    workspace_id: scope.workspaceId,
    principal: where.principal,
    key_hash: where.keyHash,
    key_id: master.id,
    operation: operationName,
    request_hash: hash,
    status: 'in_progress',
    response: null,
    created_at: nowIso,
    locked_at: nowIso,
    expires_at: new Date(now.getTime() + IDEMPOTENCY_RETENTION_MS).toISOString(),
  };
  let claimed = await claimKey(db, row);
  if (!claimed && (await deleteExpiredKey(db, where, nowIso))) claimed = await claimKey(db, row);
  if (!claimed) {
    const existing = await findKey(db, where);
    if (existing && existing.request_hash !== hash) {
      throw new AppError(
        'idempotency_key_reused',
        `this idempotency key was used for a different request (${existing.operation} with another body)`,
        'use a new idempotency key for a new change; reuse a key only to retry the identical request',
      );
    }
    if (existing?.status === 'done' && existing.response === ERASED_ANSWER) {
      return {
        replay: {
          kind: 'error',
          error: {
            code: 'erased',
            message: 'the answer stored for this idempotency key named a person who has since been erased',
            hint: 'the request was carried out once and is not repeated; use a new key for a new change',
          },
        },
      };
    }
    if (existing?.status === 'done' && existing.response) {
      return { replay: JSON.parse(await openAnswer(services.keyring, scope, where, existing.response)) };
    }
    // An attempt that held its key this long without finishing is presumed dead (its process died).
    const staleBefore = new Date(now.getTime() - services.config.idempotencyLockSeconds * 1000).toISOString();
    if (!existing || !(await takeOverStale(db, where, staleBefore, nowIso))) {
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
      scope: where,
      complete: (trx, outcome) =>
        completeKey(trx, where, sealOutcome(master, scope, where, outcome), subjectsOf(outcome)),
      fail: (error) => completeKey(db, where, sealOutcome(master, scope, where, errorOutcome(error))),
      release: () => releaseKey(db, where),
    },
  };
}

const CONTACT_ID = /(?<![0-9a-z_])c_[0-9a-z]{16}(?![0-9a-z])/g;
const MAX_SUBJECTS = 1000;

/** The contacts an answer names (space-separated handles), so an erasure can find the answer. */
function subjectsOf(outcome: StoredOutcome): string | null {
  const ids = new Set(JSON.stringify(outcome).match(CONTACT_ID) ?? []);
  if (ids.size === 0) return null;
  return [...ids]
    .slice(0, MAX_SUBJECTS)
    .map((id) => `contact/${id}`)
    .join(' ');
}

function sealOutcome(master: MasterKey, scope: KeyScope, row: RowScope, outcome: StoredOutcome): string {
  return sealAnswer(master, scope, row, JSON.stringify(outcome));
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
