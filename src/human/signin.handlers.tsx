import { maskEmail } from '../auth/codes.js';
import {
  consoleAcceptInvite,
  consoleRequestCode,
  consoleSignIn,
  consoleSwitchWorkspace,
  SESSION_TTL_SECONDS,
} from '../auth/console.operations.js';
import { revokeTokenOperation } from '../auth/tokens.operations.js';
import type { AppError } from '../errors.js';
import { getInvite } from '../people/humans.operations.js';
import type { Services } from '../services.js';
import { form, frameOf, type HumanContext, html, performOptions, seeOther } from './context.js';
import { noticeText } from './notices.js';
import { perform, performAnonymous } from './perform.js';
import { clearCookie, SESSION_COOKIE, writeCookie } from './security.js';
import type { Session } from './session.js';
import {
  InviteCodePage,
  InviteInvalidPage,
  InvitePage,
  type InviteSummary,
  SignInCodePage,
  SignInPage,
} from './signin.pages.js';

const codeMinutes = (services: Services) => Math.round(services.config.loginCodeTtlSeconds / 60);

/** Sign-in, invite acceptance, sign-out and workspace switching: everything that sets the session cookie. */

export async function signInPage(
  c: HumanContext,
  services: Services,
  error?: AppError | null,
  email?: string,
) {
  const notice = c.get('sessionEnded') ? noticeText('session_ended') : noticeText(c.req.query('notice'));
  return html(
    c,
    <SignInPage
      frame={await frameOf(c, services)}
      notice={notice}
      error={error ?? null}
      email={email ?? ''}
    />,
    error ? error.status : 200,
  );
}

export async function requestCode(c: HumanContext, services: Services) {
  const email = (form(c).email ?? '').trim();
  const done = await performAnonymous(services, consoleRequestCode, { email }, performOptions(c, services));
  if (!done.ok) return signInPage(c, services, done.error, email);
  return html(
    c,
    <SignInCodePage
      frame={await frameOf(c, services)}
      email={email.toLowerCase()}
      minutes={codeMinutes(services)}
    />,
  );
}

export async function verifyCode(c: HumanContext, services: Services) {
  const fields = form(c);
  const email = (fields.email ?? '').trim();
  const done = await performAnonymous(
    services,
    consoleSignIn,
    { email, code: fields.code ?? '' },
    performOptions(c, services),
  );
  if (!done.ok) {
    if (done.error.code === 'forbidden' || done.error.code === 'invalid_input') {
      return signInPage(c, services, done.error, email);
    }
    return html(
      c,
      <SignInCodePage
        frame={await frameOf(c, services)}
        email={email}
        minutes={codeMinutes(services)}
        error={done.error}
      />,
      done.error.status,
    );
  }
  await startSession(c, services, done.result.data);
  return seeOther(c, '/human');
}

/** Replaces any current session (revoking it) with the one just issued. */
async function startSession(c: HumanContext, services: Services, data: unknown) {
  const previous = c.get('session');
  if (previous) {
    await perform(
      services,
      previous,
      revokeTokenOperation,
      { token_id: previous.caller.tokenId },
      performOptions(c, services),
    );
  }
  const { token } = data as { token: string };
  writeCookie(c, services, SESSION_COOKIE, token, SESSION_TTL_SECONDS);
}

async function inviteSummary(c: HumanContext, services: Services, secret: string) {
  const inspected = await performAnonymous(
    services,
    getInvite,
    { invite: secret },
    performOptions(c, services),
  );
  if (!inspected.ok) return inspected;
  const data = inspected.result.data as Record<string, string | null>;
  const summary: InviteSummary = {
    workspaceName: data.workspace_name ?? '',
    agentName: data.agent_name ?? 'your agent',
    maskedEmail: data.email ?? '',
    plan: data.plan ?? 'sandbox',
    expiresAt: data.expires_at ?? '',
    name: data.name ?? null,
  };
  return { ok: true as const, summary };
}

function inviteState(error: AppError): string {
  if (error.code === 'invite_invalid') return String(error.details?.state ?? 'unknown');
  return 'unknown';
}

/** GET /human?invite=hi_… — what the invite offers, or why it no longer works. */
export async function invitePage(c: HumanContext, services: Services, secret: string) {
  const frame = await frameOf(c, services);
  const loaded = await inviteSummary(c, services, secret);
  if (!loaded.ok) {
    if (loaded.error.code === 'invite_invalid' || loaded.error.code === 'invalid_input') {
      return html(c, <InviteInvalidPage frame={frame} state={inviteState(loaded.error)} />, 410);
    }
    throw loaded.error;
  }
  return html(c, <InvitePage frame={frame} invite={loaded.summary} secret={secret} />);
}

/** POST /human/accept — without a code, emails one; with it, makes the person billing owner. */
export async function acceptInvite(c: HumanContext, services: Services) {
  const fields = form(c);
  const secret = (fields.invite ?? '').trim();
  const code = (fields.code ?? '').trim();
  const frame = await frameOf(c, services);
  const loaded = await inviteSummary(c, services, secret);
  if (!loaded.ok) {
    if (loaded.error.code === 'invite_invalid' || loaded.error.code === 'invalid_input') {
      return html(c, <InviteInvalidPage frame={frame} state={inviteState(loaded.error)} />, 410);
    }
    throw loaded.error;
  }
  const done = await performAnonymous(
    services,
    consoleAcceptInvite,
    { invite: secret, ...(code ? { code } : {}) },
    performOptions(c, services),
  );
  if (!done.ok) {
    if (done.error.code === 'invite_invalid') {
      return html(c, <InviteInvalidPage frame={frame} state={inviteState(done.error)} />, 410);
    }
    if (!code) {
      return html(
        c,
        <InvitePage frame={frame} invite={loaded.summary} secret={secret} error={done.error} />,
        done.error.status,
      );
    }
    return html(
      c,
      <InviteCodePage
        frame={frame}
        secret={secret}
        sentTo={loaded.summary.maskedEmail}
        workspaceName={loaded.summary.workspaceName}
        error={done.error}
      />,
      done.error.status,
    );
  }
  if (!code) {
    const sentTo = (done.result.data as { code_sent_to?: string }).code_sent_to ?? maskEmail('');
    return html(
      c,
      <InviteCodePage
        frame={frame}
        secret={secret}
        sentTo={sentTo}
        workspaceName={loaded.summary.workspaceName}
      />,
    );
  }
  await startSession(c, services, done.result.data);
  return seeOther(c, '/human/budget', 'welcome');
}

export async function signOut(c: HumanContext, services: Services) {
  const session = c.get('session');
  if (session) {
    await perform(
      services,
      session,
      revokeTokenOperation,
      { token_id: session.caller.tokenId },
      performOptions(c, services),
    );
  }
  clearCookie(c, services, SESSION_COOKIE);
  return seeOther(c, '/human', 'signed_out');
}

/** POST /human/workspace — a session in another workspace the person belongs to. */
export async function switchWorkspace(c: HumanContext, services: Services, session: Session) {
  const done = await perform(
    services,
    session,
    consoleSwitchWorkspace,
    { workspace_id: form(c).workspace_id ?? '' },
    performOptions(c, services),
  );
  if (!done.ok) {
    throw done.error;
  }
  const { token } = done.result.data as { token: string };
  writeCookie(c, services, SESSION_COOKIE, token, SESSION_TTL_SECONDS);
  return seeOther(c, '/human', 'switched');
}
