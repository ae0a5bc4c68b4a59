import { timingSafeEqual } from 'node:crypto';
import { hashSecret, newSecret } from '../../ids.js';
import type { Services } from '../../services.js';
import type { OAuthClientsTable } from '../../store/schema.js';
import { SCOPES } from '../scopes.js';
import { OAuthError } from './errors.js';
import { findClient, insertClient } from './oauth.repository.js';
import { redirectUriProblem } from './redirect-uris.js';

type AuthMethod = OAuthClientsTable['token_endpoint_auth_method'];
const AUTH_METHODS: readonly AuthMethod[] = ['none', 'client_secret_post', 'client_secret_basic'];
const GRANT_TYPES = ['authorization_code', 'refresh_token'] as const;
const MAX_REDIRECT_URIS = 10;
const MAX_TEXT = 200;

const metadataError = (description: string) =>
  new OAuthError(
    'invalid_client_metadata',
    description,
    'fix the field and register again; see /.well-known/oauth-authorization-server',
  );

/** Printable text without control characters, or undefined when absent. */
function optionalText(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > MAX_TEXT || /\p{Cc}/u.test(value)) {
    throw metadataError(`${field}: printable text of at most ${MAX_TEXT} characters`);
  }
  return value.trim() || undefined;
}

function optionalHttpsUrl(body: Record<string, unknown>, field: string): string | undefined {
  const value = optionalText({ [field]: body[field] === '' ? undefined : body[field] }, field);
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || new URL(value).protocol !== 'https:')
    throw metadataError(`${field}: an https URL`);
  return value;
}

function stringList(body: Record<string, unknown>, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw metadataError(`${field}: an array of strings`);
  }
  return [...new Set(value as string[])];
}

/** Space-separated scopes, each one we know; null when absent. */
export function parseScope(value: unknown): string[] | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') return [];
  const scopes = value.split(' ').filter(Boolean);
  return scopes.every((scope) => (SCOPES as readonly string[]).includes(scope)) ? [...new Set(scopes)] : [];
}

export interface Registration {
  row: OAuthClientsTable;
  /** Shown once in the registration answer; null for public clients. */
  secret: string | null;
  /** The RFC 7591 answer: the client id (and secret) and the metadata as registered. */
  response: Record<string, unknown>;
}

/**
 * RFC 7591 dynamic client registration: validates the metadata strictly (every problem is a
 * 400 invalid_client_metadata or invalid_redirect_uri naming the field) and stores the client.
 * Unknown members are ignored, as the RFC asks. Omitted grant_types default to both grants we
 * support (RFC 7591 lets the server substitute defaults; it tells the client in the answer).
 */
/**
 * Client metadata, validated strictly (every problem is a 400 invalid_client_metadata or
 * invalid_redirect_uri naming the field), whether it came in a registration (RFC 7591) or in a
 * client ID metadata document (client-metadata.ts).
 */
export function validatedClientMetadata(body: unknown) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw metadataError('the body must be a JSON object of client metadata');
  }
  const input = body as Record<string, unknown>;
  const redirectUris = stringList(input, 'redirect_uris');
  if (!redirectUris || redirectUris.length === 0) {
    throw new OAuthError(
      'invalid_redirect_uri',
      'redirect_uris: at least one redirect URI is required',
      'send "redirect_uris": ["https://your.app/callback"]',
    );
  }
  if (redirectUris.length > MAX_REDIRECT_URIS) {
    throw new OAuthError(
      'invalid_redirect_uri',
      `redirect_uris: at most ${MAX_REDIRECT_URIS}`,
      'register fewer',
    );
  }
  for (const uri of redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem) {
      throw new OAuthError(
        'invalid_redirect_uri',
        `redirect_uris: ${JSON.stringify(uri.slice(0, 100))}: ${problem}`,
        'use https, a loopback http address (http://127.0.0.1:<port>/…), or your app’s private-use scheme',
      );
    }
  }

  const method = (input.token_endpoint_auth_method ?? 'client_secret_basic') as AuthMethod;
  if (!AUTH_METHODS.includes(method)) {
    throw metadataError(`token_endpoint_auth_method: one of ${AUTH_METHODS.join(', ')}`);
  }
  const grantTypes = stringList(input, 'grant_types') ?? [...GRANT_TYPES];
  const unknownGrant = grantTypes.find((grant) => !(GRANT_TYPES as readonly string[]).includes(grant));
  if (unknownGrant)
    throw metadataError(`grant_types: ${unknownGrant} is not supported (${GRANT_TYPES.join(', ')})`);
  if (!grantTypes.includes('authorization_code')) {
    throw metadataError('grant_types: must include authorization_code');
  }
  const responseTypes = stringList(input, 'response_types') ?? ['code'];
  if (responseTypes.length !== 1 || responseTypes[0] !== 'code') {
    throw metadataError('response_types: only ["code"] is supported');
  }
  const scopes = parseScope(input.scope);
  if (scopes !== null && scopes.length === 0) {
    throw new OAuthError(
      'invalid_client_metadata',
      `scope: space-separated, from ${SCOPES.join(' ')}`,
      'fix scope',
    );
  }
  const name = optionalText(input, 'client_name');
  const optional = {
    client_uri: optionalHttpsUrl(input, 'client_uri'),
    logo_uri: optionalHttpsUrl(input, 'logo_uri'),
    tos_uri: optionalHttpsUrl(input, 'tos_uri'),
    policy_uri: optionalHttpsUrl(input, 'policy_uri'),
    software_id: optionalText(input, 'software_id'),
    software_version: optionalText(input, 'software_version'),
  };
  return { input, name, redirectUris, method, grantTypes, responseTypes, scopes, optional };
}

