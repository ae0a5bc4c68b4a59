import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../errors.js';
import { loginCodeMessage } from '../mail/messages.js';
import type { MailMessage } from '../mail/types.js';
import { hit, rateLimited } from '../ratelimit/limiter.js';
import type { Services } from '../services.js';
import type { Database } from '../store/schema.js';
import { codeMatches, hashCode, newNumericCode, normaliseCode } from './codes.js';
import { consumeStoredCode, findLoginCode, storeLoginCode, takeAttempt } from './login-codes.repository.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Email sign-in codes, shared by POST /auth/request + /auth/verify, invite acceptance, and (later)
 * the human pages and the OAuth sign-in page. These functions take the caller's transaction and
 * return the mail to send; the caller sends it once the transaction has committed.
 */

const REQUEST_AGAIN =
  'request a new code with POST /auth/request {"email": …}, then verify with the code from that email';

/**
 * Throttles (per email and per client address), then stores a fresh code for the email and
 * returns the message carrying it. Known and unknown addresses take the same path.
 */
export async function issueLoginCode(
  db: Db,
  services: Services,
  request: { email: string; clientIp: string | null; now: Date },
): Promise<MailMessage> {
  await throttleCodeRequest(db, services, request);
  const { config } = services;
  const code = newNumericCode();
  const now = request.now.toISOString();
  const expiresAt = new Date(request.now.getTime() + config.loginCodeTtlSeconds * 1000).toISOString();
  await storeLoginCode(db, request.email, await hashCode(code), expiresAt, now);
  return loginCodeMessage(request.email, code, config.loginCodeTtlSeconds);
}

/**
 * Counts one code request against the per-address and per-email throttles, or throws the 429.
 * The human console also calls it for addresses that get no code, so both paths cost the same.
 */
export async function throttleCodeRequest(
  db: Db,
  services: Services,
  request: { email: string; clientIp: string | null; now: Date },
): Promise<void> {
  const { config } = services;
  const windowSeconds = config.loginThrottleWindowSeconds;
  const byIp = await hit(db, request.now, {
    policy: 'login-ip',
    key: request.clientIp ?? 'unknown',
    limit: config.loginRequestsPerIp,
    windowSeconds,
  });
  if (!byIp.allowed) throw rateLimited(byIp, `${config.loginRequestsPerIp} code requests per address`);
  const byEmail = await hit(db, request.now, {
    policy: 'login-email',
    key: request.email,
    limit: config.loginRequestsPerEmail,
    windowSeconds,
  });
  if (!byEmail.allowed) {
    throw rateLimited(
      byEmail,
      `${config.loginRequestsPerEmail} code requests per email address`,
      `use the code already sent to that address, or wait ${byEmail.resetSeconds} seconds`,
    );
  }
}

/**
 * Checks and spends a sign-in code. A wrong, expired or used code costs one try, and the tries
 * carry over to later codes for the same email within the failure window. On failure it returns
 * the error instead of throwing it, so the caller commits the spent try and then answers with it.
 */
export async function consumeLoginCode(
  db: Db,
  services: Services,
  attempt: { email: string; code: string; clientIp: string | null; now: Date },
): Promise<AppError | null> {
  const refused = await checkLoginCode(db, services, attempt);
  if (refused) services.metrics.signInFailure(refused.code);
  return refused;
}

async function checkLoginCode(
  db: Db,
  services: Services,
  attempt: { email: string; code: string; clientIp: string | null; now: Date },
): Promise<AppError | null> {
  const { config } = services;
  const byIp = await hit(db, attempt.now, {
    policy: 'login-verify-ip',
    key: attempt.clientIp ?? 'unknown',
    limit: config.loginVerifiesPerIp,
    windowSeconds: config.loginThrottleWindowSeconds,
  });
  if (!byIp.allowed) return rateLimited(byIp, `${config.loginVerifiesPerIp} code checks per address`);

  const now = attempt.now.toISOString();
  const windowMs = config.loginFailureWindowSeconds * 1000;
  const windowStartedBefore = new Date(attempt.now.getTime() - windowMs).toISOString();
  const row = await takeAttempt(db, attempt.email, now, windowStartedBefore, config.loginMaxFailures);
  if (!row) {
    const current = await findLoginCode(db, attempt.email);
    if (!current) return wrongCode();
    const retryAfter = Math.max(
      1,
      Math.ceil((Date.parse(current.failures_since ?? now) + windowMs - attempt.now.getTime()) / 1000),
    );
    return new AppError(
      'too_many_attempts',
      `${config.loginMaxFailures} wrong codes for this address; codes for it are refused for ${retryAfter}s`,
      `wait ${retryAfter} seconds, then ${REQUEST_AGAIN}`,
      { headers: { 'retry-after': String(retryAfter) } },
    );
  }
  const left = config.loginMaxFailures - row.failures;
  if (!row.code_hash || row.used_at) return wrongCode('this code was already used', left);
  if (!row.expires_at || row.expires_at <= now) return wrongCode('this code expired', left);
  if (!(await codeMatches(normaliseCode(attempt.code), row.code_hash))) return wrongCode('wrong code', left);
  if (!(await consumeStoredCode(db, attempt.email, row.code_hash, now))) {
    return wrongCode('this code was already used', left);
  }
  return null;
}

function wrongCode(reason = 'wrong, expired or already used code', triesLeft?: number): AppError {
  const tries = triesLeft === undefined ? '' : `; ${Math.max(0, triesLeft)} tries left for this address`;
  return new AppError('invalid_code', `${reason}${tries}`, `check the latest email, or ${REQUEST_AGAIN}`);
}
