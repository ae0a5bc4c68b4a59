import type { HtmlEscapedString } from 'hono/utils/html';
import { consumeLoginCode, issueLoginCode } from '../auth/login.js';
import { ROLE_SCOPES, SCOPES } from '../auth/scopes.js';
import { type AppError, isAppError } from '../errors.js';
import { hashSecret, newSecret } from '../ids.js';
import type { MailMessage } from '../mail/mailer.js';
import { completeSignIn } from '../people/signin.js';
import { email as emailSchema } from '../records/fields.js';
import type { Services } from '../services.js';
import type { OAuthClientsTable, OAuthRequestsTable } from '../store/schema.js';
import { listUserWorkspaces } from '../workspaces/workspaces.repository.js';
import { clientRedirectUris, parseScope } from './clients.js';
import type { OAuthErrorCode } from './errors.js';
import { isOurResource } from './metadata.js';
import {
  deleteExpired,
  findClient,
  findRequest,
  finishRequest,
  insertCode,
  insertRequest,
  updateRequest,
} from './oauth.repository.js';
import {
  type ClientView,
  CodePage,
  ConsentPage,
  EmailPage,
  ErrorPage,
  type WorkspaceChoice,
} from './pages.js';
import { matchRedirectUri } from './redirect-uris.js';

/** A rendered page (JSX renders to escaped HTML, possibly asynchronously). */
type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

/** How long a person has to finish signing in once the client sent them here. */
const REQUEST_TTL_MS = 30 * 60_000;
/** Authorization codes are exchanged at once by the client; ten minutes is the RFC's ceiling. */
export const CODE_TTL_MS = 5 * 60_000;
/** The browser-binding cookie: only the browser that opened /authorize may submit its forms. */
export const BINDING_COOKIE = 'agentcrm_oauth';

export type AuthorizeOutcome =
  | { kind: 'page'; status: number; page: Page; setBinding?: string }
  | { kind: 'redirect'; location: string };

const page = (page: Page, status = 200, setBinding?: string): AuthorizeOutcome => ({
  kind: 'page',
  status,
  page,
  ...(setBinding ? { setBinding } : {}),
});

const errorPage = (status: number, title: string, message: string, hint: string) =>
  page(<ErrorPage title={title} message={message} hint={hint} />, status);

const START_AGAIN = 'Go back to your app (the MCP client) and connect again: it starts a fresh sign-in.';

/** Sends the browser back to the client with the result; `iss` names us (RFC 9207). */
function redirectTo(uri: string, params: Record<string, string | null>, issuer: string): AuthorizeOutcome {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params)) if (value !== null) url.searchParams.set(key, value);
  url.searchParams.set('iss', issuer);
  return { kind: 'redirect', location: url.toString() };
}

function clientView(client: OAuthClientsTable, redirectUri: string): ClientView {
  const url = new URL(redirectUri);
  const redirectTarget =
    url.protocol === 'https:'
      ? url.host
      : url.protocol === 'http:'
        ? `an app on this computer (${url.host})`
        : `the app that opens ${url.protocol}// links`;
  return { name: client.name, redirectTarget };
}

const SINGLE = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge'];

/**
 * GET /authorize: checks the request (RFC 6749 §4.1.1, OAuth 2.1, RFC 7636, RFC 8707). Problems
 * with the client or its redirect URI are shown here and never redirected (the URI is not
 * trusted yet); everything else goes back to the client as an error redirect with its state.
 * A good request is stored and the sign-in page asks for the person's email.
 */