export async function registerClient(services: Services, body: unknown, now: string): Promise<Registration> {
  const { input: _input, ...validated } = validatedClientMetadata(body);
  const id = services.ids.next('ocl');
  const secret = validated.method === 'none' ? null : newSecret('cks');
  const { row, metadata } = clientRow(id, secret ? hashSecret(secret) : null, validated, now);
  await insertClient(services.store.db, row);
  const issuedAt = Math.floor(Date.parse(now) / 1000);
  return {
    row,
    secret,
    response: {
      client_id: id,
      client_id_issued_at: issuedAt,
      ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
      ...metadata,
    },
  };
}

/** The stored row (and the metadata answered) of a validated client. */
export function clientRow(
  id: string,
  secretHash: string | null,
  validated: Omit<ReturnType<typeof validatedClientMetadata>, 'input'>,
  now: string,
) {
  const { name, redirectUris, method, grantTypes, responseTypes, scopes, optional } = validated;
  const metadata = {
    client_name: name ?? 'MCP client',
    redirect_uris: redirectUris,
    grant_types: grantTypes,
    response_types: responseTypes,
    token_endpoint_auth_method: method,
    ...(scopes ? { scope: scopes.join(' ') } : {}),
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
  const row: OAuthClientsTable = {
    id,
    secret_hash: secretHash,
    name: metadata.client_name,
    redirect_uris: JSON.stringify(redirectUris),
    grant_types: JSON.stringify(grantTypes),
    token_endpoint_auth_method: method,
    scope: scopes ? scopes.join(' ') : null,
    metadata: JSON.stringify(metadata),
    created_at: now,
  };
  return { row, metadata };
}

export const clientRedirectUris = (client: OAuthClientsTable): string[] => JSON.parse(client.redirect_uris);
export const clientGrantTypes = (client: OAuthClientsTable): string[] => JSON.parse(client.grant_types);

function sameSecret(secret: string, hash: string): boolean {
  const a = Buffer.from(hashSecret(secret));
  const b = Buffer.from(hash);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Authenticates the client of a token or revocation request (RFC 6749 §2.3) with the method it
 * registered: HTTP Basic, client_secret in the body, or none (a public client names itself).
 */
export async function authenticateClient(
  services: Services,
  authorization: string | undefined,
  params: URLSearchParams,
): Promise<OAuthClientsTable> {
  let clientId = params.get('client_id');
  let secret = params.get('client_secret');
  let method: AuthMethod = secret ? 'client_secret_post' : 'none';
  const basic = authorization?.match(/^Basic\s+(\S+)\s*$/i);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw invalidClient('the Basic credentials are not client_id:client_secret', true);
    const basicId = formDecode(decoded.slice(0, colon));
    if (clientId && clientId !== basicId)
      throw invalidClient('client_id differs from the Basic credentials', true);
    if (secret) throw invalidClient('send the client secret once: Basic or client_secret, not both', true);
    clientId = basicId;
    secret = formDecode(decoded.slice(colon + 1));
    method = 'client_secret_basic';
  }
  if (!clientId) throw invalidClient('client_id is missing', false);
  const client = await findClient(services.store.db, clientId);
  if (!client) throw invalidClient('unknown client_id', method === 'client_secret_basic');
  if (client.token_endpoint_auth_method !== method) {
    throw invalidClient(
      `this client registered token_endpoint_auth_method ${client.token_endpoint_auth_method}, not ${method}`,
      method === 'client_secret_basic',
    );
  }
  if (method !== 'none' && !(client.secret_hash && secret && sameSecret(secret, client.secret_hash))) {
    throw invalidClient('wrong client secret', method === 'client_secret_basic');
  }
  return client;
}

/** Basic credentials are form-encoded before base64 (RFC 6749 §2.3.1). */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw invalidClient('the Basic credentials are not form-encoded', true);
  }
}

function invalidClient(description: string, basic: boolean): OAuthError {
  return new OAuthError(
    'invalid_client',
    description,
    'authenticate with the method the client registered, or register again (POST /register)',
    basic ? { 'www-authenticate': 'Basic realm="agentcrm"' } : {},
  );
}
