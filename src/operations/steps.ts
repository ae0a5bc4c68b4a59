import { assertScope } from '../auth/scopes.js';
import { AppError } from '../errors.js';
import type { Run } from './context.js';
import type { AnyOperation, Caller, Decider, OperationResult, Verdict } from './define.js';
import { inputProblem, MAX_JSON_DEPTH } from './json-depth.js';
import { invalidInput } from './validation.js';
import { AUTO_APPROVED, applyVerdict, autoApproved } from './verdicts.js';

/**
 * The steps every path of the executor runs, in this order: caller (authentication and scope) →
 * validate → decide → apply. A call (executor.ts), a batch item (batch.ts) and an approved
 * proposal (approved.ts) each run them; only what surrounds them differs (idempotency and the
 * transaction for a call, the chunk's transaction for an item, the decider's for a proposal).
 */

export const ALLOWED = { decision: 'allow', reason_code: 'policy.allowed' } as const;

export const loginHint =
  'send Authorization: Bearer <token>; agents get one from POST /agent-bootstrap, people from POST /auth/request then POST /auth/verify';

/** Scope: the caller may run the operation at all (401 without a caller, 403 without the scope). */
export function checkCaller(operation: AnyOperation, caller: Caller | null): void {
  if (operation.auth === 'none') return;
  if (!caller) throw new AppError('auth_required', 'this operation needs a bearer token', loginHint);
  assertScope(operation, caller);
}

/**
 * Validate: the input as a whole (depth, NUL characters), the agent's `reason` taken out of it
 * (mutations only, when `takeReason`), then the operation's schema. Throws invalid_input.
 */
export function validate(
  operation: AnyOperation,
  rawInput: unknown,
  options: { headerReason?: string | null; takeReason?: boolean } = {},
): { data: unknown; reason: string | null } {
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
  const { input, reason } =
    options.takeReason === false
      ? { input: rawInput ?? {}, reason: options.headerReason ?? null }
      : takeReason(operation, rawInput, options.headerReason ?? null);
  const parsed = operation.input.safeParse(input);
  if (!parsed.success) throw invalidInput(operation, parsed.error);
  return { data: parsed.data, reason };
}

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

export interface Decision {
  /** What stops the operation (a denial, or a proposal to store); null lets it run. */
  verdict: Verdict | null;
  /** A required approval an admin switched auto-approve on for: it runs, marked policy.auto_approved. */
  auto: boolean;
}

export interface DecideOptions {
  /**
   * An approved proposal (or a call standing behind an approval): only the deciders that hold for
   * approved changes are asked (budget, plan caps), and not the operation's own policy.
   */
  approved?: boolean;
  /** Ask the operation's own policy (default true; a group of plain creates, on which it has no say, skips it). */
  operationPolicy?: boolean;
  /** How many items the call stands for (a set-based batch commit asks for a group at once). */
  count?: number;
}

/**
 * Decide, inside the operation's transaction: the registered deciders of the budget and plan
 * stages, then the operation's own policy (sensitive fields, deletes, deal closes, field holds…),
 * then the deciders of the workspace stage (policy approve_agent_operations), then auto-approve.
 * The first verdict wins.
 */
export async function decide(
  run: Run,
  operation: AnyOperation,
  input: unknown,
  options: DecideOptions,
): Promise<Decision> {
  const { ctx } = run;
  const approved = options.approved ?? false;
  const request = { operation, input, count: options.count ?? 1 };
  const ask = async (stages: readonly Decider['stage'][]) => {
    if (!operation.mutating) return null;
    for (const decider of ctx.services.executor.deciders) {
      if (!stages.includes(decider.stage) || (approved && !decider.onApproval)) continue;
      const verdict = await decider.decide(ctx, request);
      if (verdict) return verdict;
    }
    return null;
  };
  let verdict = await ask(['budget', 'plan']);
  if (!verdict && !approved && (options.operationPolicy ?? true) && operation.policy) {
    verdict = await operation.policy(ctx, input);
  }
  verdict ??= await ask(['workspace']);
  const auto = await autoApproved(ctx, operation.name, verdict);
  return { verdict: auto ? null : verdict, auto };
}

/**
 * Apply: the handler when nothing stopped the call, else the verdict carried out (a denial
 * audited, or a proposal stored). Runs inside the operation's transaction; the caller flushes
 * the audit rows and events after it.
 */
export async function applyDecision(
  run: Run,
  operation: AnyOperation,
  input: unknown,
  decision: Decision,
  toolName: string | null,
): Promise<OperationResult> {
  if (decision.verdict) return applyVerdict(run, operation, input, decision.verdict, toolName);
  const result = await operation.handler(run.ctx, input);
  return decision.auto ? { ...result, policy: AUTO_APPROVED } : result;
}
