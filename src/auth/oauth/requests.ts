import type { AppError } from '../../errors.js';
import { hashSecret, newSecret } from '../../ids.js';
import type { Services } from '../../services.js';
import type { OAuthClientsTable, OAuthRequestsTable } from '../../store/schema.js';
import { listUserWorkspaces, type WorkspaceWithRole } from '../../workspaces/workspaces.repository.js';
import { proveSignInCode, requestSignInCode } from '../signin.js';
import { clientFromMetadataDocument, isMetadataDocumentId } from './client-metadata.js';
import {
  findClient,
  findRequest,
  finishRequest,
  insertCode,
  insertRequest,
  updateRequest,
} from './oauth.repository.js';

/**
 * The stored side of GET/POST /authorize: a pending authorization request, the sign-in it carries
 * (the one email-code sign-in of ../signin.ts), and the authorization code it ends with. The pages
 * (src/oauth/authorize*.tsx) decide what to show; every read and write of the store is here.
 */

export type OAuthClient = OAuthClientsTable;
export type OAuthRequest = OAuthRequestsTable;

/** How long a person has to finish signing in once the client sent them here. */
const REQUEST_TTL_MS = 30 * 60_000;
/** Authorization codes are exchanged at once by the client; ten minutes is the RFC's ceiling. */
export const CODE_TTL_MS = 5 * 60_000;

export async function findOAuthClient(services: Services, id: string): Promise<OAuthClient | undefined> {
  return findClient(services.store.db, id);
}

/**
 * The client an authorization request names: a registered one, or one identified by its metadata
 * document (fetched or refreshed here; throws invalid_client when it does not qualify).
 */
export async function authorizingClient(services: Services, id: string): Promise<OAuthClient | undefined> {
  if (isMetadataDocumentId(id)) return clientFromMetadataDocument(services, id, services.clock.now());
  return findClient(services.store.db, id);
}

/** Stores a checked request (dropping expired ones); returns its handle, which the forms carry. */
export async function openRequest(
  services: Services,
  request: Pick<
    OAuthRequest,
    | 'client_id'
    | 'redirect_uri'
    | 'redirect_uri_explicit'
    | 'state'
    | 'code_challenge'
    | 'scopes'
    | 'resource'
  > & { browser: string },
  now: Date,
): Promise<string> {
  const handle = newSecret('oar');
  const { browser, ...fields } = request;
  await insertRequest(services.store.db, {
    id_hash: hashSecret(handle),
    ...fields,
    binding_hash: hashSecret(browser),
    email: null,
    user_id: null,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + REQUEST_TTL_MS).toISOString(),
    finished_at: null,
  });
  return handle;
}

export async function findPendingRequest(
  services: Services,
  idHash: string,
): Promise<OAuthRequest | undefined> {
  return findRequest(services.store.db, idHash);
}

/** Back to the first step: the address (and who proved it) are forgotten. */
export async function restartRequest(services: Services, idHash: string): Promise<void> {
  await updateRequest(services.store.db, idHash, { email: null, user_id: null });
}

/** Emails a sign-in code for the request (throttled; throws the 429) and remembers the address. */
export async function sendRequestCode(
  services: Services,
  idHash: string,
  attempt: { email: string; clientIp: string | null; now: Date },
): Promise<void> {
  const message = await services.store.db.transaction().execute(async (trx) => {
    const mail = await requestSignInCode(trx, services, { ...attempt, audience: 'anyone' });
    await updateRequest(trx, idHash, { email: attempt.email, user_id: null });
    return mail;
  });
  await services.mailer.send(message);
}

/** Checks the code; on success the request remembers the person (created on first sign-in). */
export async function proveRequestCode(
  services: Services,
  idHash: string,
  attempt: { email: string; code: string; clientIp: string | null; now: Date },
): Promise<{ failure: AppError } | { userId: string }> {
  return services.store.db.transaction().execute(async (trx) => {
    const proven = await proveSignInCode(trx, services, { ...attempt, audience: 'anyone' });
    // A wrong code is returned, not thrown, so the spent try commits.
    if ('error' in proven) return { failure: proven.error };
    await updateRequest(trx, idHash, { user_id: proven.signIn.user.id });
    return { userId: proven.signIn.user.id };
  });
}

export async function userWorkspaces(services: Services, userId: string): Promise<WorkspaceWithRole[]> {
  return listUserWorkspaces(services.store.db, userId);
}

/** Ends the request without a code (the person denied); false when it had already ended. */
export async function denyRequest(services: Services, idHash: string, now: string): Promise<boolean> {
  return finishRequest(services.store.db, idHash, now);
}

/**
 * Ends the request with an authorization code for the chosen workspace and scopes; null when
 * another submit already ended it.
 */
export async function issueAuthorizationCode(
  services: Services,
  idHash: string,
  row: OAuthRequest & { user_id: string },
  grant: { workspaceId: string; scopes: string[] },
  now: Date,
): Promise<string | null> {
  const code = newSecret('oac');
  const nowIso = now.toISOString();
  const finished = await services.store.db.transaction().execute(async (trx) => {
    if (!(await finishRequest(trx, idHash, nowIso))) return false;
    await insertCode(trx, {
      workspace_id: grant.workspaceId,
      code_hash: hashSecret(code),
      client_id: row.client_id,
      user_id: row.user_id,
      redirect_uri: row.redirect_uri,
      redirect_uri_explicit: row.redirect_uri_explicit,
      code_challenge: row.code_challenge,
      scopes: grant.scopes.join(','),
      resource: row.resource,
      created_at: nowIso,
      expires_at: new Date(now.getTime() + CODE_TTL_MS).toISOString(),
      used_at: null,
      token_id: null,
    });
    return true;
  });
  return finished ? code : null;
}
