import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical.js';
import { AppError } from '../errors.js';
import { stepUpMessage } from '../mail/messages.js';
import { systemDb } from '../operations/context.js';
import type { OperationContext, OperationResult } from '../operations/define.js';
import { findUser } from '../people/users.repository.js';
import { findWorkspace } from '../workspaces/workspaces.repository.js';
import { codeMatches, hashCode, maskEmail, newNumericCode, normaliseCode } from './codes.js';
import { replaceStepUpCode, spendStepUpCode, takeStepUpAttempt } from './stepup.repository.js';

/** Wrong step-up codes allowed per issued code before it is burnt. */
export const STEP_UP_MAX_FAILURES = 5;

export interface SensitiveAction {
  /** The operation's name: with the input, it is what a code is bound to. */
  operation: string;
  /** The operation's input, path ids and body alike; `code` is ignored. */
  input: Record<string, unknown>;
  /** What is being confirmed, in words, for the email: `delete workspace "Acme" (workspace/wrk_…)`. */
  description: string;
}

function actionHash(action: SensitiveAction): string {
  const { code: _code, ...input } = action.input;
  return createHash('sha256')
    .update(`${action.operation}\n${canonicalJson(input)}`)
    .digest('hex');
}

/**
 * Step-up for sensitive actions (promote to admin, delete a workspace, invite an admin, decide a
 * proposal): without a code it emails one to the caller's human and answers escalation_required;
 * with one (`code` in the input, or X-Escalation-Code) it checks that the code was issued to this
 * user, in this workspace, for exactly this action, within 10 minutes, and not used before.
 *
 * Returns null when the action may go on, or the result to return at once; call it before
 * writing anything, since that result commits (the issued code, the spent try).
 */
export async function requireStepUp(
  ctx: OperationContext,
  action: SensitiveAction,
): Promise<OperationResult | null> {
  const caller = ctx.caller;
  if (!caller) throw new Error('requireStepUp needs an authenticated caller');
  const humanId = caller.principalType === 'user' ? caller.principalId : await billingOwnerOf(ctx);
  const human = humanId ? await findUser(systemDb(ctx), humanId) : undefined;
  if (!human) {
    throw new AppError(
      'forbidden',
      'this action needs a confirmation code emailed to a human, and this workspace has none yet',
      'invite your human first (humans.invite_billing_owner), then ask them to do it',
    );
  }
  const hash = actionHash(action);
  const sent = typeof action.input.code === 'string' ? action.input.code : ctx.escalationCode;
  const ttl = ctx.services.config.stepUpCodeTtlSeconds;

  if (!sent) {
    const code = newNumericCode();
    await replaceStepUpCode(ctx.ws, {
      id: ctx.services.ids.next('esc'),
      user_id: human.id,
      action_hash: hash,
      action: action.description,
      code_hash: await hashCode(code),
      created_at: ctx.now,
      expires_at: new Date(Date.parse(ctx.now) + ttl * 1000).toISOString(),
      used_at: null,
      failures: 0,
    });
    const message = stepUpMessage(human.email, code, action.description, ttl);
    ctx.afterCommit(() => ctx.services.mailer.send(message));
    return {
      data: null,
      error: new AppError(
        'escalation_required',
        `${action.description} needs confirmation: a code was emailed to ${maskEmail(human.email)}`,
        'ask your human for the code, then repeat the same request (same body) with ?code=<code> or the header ' +
          `X-Escalation-Code: <code>; it works once, for ${Math.round(ttl / 60)} minutes`,
        { details: { sent_to: maskEmail(human.email), expires_in_seconds: ttl } },
      ),
    };
  }

  const pending = await takeStepUpAttempt(ctx.ws, human.id, hash, ctx.now, STEP_UP_MAX_FAILURES);
  const refuse = (why: string) => ({
    data: null,
    error: new AppError(
      'invalid_code',
      `the confirmation code was not accepted: ${why}`,
      'repeat the exact same request without a code to have a new one emailed, then use that code',
    ),
  });
  if (!pending)
    return refuse(
      'no pending confirmation for this exact action by you (used, expired, or for another action)',
    );
  if (!(await codeMatches(normaliseCode(sent), pending.code_hash))) {
    return refuse(`wrong code; ${STEP_UP_MAX_FAILURES - pending.failures} tries left`);
  }
  if (!(await spendStepUpCode(ctx.ws, pending.id, ctx.now))) return refuse('this code was already used');
  return null;
}

async function billingOwnerOf(ctx: OperationContext): Promise<string | null> {
  const workspace = await findWorkspace(systemDb(ctx), ctx.ws.workspaceId);
  return workspace?.billing_owner_id ?? null;
}
