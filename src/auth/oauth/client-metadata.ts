import type { Services } from '../../services.js';
import type { OAuthClientsTable } from '../../store/schema.js';
import { getDocument } from '../../webhooks/send.js';
import { isLoopbackHost } from '../../webhooks/ssrf.js';
import { clientRow, validatedClientMetadata } from './clients.js';
import { OAuthError } from './errors.js';
import { findClient, saveClient } from './oauth.repository.js';

/**
 * Client ID Metadata Documents (the MCP 2026-07-28 way for a client to identify itself, preferred
 * over dynamic registration): the client_id is an https URL, and the client's metadata is the JSON
 * document at that URL. It is fetched through the webhook SSRF guard (public addresses only, no
 * redirects), at most MAX_BYTES within TIMEOUT_MS, validated as a registration would be, and kept
 * as an oauth_clients row under that id for CACHE_MS; the rest of OAuth then treats it like any
 * registered public client. docs/mcp.md.
 */

const MAX_BYTES = 16 * 1024;
const TIMEOUT_MS = 5_000;
const CACHE_MS = 3600 * 1000;

/** Whether a client_id names a metadata document (an https URL) rather than a registered client. */
export const isMetadataDocumentId = (clientId: string) => /^https?:\/\//i.test(clientId);

const refused = (description: string) =>
  new OAuthError(
    'invalid_client',
    description,
    'serve the client metadata document at the client_id URL (https, public, JSON with client_id equal to that URL)',
  );

function documentUrl(clientId: string, allowLoopback: boolean): URL {
  if (!URL.canParse(clientId)) throw refused('client_id: not a valid URL');
  const url = new URL(clientId);
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !(allowLoopback && loopback && url.protocol === 'http:'))
    throw refused('client_id: a metadata document URL must use https');
  if (url.username || url.password) throw refused('client_id: a URL with credentials is not accepted');
  if (url.hash) throw refused('client_id: a URL with a fragment is not accepted');
  if (url.pathname === '/' || url.pathname === '') throw refused('client_id: the URL must have a path');
  return url;
}

/**
 * The client a metadata-document client_id names: the kept copy while fresh, else fetched and
 * validated again. Throws invalid_client (never a half-stored client) when the document cannot be
 * fetched or does not qualify.
 */
export async function clientFromMetadataDocument(
  services: Services,
  clientId: string,
  now: Date,
): Promise<OAuthClientsTable> {
  const kept = await findClient(services.store.db, clientId);
  if (kept && now.getTime() - Date.parse(kept.created_at) < CACHE_MS) return kept;
  const allowLoopback = services.config.oauthClientMetadataAllowLoopback;
  const url = documentUrl(clientId, allowLoopback);
  let fetched: Awaited<ReturnType<typeof getDocument>>;
  try {
    fetched = await getDocument(url, {
      allowLoopback,
      timeoutMs: TIMEOUT_MS,
      maxBytes: MAX_BYTES,
      resolve: services.resolveHost,
    });
  } catch (error) {
    throw refused(`the client metadata document could not be fetched: ${(error as Error).message}`);
  }
  if (fetched.statusCode !== 200)
    throw refused(`the client metadata document answered HTTP ${fetched.statusCode}, not 200`);
  let document: unknown;
  try {
    document = JSON.parse(fetched.body);
  } catch {
    throw refused('the client metadata document is not JSON');
  }
  const { input, ...validated } = validatedClientMetadata(document);
  if (input.client_id !== clientId)
    throw refused('the client metadata document names another client_id than its own URL');
  if (validated.method !== 'none')
    throw refused(
      'a metadata document client authenticates with PKCE only: token_endpoint_auth_method "none"',
    );
  const { row } = clientRow(clientId, null, validated, now.toISOString());
  await saveClient(services.store.db, row);
  return row;
}
