import type { HtmlEscapedString } from 'hono/utils/html';
import type { OAuthClient, OAuthRequest } from '../auth/oauth/requests.js';
import { type ClientView, ErrorPage } from './pages.js';

/** A rendered page (JSX renders to escaped HTML, possibly asynchronously). */
export type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The browser-binding cookie: only the browser that opened /authorize may submit its forms. */
export const BINDING_COOKIE = 'agentcrm_oauth';

export type AuthorizeOutcome =
  | { kind: 'page'; status: number; page: Page; setBinding?: string }
  | { kind: 'redirect'; location: string };

export const page = (page: Page, status = 200, setBinding?: string): AuthorizeOutcome => ({
  kind: 'page',
  status,
  page,
  ...(setBinding ? { setBinding } : {}),
});

export const errorPage = (status: number, title: string, message: string, hint: string) =>
  page(<ErrorPage title={title} message={message} hint={hint} />, status);

export const START_AGAIN =
  'Go back to your app (the MCP client) and connect again: it starts a fresh sign-in.';

/** Sends the browser back to the client with the result; `iss` names us (RFC 9207). */
export function redirectTo(
  uri: string,
  params: Record<string, string | null>,
  issuer: string,
): AuthorizeOutcome {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params)) if (value !== null) url.searchParams.set(key, value);
  url.searchParams.set('iss', issuer);
  return { kind: 'redirect', location: url.toString() };
}

export function clientView(client: OAuthClient, redirectUri: string): ClientView {
  const url = new URL(redirectUri);
  const redirectTarget =
    url.protocol === 'https:'
      ? url.host
      : url.protocol === 'http:'
        ? `an app on this computer (${url.host})`
        : `the app that opens ${url.protocol}// links`;
  return { name: client.name, redirectTarget };
}

/** A stored request the form's handle and the browser's cookie both match. */
export interface Pending {
  handle: string;
  idHash: string;
  row: OAuthRequest;
  client: OAuthClient;
  view: ClientView;
}
