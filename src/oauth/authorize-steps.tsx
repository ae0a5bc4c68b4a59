import {
  denyRequest,
  issueAuthorizationCode,
  proveRequestCode,
  sendRequestCode,
  userWorkspaces,
} from '../auth/oauth/requests.js';
import { ROLE_SCOPES, SCOPES } from '../auth/scopes.js';
import { isAppError } from '../errors.js';
import { email as emailSchema } from '../records/fields.js';
import type { Services } from '../services.js';
import { type AuthorizeOutcome, errorPage, type Pending, page, redirectTo, START_AGAIN } from './outcome.js';
import { CodePage, ConsentPage, EmailPage, type WorkspaceChoice } from './pages.js';

/** The steps of POST /authorize once the request is known: email → code → consent. */

export async function sendCode(
  services: Services,
  pending: Pending,
  rawEmail: string,
  clientIp: string | null,
  now: Date,
): Promise<AuthorizeOutcome> {
  const { view, handle } = pending;
  const parsed = emailSchema.safeParse(rawEmail);
  if (!parsed.success) {
    return page(
      <EmailPage
        client={view}
        request={handle}
        email={rawEmail}
        error="That is not a valid email address."
      />,
      400,
    );
  }
  const email = parsed.data;
  try {
    await sendRequestCode(services, pending.idHash, { email, clientIp, now });
  } catch (error) {
    if (!isAppError(error)) throw error;
    return page(
      <EmailPage client={view} request={handle} email={email} error={error.message} />,
      error.status,
    );
  }
  return page(<CodePage client={view} request={handle} email={email} />);
}

export async function checkCode(
  services: Services,
  pending: Pending,
  code: string,
  clientIp: string | null,
  now: Date,
): Promise<AuthorizeOutcome> {
  const { view, handle, row } = pending;
  if (!row.email) return page(<EmailPage client={view} request={handle} />);
  const email = row.email;
  const result = await proveRequestCode(services, pending.idHash, {
    email,
    code: code.slice(0, 20),
    clientIp,
    now,
  });
  if ('failure' in result) {
    return page(
      <CodePage client={view} request={handle} email={email} error={result.failure.message} />,
      result.failure.status,
    );
  }
  return consentPage(services, pending, email, result.userId);
}

/** What a token would carry in a workspace: the requested scopes the person's role there allows. */
function grantedScopes(requested: string | null, role: 'admin' | 'member'): string[] {
  const allowed = ROLE_SCOPES[role];
  const asked = requested ? requested.split(',') : allowed;
  return SCOPES.filter((scope) => asked.includes(scope) && allowed.includes(scope));
}

async function choices(services: Services, pending: Pending, userId: string): Promise<WorkspaceChoice[]> {
  const workspaces = await userWorkspaces(services, userId);
  return workspaces
    .map((ws) => ({
      id: ws.id,
      name: ws.name,
      role: ws.role,
      scopes: grantedScopes(pending.row.scopes, ws.role),
    }))
    .filter((choice) => choice.scopes.length > 0);
}

async function consentPage(
  services: Services,
  pending: Pending,
  email: string,
  userId: string,
  error?: string,
): Promise<AuthorizeOutcome> {
  const workspaces = await choices(services, pending, userId);
  if (workspaces.length === 0) {
    return errorPage(
      403,
      'Nothing to allow',
      `The app asked for ${pending.row.scopes?.replace(/,/g, ', ')}, which your role allows in none of your workspaces.`,
      START_AGAIN,
    );
  }
  return page(
    <ConsentPage
      client={pending.view}
      request={pending.handle}
      email={email}
      workspaces={workspaces}
      error={error}
    />,
    error ? 400 : 200,
  );
}

export async function decide(
  services: Services,
  pending: Pending,
  form: URLSearchParams,
  now: Date,
): Promise<AuthorizeOutcome> {
  const { row } = pending;
  const issuer = services.config.publicUrl;
  if (!row.user_id || !row.email) return page(<EmailPage client={pending.view} request={pending.handle} />);
  const nowIso = now.toISOString();
  if (form.get('decision') !== 'allow') {
    if (!(await denyRequest(services, pending.idHash, nowIso))) {
      return errorPage(400, 'This sign-in expired', 'This sign-in was already finished.', START_AGAIN);
    }
    return redirectTo(
      row.redirect_uri,
      { error: 'access_denied', error_description: 'the person denied access', state: row.state },
      issuer,
    );
  }
  const workspace = (await choices(services, pending, row.user_id)).find(
    (choice) => choice.id === form.get('workspace_id'),
  );
  if (!workspace)
    return consentPage(services, pending, row.email, row.user_id, 'Choose one of your workspaces.');
  // The person may untick scopes: the token carries what the app asked for, the role allows and
  // the person left ticked. A form from before the boxes existed (no marker) grants what it showed.
  const ticked = form.has('scopes_chosen') ? form.getAll('scope') : workspace.scopes;
  const scopes = workspace.scopes.filter((scope) => ticked.includes(scope));
  if (scopes.length === 0)
    return consentPage(
      services,
      pending,
      row.email,
      row.user_id,
      'Tick at least one kind of access, or choose Deny.',
    );

  const code = await issueAuthorizationCode(
    services,
    pending.idHash,
    { ...row, user_id: row.user_id },
    { workspaceId: workspace.id, scopes },
    now,
  );
  if (code === null)
    return errorPage(400, 'This sign-in expired', 'This sign-in was already finished.', START_AGAIN);
  return redirectTo(row.redirect_uri, { code, state: row.state }, issuer);
}
