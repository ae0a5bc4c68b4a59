import { clientRedirectUris, parseScope } from '../auth/oauth/clients.js';
import { OAuthError, type OAuthErrorCode } from '../auth/oauth/errors.js';
import { matchRedirectUri } from '../auth/oauth/redirect-uris.js';
import {
  authorizingClient,
  findOAuthClient,
  findPendingRequest,
  openRequest,
  restartRequest,
} from '../auth/oauth/requests.js';
import { isOurResource } from '../auth/oauth/resource.js';
import { DEFAULT_OAUTH_SCOPES, SCOPES } from '../auth/scopes.js';
import { hashSecret, newSecret } from '../ids.js';
import type { Services } from '../services.js';
import { checkCode, decide, sendCode } from './authorize-steps.js';
import {
  type AuthorizeOutcome,
  clientView,
  errorPage,
  type Pending,
  page,
  redirectTo,
  START_AGAIN,
} from './outcome.js';
import { EmailPage } from './pages.js';

export { type AuthorizeOutcome, BINDING_COOKIE } from './outcome.js';

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
  let client: Awaited<ReturnType<typeof authorizingClient>>;
  try {
    client = await authorizingClient(services, clientId);
  } catch (error) {
    // A client_id naming a metadata document that could not be used: say why, send nobody anywhere.
    if (!(error instanceof OAuthError)) throw error;
    return errorPage(
      400,
      'Cannot sign in',
      `This app could not be identified: ${error.message}.`,
      START_AGAIN,
    );
  }
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
  const browser = binding && /^[A-Za-z0-9_-]{43}$/.test(binding) ? binding : newSecret('b').slice(2);
  const handle = await openRequest(
    services,
    {
      client_id: client.id,
      redirect_uri: redirectUri,
      redirect_uri_explicit: asked.length === 1 ? 1 : 0,
      state,
      code_challenge: challenge,
      scopes: (scopes ?? defaultScopes(client)).join(','),
      resource: resources[0] ?? null,
      browser,
    },
    now,
  );
  return page(<EmailPage client={clientView(client, redirectUri)} request={handle} />, 200, browser);
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
  const row = idHash ? await findPendingRequest(services, idHash) : undefined;
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
  const client = await findOAuthClient(services, row.client_id);
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
      await restartRequest(services, idHash);
      return page(<EmailPage client={pending.view} request={handle} email={row.email ?? ''} />);
  }
}

/**
 * What a request that names no scope asks for: the scope the client registered (or its metadata
 * document declares), else least privilege (read write). A client asks for admin explicitly,
 * usually by step-up when a call needs it.
 */
function defaultScopes(client: { scope: string | null }): readonly string[] {
  const registered = parseScope(client.scope);
  return registered && registered.length > 0 ? registered : DEFAULT_OAUTH_SCOPES;
}
