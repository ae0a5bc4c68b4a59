import type { Kysely, Transaction } from 'kysely';
import { settleAuth } from '../auth/auth-cache.js';
import { assertScope } from '../auth/scopes.js';
import { budgetVerdict } from '../billing/billing.operations.js';
import { AppError, isAppError } from '../errors.js';
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
import { scopeTo } from '../store/scoped.js';
import { type ContextMeta, flushAudits, newRun } from './context.js';
import type { AnyOperation, Caller, OperationResult, Warning } from './define.js';
import { inputProblem, MAX_JSON_DEPTH } from './json-depth.js';
import { type Projection, projectPlain, type RawProjection, takeProjection } from './projection.js';
import { invalidInput } from './validation.js';
import { AUTO_APPROVED, applyVerdict, autoApproved, dryRunResult } from './verdicts.js';

export interface CallMeta extends ContextMeta {
  toolName: string | null;
  /** Decide and compute the change, then roll it back (`?dry_run=true`, `X-Dry-Run: true`). */
  dryRun?: boolean;
  /** `?fields=` and `?expand=` as the transport received them; a tool input's own win. */
  projection?: RawProjection;
}

export const ALLOWED = { decision: 'allow', reason_code: 'policy.allowed' } as const;

/** Carries a dry run's answer out of its transaction, which it rolls back. */
class DryRunRollback extends Error {
  constructor(readonly result: OperationResult) {
    super('dry run');
  }
}

/**
 * Runs one operation for one caller: scope → validate → idempotency → (in one transaction)
 * policy verdict → handler or proposal or denial → audit rows and change-feed events, and the
 * stored idempotent answer. Every surface (REST, /tools, MCP, the console) ends here, so the
 * rules hold the same way everywhere.
 */
export async function runOperation(
  services: Services,
  operation: AnyOperation,
  rawInput: unknown,
  meta: CallMeta,
): Promise<OperationResult> {
  const { caller } = meta;
  if (operation.auth !== 'none') {
    if (!caller) throw new AppError('auth_required', 'this operation needs a bearer token', loginHint);
    assertScope(operation, caller);
  }
  // Checked before anything runs: a write is never applied for an answer that cannot be given.
  const { input, projection } = takeProjection(rawInput, meta.projection);
  if (projection) checkProjection(operation, projection);
  const result = await runChecked(services, operation, input, meta);
  if (!projection || (meta.dryRun && operation.mutating)) return result;
  return shapeAnswer(services, operation, result, projection, caller);
}

function checkProjection(operation: AnyOperation, projection: Projection) {
  if (operation.view) return operation.view.check(projection);
  if (projection.expand) {
    throw new AppError(
      'invalid_input',
      `expand: ${operation.name} has nothing to expand`,
      'expand= works on the reads and lists of contacts, companies, deals, tasks and activities',
    );
  }
}

/**
 * The answer with only the asked-for fields and the asked-for related records. Related records
 * are read after the operation (after its commit, for a write), in the caller's workspace.
 */
async function shapeAnswer(
  services: Services,
  operation: AnyOperation,
  result: OperationResult,
  projection: Projection,
  caller: Caller | null,
): Promise<OperationResult> {
  if (result.text) {
    // Its text is written by the operation: the JSON form takes the fields, the text says so.
    if (!projection.fields) return result;
    const { data, warning } = projectPlain(result.data, projection.fields);
    const fixed: Warning = {
      code: 'fields_text_fixed',
      message: `${operation.name} writes its own text answer, which fields= does not shorten; ask for JSON (Accept: application/json) to get only the named fields`,
    };
    return { ...result, data, warnings: [...(result.warnings ?? []), ...(warning ? [warning] : []), fixed] };
  }
  // A proposal (or a refusal) is not the record the projection names: answered whole.
  if (result.outcome === 'proposed' || result.outcome === 'denied') return result;
  if (operation.view && caller) {
    const ws = scopeTo(services.store.db, services.store.dialect, caller.workspaceId);
    return { ...result, data: await operation.view.shape(ws, result.data, projection) };
  }
  if (!projection.fields) return result;
  const { data, warning } = projectPlain(result.data, projection.fields);
  return { ...result, data, ...(warning ? { warnings: [...(result.warnings ?? []), warning] } : {}) };
}

async function runChecked(
  services: Services,
  operation: AnyOperation,
  rawInput: unknown,
  meta: CallMeta,
): Promise<OperationResult> {
  const { caller } = meta;
  const problem = inputProblem(rawInput);
  if (problem === 'too_deep') {
    throw new AppError(
      'invalid_input',
      `the input nests deeper than ${MAX_JSON_DEPTH} levels`,
      'flatten the structure',
    );
  }
  if (problem === 'nul') {
    throw new AppError(
      'invalid_input',
      'a text contains the NUL character (\\u0000)',
      'remove NUL characters from the values',
    );
  }
  const { input, reason } = takeReason(operation, rawInput, meta.reason);
  const parsed = operation.input.safeParse(input);
  if (!parsed.success) throw invalidInput(operation, parsed.error);
  const dryRun = Boolean(meta.dryRun) && operation.mutating;
  if (caller) services.meter.count(caller.workspaceId);

  const afterCommit: (() => Promise<void>)[] = [];
  const execute = async (db: Kysely<Database> | Transaction<Database>) => {
    const run = newRun(services, db, { ...meta, reason });
    let verdict = run.ctx.approval
      ? null
      : ((operation.mutating ? await budgetVerdict(run.ctx, operation.name) : null) ??
        (operation.policy ? await operation.policy(run.ctx, parsed.data) : null));
    const auto = await autoApproved(run.ctx, operation.name, verdict);
    if (auto) verdict = null;
    const handle = async () => {
      const result = await operation.handler(run.ctx, parsed.data);
      return auto ? { ...result, policy: AUTO_APPROVED } : result;
    };
    if (dryRun) {
      const result = verdict ? null : await handle();
      if (result?.error) throw result.error;
      throw new DryRunRollback(dryRunResult(verdict, run.audits, result));
    }
    const result = verdict
      ? await applyVerdict(run, operation, parsed.data, verdict, meta.toolName)
      : await handle();
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

  let claim: Claim | undefined;
  if (meta.idempotencyKey !== null) {
    validateKey(meta.idempotencyKey, !caller);
    const scope = {
      workspaceId: caller?.workspaceId ?? '',
      principal: caller ? caller.tokenId : `anon:${meta.clientIp ?? meta.clientIpOf?.() ?? 'unknown'}`,
      key: meta.idempotencyKey,
    };
    const attempt = await beginAttempt(
      services,
      scope,
      operation.name,
      requestHash(operation.name, parsed.data),
    );
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

export const loginHint =
  'send Authorization: Bearer <token>; agents get one from POST /agent-bootstrap, people from POST /auth/request then POST /auth/verify';

/**
 * `reason` (the agent's motive) may accompany any mutation; it goes to the audit, not to the
 * operation, so operation schemas stay strict.
 */
function takeReason(operation: AnyOperation, rawInput: unknown, headerReason: string | null) {
  const input = rawInput ?? {};
  if (!operation.mutating || typeof input !== 'object' || Array.isArray(input) || !('reason' in input)) {
    return { input, reason: headerReason };
  }
  const { reason, ...rest } = input as Record<string, unknown>;
  if (reason !== null && (typeof reason !== 'string' || reason.length > 1000)) {
    throw new AppError(
      'invalid_input',
      'reason: a text of at most 1000 characters',
      'say briefly why you make this change',
    );
  }
  return { input: rest, reason: (reason as string | null) ?? headerReason };
}
