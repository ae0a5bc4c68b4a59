import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../errors.js';
import type { MailMessage } from '../mail/mailer.js';
import { noAccountMessage } from '../mail/messages.js';
import { crossDb } from '../operations/context.js';
import type { OperationContext } from '../operations/define.js';
import { completeSignIn, hasWorkspaceAccess, type SignIn } from '../people/signin.js';
import type { Services } from '../services.js';
import type { Database } from '../store/schema.js';
import { hashCode, newNumericCode } from './codes.js';
import { consumeLoginCode, issueLoginCode, throttleCodeRequest } from './login.js';
import { ROLE_SCOPES } from './scopes.js';
import { type IssuedToken, issueToken } from './tokens.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The one email-code sign-in. Every surface that signs a person in with an emailed code uses these
 * steps: the API (auth.request_code, auth.verify), the human console (console.request_code,
 * console.sign_in) and the OAuth sign-in page. They differ only in who may sign in:
 * - `anyone`: the first sign-in of an address creates the person and a personal sandbox (there is
 *   no sign-up form: an agent signs its human in);
 * - `members`: only an address that belongs to a workspace (or has a pending member invite); any
 *   other is told to ask its agent for an invite, and nothing is created.
 */
export type SignInAudience = 'anyone' | 'members';

/**
 * Step 1: throttles (per address and per client), stores a fresh code and returns the mail to
 * send once the caller's transaction commits. For `members`, an unknown address gets the "no
 * account" mail instead, after the same throttle and hashing work, so timing does not tell them apart.
 */
export async function requestSignInCode(
  db: Db,
  services: Services,
  request: { email: string; clientIp: string | null; now: Date; audience: SignInAudience },
): Promise<MailMessage> {
  const { email, clientIp, now } = request;
  if (request.audience === 'anyone' || (await hasWorkspaceAccess(db, email, now.toISOString()))) {
    return issueLoginCode(db, services, { email, clientIp, now });
  }
  await throttleCodeRequest(db, services, { email, clientIp, now });
  await hashCode(newNumericCode());
  return noAccountMessage(email, services.config.publicUrl);
}

/**
 * Step 2: spends the code (a wrong one costs a try and is returned, not thrown, so the spent try
 * commits), then finds or creates the person and joins their pending invites.
 */
export async function proveSignInCode(
  db: Db,
  services: Services,
  attempt: { email: string; code: string; clientIp: string | null; now: Date; audience: SignInAudience },
): Promise<{ error: AppError } | { signIn: SignIn }> {
  const { email, now } = attempt;
  const failure = await consumeLoginCode(db, services, {
    email,
    code: attempt.code,
    clientIp: attempt.clientIp,
    now,
  });
  if (failure) return { error: failure };
  if (attempt.audience === 'members' && !(await hasWorkspaceAccess(db, email, now.toISOString()))) {
    throw new AppError(
      'forbidden',
      'no agentcrm workspace has this address as a member',
      'agentcrm has no sign-up: ask your AI agent to invite you, then open the link in its email',
    );
  }
  return { signIn: await completeSignIn(db, services, { email, now: now.toISOString() }) };
}

/**
 * Step 3 for the operations: a token for the signed-in person in their oldest workspace, with the
 * scopes of their role there, audited as issued by the person.
 */
export async function issueSignInToken(
  ctx: OperationContext,
  signIn: SignIn,
  token: { name: string; expiresAt?: string },
): Promise<{ token: IssuedToken; target: SignIn['workspaces'][number] }> {
  const target = signIn.workspaces[0]!;
  const issued = await issueToken(ctx.services, crossDb(ctx), {
    workspaceId: target.id,
    principalType: 'user',
    principalId: signIn.user.id,
    name: token.name,
    scopes: [...ROLE_SCOPES[target.role]],
    now: ctx.now,
    ...(token.expiresAt ? { expiresAt: token.expiresAt } : {}),
  });
  ctx.audit({
    target: `token/${issued.id}`,
    actor: { type: 'user', id: signIn.user.id, workspaceId: target.id },
    changes: { name: [null, token.name], scopes: [null, issued.scopes.join(',')] },
  });
  return { token: issued, target };
}