export async function startAuthorization(
  services: Services,
  query: URLSearchParams,
  binding: string | undefined,
): Promise<AuthorizeOutcome> {
  const { publicUrl } = services.config;
  const duplicated = SINGLE.find((name) => query.getAll(name).length > 1);
  const clientId = query.get('client_id');
  if (!clientId || query.getAll('client_id').length > 1) {
    return errorPage(400, 'Cannot sign in', 'The request names no client (client_id).', START_AGAIN);
  }
  const client = await findClient(services.store.db, clientId);
  if (!client) {
    return errorPage(
      400,
      'Cannot sign in',
      'This app is not registered here (unknown client_id).',
      START_AGAIN,
    );
  }
  const registered = clientRedirectUris(client);
  const asked = query.getAll('redirect_uri');
  if (asked.length > 1 || (asked.length === 1 && !matchRedirectUri(registered, asked[0]!))) {
    return errorPage(
      400,
      'Cannot sign in',
      'The redirect URI in the request is not one this app registered, so we will not send you there.',
      START_AGAIN,
    );
  }
  if (asked.length === 0 && registered.length !== 1) {
    return errorPage(400, 'Cannot sign in', 'The request names no redirect URI (redirect_uri).', START_AGAIN);
  }
  const redirectUri = asked[0] ?? registered[0]!;
  const state = query.get('state');
  const fail = (error: OAuthErrorCode, description: string) =>
    redirectTo(redirectUri, { error, error_description: description, state }, publicUrl);

  if (duplicated) return fail('invalid_request', `${duplicated} appears more than once`);
  const responseType = query.get('response_type');
  if (!responseType) return fail('invalid_request', 'response_type is missing');
  if (responseType !== 'code')
    return fail('unsupported_response_type', 'only response_type=code is supported');
  const challenge = query.get('code_challenge');
  if (!challenge) return fail('invalid_request', 'code_challenge is required (PKCE with S256)');
  if (query.get('code_challenge_method') !== 'S256') {
    return fail('invalid_request', 'code_challenge_method must be S256 (plain is not accepted)');
  }
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
    return fail(
      'invalid_request',
      'code_challenge must be the base64url SHA-256 of the verifier (43 characters)',
    );
  }
  const scopes = parseScope(query.get('scope'));
  if (scopes !== null && scopes.length === 0) {
    return fail('invalid_scope', `scope: space-separated, from ${SCOPES.join(' ')}`);
  }
  const resources = query.getAll('resource');
  if (resources.length > 1 || (resources.length === 1 && !isOurResource(publicUrl, resources[0]!))) {
    return fail('invalid_target', `resource must be ${publicUrl}/mcp`);
  }
  if (state !== null && state.length > 2000)
    return fail('invalid_request', 'state is longer than 2000 characters');

  const now = services.clock.now();
  const handle = newSecret('oar');
  const browser = binding && /^[A-Za-z0-9_-]{43}$/.test(binding) ? binding : newSecret('b').slice(2);
  await deleteExpired(services.store.db, now.toISOString());
  await insertRequest(services.store.db, {
    id_hash: hashSecret(handle),
    client_id: client.id,
    redirect_uri: redirectUri,
    redirect_uri_explicit: asked.length === 1 ? 1 : 0,
    state,
    code_challenge: challenge,
    scopes: scopes ? scopes.join(',') : null,
    resource: resources[0] ?? null,
    binding_hash: hashSecret(browser),
    email: null,
    user_id: null,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + REQUEST_TTL_MS).toISOString(),
    finished_at: null,
  });
  return page(<EmailPage client={clientView(client, redirectUri)} request={handle} />, 200, browser);
}

interface Pending {
  handle: string;
  idHash: string;
  row: OAuthRequestsTable;
  client: OAuthClientsTable;
  view: ClientView;
}

/**
 * POST /authorize: the next step of a stored request. The form's request handle and the
 * browser-binding cookie must both match: a form posted from another site lacks the cookie
 * (SameSite=Lax) and does not know the handle.
 */
