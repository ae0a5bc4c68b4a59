import type { Kysely, Transaction } from 'kysely';
import { settleAuth } from '../auth/auth-cache.js';
import { isAppError } from '../errors.js';
import {
  beginAttempt,
  type Claim,
  outcomeOf,
  replay,
  requestHash,
  validateKey,
} from '../idempotency/idempotency.js';
import type { Services } from '../services.js';
import type { Database } from '../store/schema.js';
import { checkProjection, shapeAnswer } from './answer.js';
import { type ContextMeta, flushAudits, newRun } from './context.js';
import type { AnyOperation, OperationResult } from './define.js';
import { type RawProjection, takeProjection } from './projection.js';
import { ALLOWED, applyDecision, checkCaller, decide, validate } from './steps.js';
import { dryRunResult } from './verdicts.js';

/**
 * The executor: ONE ordered list of steps (steps.ts) for every way an operation runs. Three entry
 * points share it — a call from any surface (runOperation, here), an item of a batch
 * (batch.ts: runBatchItem, and runBatchGroup for the set-based commit of plain creates) and an
 * approved proposal (approved.ts: runApproved).
 */

export interface CallMeta extends ContextMeta {
  toolName: string | null;
  /** Decide and compute the change, then roll it back (`?dry_run=true`, `X-Dry-Run: true`). */
  dryRun?: boolean;
  /** `?fields=` and `?expand=` as the transport received them; a tool input's own win. */
  projection?: RawProjection;
}

/** Carries a dry run's answer out of its transaction, which it rolls back. */
class DryRunRollback extends Error {
  constructor(readonly result: OperationResult) {
    super('dry run');
  }
}

/**
 * Runs one operation for one caller: scope → validate → idempotency → (in one transaction)
 * decide → handler or proposal or denial → audit rows and change-feed events, and the stored
 * idempotent answer. Every surface (REST, /tools, MCP, the console) ends here, so the rules hold
 * the same way everywhere.
 */
export async function runOperation(
  services: Services,
  operation: AnyOperation,
  rawInput: unknown,
  meta: CallMeta,
): Promise<OperationResult> {
  checkCaller(operation, meta.caller);
  // Checked before anything runs: a write is never applied for an answer that cannot be given.
  const { input, projection } = takeProjection(rawInput, meta.projection);
  if (projection) checkProjection(operation, projection);
  const result = await runCall(services, operation, input, meta);
  if (!projection || (meta.dryRun && operation.mutating)) return result;
  return shapeAnswer(services, operation, result, projection, meta.caller);
}

async function runCall(
  services: Services,
  operation: AnyOperation,
  rawInput: unknown,
  meta: CallMeta,
): Promise<OperationResult> {
  const { caller } = meta;
  const { data, reason } = validate(operation, rawInput, { headerReason: meta.reason });
  const dryRun = Boolean(meta.dryRun) && operation.mutating;
  if (caller) services.meter.count(caller.workspaceId);

  const afterCommit: (() => Promise<void>)[] = [];
  const execute = async (db: Kysely<Database> | Transaction<Database>) => {
    const run = newRun(services, db, { ...meta, reason, crossWorkspace: operation.crossWorkspace });
    const decision = await decide(run, operation, data, { approved: Boolean(run.ctx.approval) });
    if (dryRun) {
      const result = decision.verdict ? null : await applyDecision(run, operation, data, decision, null);
      if (result?.error) throw result.error;
      throw new DryRunRollback(dryRunResult(decision.verdict, run.audits, result));
    }
    const result = await applyDecision(run, operation, data, decision, meta.toolName);
    await flushAudits(run, operation.name, meta.toolName, result.policy ?? ALLOWED);
    afterCommit.push(...run.afterCommit);
    return result;
  };

  /** Sends what waited for the commit (mail), then answers; a deferred refusal is thrown now. */
  const settle = async (result: OperationResult) => {
    for (const task of afterCommit) await task();
    if (result.error) throw result.error;
    return result;
  };
  if (!operation.mutating) return settle(await execute(services.store.db));
  if (dryRun) {
    try {
      await settleAuth(services.store, () => services.store.db.transaction().execute(execute));
    } catch (error) {
      if (error instanceof DryRunRollback) return error.result;
      throw error;
    }
  }

  // Idempotency (calls only): a repeated key answers the stored outcome without running again.
  let claim: Claim | undefined;
  if (meta.idempotencyKey !== null) {
    validateKey(meta.idempotencyKey, !caller);
    const scope = {
      workspaceId: caller?.workspaceId ?? '',
      principal: caller ? caller.tokenId : `anon:${meta.clientIp ?? meta.clientIpOf?.() ?? 'unknown'}`,
      key: meta.idempotencyKey,
    };
    const attempt = await beginAttempt(services, scope, operation.name, requestHash(operation.name, data));
    if ('replay' in attempt) return replay(attempt.replay);
    claim = attempt.claim;
  }
  let result: OperationResult;
  try {
    result = await settleAuth(services.store, () =>
      services.store.db.transaction().execute(async (trx) => {
        const outcome = await execute(trx);
        // The stored outcome commits with the change: never one without the other.
        await claim?.complete(trx, outcomeOf(outcome));
        return outcome;
      }),
    );
  } catch (error) {
    // Bookkeeping failures must not hide the original error; a key left in progress goes stale.
    const bookkeeping =
      claim && isAppError(error) && error.status < 500 ? claim.fail(error) : claim?.release();
    await bookkeeping?.catch((cause: unknown) =>
      services.logger.error({ err: cause }, 'idempotency bookkeeping failed'),
    );
    throw error;
  }
  return settle(result);
}
