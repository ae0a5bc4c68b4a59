import type { Kysely, Transaction } from 'kysely';
import { writeAudit } from '../audit/audit.repository.js';
import { assertScope } from '../auth/scopes.js';
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
import type { AnyOperation, AuditEntry, Caller, OperationContext, OperationResult } from './define.js';
import { invalidInput } from './validation.js';

export interface CallMeta {
  caller: Caller | null;
  requestId: string;
  idempotencyKey: string | null;
  toolName: string | null;
  reason: string | null;
  /** The client's address: throttles, and the scope of idempotency keys sent before signup. */
  clientIp?: string | null;
  escalationCode?: string | null;
}

export const ALLOWED = { decision: 'allow', reason_code: 'policy.allowed' } as const;

/**
 * Runs one operation for one caller: scope check → validate → run, with a mutating operation's
 * change and its audit rows committed in one transaction. Every surface (REST, /tools, MCP) ends
 * here, so the rules hold the same way everywhere.
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

  const { input, reason } = takeReason(operation, rawInput, meta.reason);
  const parsed = operation.input.safeParse(input);
  if (!parsed.success) throw invalidInput(operation, parsed.error);

  const afterCommit: (() => Promise<void>)[] = [];
  const run = async (db: Kysely<Database> | Transaction<Database>) => {
    const audits: AuditEntry[] = [];
    const ctx: OperationContext = {
      services,
      caller,
      db,
      ws: scopeTo(db, services.store.dialect, caller?.workspaceId ?? ''),
      requestId: meta.requestId,
      idempotencyKey: meta.idempotencyKey,
      reason,
      now: services.clock.now().toISOString(),
      clientIp: meta.clientIp ?? null,
      escalationCode: meta.escalationCode ?? null,
      audit: (entry) => audits.push(entry),
      afterCommit: (task) => afterCommit.push(task),
    };
    const result = await operation.handler(ctx, parsed.data);
    for (const entry of audits) {
      await writeAudit(ctx, {
        ...entry,
        operation: entry.operation ?? operation.name,
        toolName: meta.toolName,
        policy: result.policy ?? ALLOWED,
      });
    }
    return result;
  };

  /** Sends what waited for the commit (mail), then answers; a deferred refusal is thrown now. */
  const settle = async (result: OperationResult) => {
    for (const task of afterCommit) await task();
    if (result.error) throw result.error;
    return result;
  };
  if (!operation.mutating) return settle(await run(services.store.db));

  let claim: Claim | undefined;
  if (meta.idempotencyKey !== null) {
    validateKey(meta.idempotencyKey);
    const scope = {
      workspaceId: caller?.workspaceId ?? '',
      principal: caller ? caller.tokenId : `anon:${meta.clientIp ?? 'unknown'}`,
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
    result = await services.store.db.transaction().execute(async (trx) => {
      const outcome = await run(trx);
      // The stored outcome commits with the change: never one without the other.
      await claim?.complete(trx, outcomeOf(outcome));
      return outcome;
    });
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