export async function continueAuthorization(
  services: Services,
  form: URLSearchParams,
  binding: string | undefined,
  clientIp: string | null,
): Promise<AuthorizeOutcome> {
  const handle = form.get('request');
  const idHash = handle ? hashSecret(handle) : null;
  const row = idHash ? await findRequest(services.store.db, idHash) : undefined;
  if (!handle || !idHash || !row || !binding || hashSecret(binding) !== row.binding_hash) {
    return errorPage(
      400,
      'This page is no longer valid',
      'This sign-in form does not belong to this browser session (or was already used).',
      START_AGAIN,
    );
  }
  const now = services.clock.now();
  if (row.finished_at || row.expires_at <= now.toISOString()) {
    return errorPage(400, 'This sign-in expired', 'This sign-in was finished or has expired.', START_AGAIN);
  }
  const client = await findClient(services.store.db, row.client_id);
  if (!client) return errorPage(400, 'Cannot sign in', 'This app is no longer registered.', START_AGAIN);
  const pending: Pending = { handle, idHash, row, client, view: clientView(client, row.redirect_uri) };

  switch (form.get('step')) {
    case 'email':
      return sendCode(services, pending, form.get('email') ?? '', clientIp, now);
    case 'code':
      return checkCode(services, pending, form.get('code') ?? '', clientIp, now);
    case 'consent':
      return decide(services, pending, form, now);
    default:
      await updateRequest(services.store.db, idHash, { email: null, user_id: null });
      return page(<EmailPage client={pending.view} request={handle} email={row.email ?? ''} />);
  }
}

async function sendCode(
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
  let message: MailMessage;
  try {
    message = await services.store.db.transaction().execute(async (trx) => {
      const mail = await issueLoginCode(trx, services, { email, clientIp, now });
      await updateRequest(trx, pending.idHash, { email, user_id: null });
      return mail;
    });
    await services.mailer.send(message);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return page(
      <EmailPage client={view} request={handle} email={email} error={error.message} />,
      error.status,
    );
  }
  return page(<CodePage client={view} request={handle} email={email} />);
}

async function checkCode(
  services: Services,
  pending: Pending,
  code: string,
  clientIp: string | null,
  now: Date,
): Promise<AuthorizeOutcome> {
  const { view, handle, row } = pending;
  if (!row.email) return page(<EmailPage client={view} request={handle} />);
  const email = row.email;
  type Checked = { failure: AppError } | { userId: string };
  const result = await services.store.db.transaction().execute(async (trx): Promise<Checked> => {
    const failure = await consumeLoginCode(trx, services, { email, code: code.slice(0, 20), clientIp, now });
    // A wrong code is returned, not thrown, so the spent try commits.
    if (failure) return { failure };
    const signIn = await completeSignIn(trx, services, { email, now: now.toISOString() });
    await updateRequest(trx, pending.idHash, { user_id: signIn.user.id });
    return { userId: signIn.user.id };
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
  const workspaces = await listUserWorkspaces(services.store.db, userId);
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

async function decide(
  services: Services,
  pending: Pending,
  form: URLSearchParams,
  now: Date,
): Promise<AuthorizeOutcome> {
  const { row, client } = pending;
  const issuer = services.config.publicUrl;
  if (!row.user_id || !row.email) return page(<EmailPage client={pending.view} request={pending.handle} />);
  const nowIso = now.toISOString();
  if (form.get('decision') !== 'allow') {
    if (!(await finishRequest(services.store.db, pending.idHash, nowIso))) {
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

  const code = newSecret('oac');
  const finished = await services.store.db.transaction().execute(async (trx) => {
    if (!(await finishRequest(trx, pending.idHash, nowIso))) return false;
    await insertCode(trx, {
      workspace_id: workspace.id,
      code_hash: hashSecret(code),
      client_id: client.id,
      user_id: row.user_id!,
      redirect_uri: row.redirect_uri,
      redirect_uri_explicit: row.redirect_uri_explicit,
      code_challenge: row.code_challenge,
      scopes: workspace.scopes.join(','),
      resource: row.resource,
      created_at: nowIso,
      expires_at: new Date(now.getTime() + CODE_TTL_MS).toISOString(),
      used_at: null,
      token_id: null,
    });
    return true;
  });
  if (!finished)
    return errorPage(400, 'This sign-in expired', 'This sign-in was already finished.', START_AGAIN);
  return redirectTo(row.redirect_uri, { code, state: row.state }, issuer);
}
