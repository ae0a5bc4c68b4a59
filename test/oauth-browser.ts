/**
 * Drives the OAuth sign-in page as a person's browser would: opens the authorization URL, keeps
 * the cookie, fills in the email, reads the emailed code, submits it, and allows. Works against
 * the in-process app or a real server, given a fetch.
 */
export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

export interface PageStep {
  status: number;
  html: string;
  /** Where the browser is sent, for a redirect. */
  location: string | null;
}

export class Browser {
  cookie: string | null = null;
  constructor(private readonly fetcher: Fetch) {}

  private async step(url: string, init: RequestInit = {}): Promise<PageStep> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    const response = await this.fetcher(url, { ...init, headers, redirect: 'manual' });
    const set = response.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    return {
      status: response.status,
      html: await response.text(),
      location: response.headers.get('location'),
    };
  }

  open(url: string): Promise<PageStep> {
    return this.step(url);
  }

  /** Posts a form of the page at `base` (the action is /authorize). */
  submit(base: string, fields: Record<string, string> | URLSearchParams): Promise<PageStep> {
    return this.step(new URL('/authorize', base).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

/** The request handle a page's forms carry. */
export function requestHandle(html: string): string {
  const handle = html.match(/name="request" value="([^"]+)"/)?.[1];
  if (!handle) throw new Error(`no sign-in form on the page:\n${html.slice(0, 2000)}`);
  return handle;
}

/** The workspace choices of the consent page. */
export function workspaceChoices(html: string): string[] {
  return [...html.matchAll(/name="workspace_id" value="([^"]+)"/g)].map((match) => match[1]!);
}

/** The scopes the consent page offers, each a ticked box. */
export function offeredScopes(html: string): string[] {
  return [...html.matchAll(/name="scope" value="([a-z]+)" checked/g)].map((match) => match[1]!);
}

export interface SignInOptions {
  email: string;
  /** Returns the newest code mailed to the address. */
  code: () => Promise<string>;
  /** Picks the workspace on the consent page (default: the first offered). */
  workspaceId?: string;
  decision?: 'allow' | 'deny';
  /** The scopes left ticked on the consent page (default: every one offered, as the page opens). */
  scopes?: string[];
}

/** The whole sign-in: returns the redirect back to the client (with code or error). */
export async function signInThroughPage(fetcher: Fetch, authorizationUrl: string, options: SignInOptions) {
  const browser = new Browser(fetcher);
  const opened = await browser.open(authorizationUrl);
  if (opened.status !== 200)
    throw new Error(`authorize answered ${opened.status}: ${opened.html.slice(0, 500)}`);
  const request = requestHandle(opened.html);
  const codePage = await browser.submit(authorizationUrl, { request, step: 'email', email: options.email });
  if (codePage.status !== 200) throw new Error(`email step answered ${codePage.status}: ${codePage.html}`);
  const consent = await browser.submit(authorizationUrl, {
    request,
    step: 'code',
    code: await options.code(),
  });
  if (consent.status !== 200) throw new Error(`code step answered ${consent.status}: ${consent.html}`);
  const workspaceId = options.workspaceId ?? workspaceChoices(consent.html)[0]!;
  // The form as a browser posts it: the marker and every box left ticked.
  const form = new URLSearchParams({
    request,
    step: 'consent',
    workspace_id: workspaceId,
    scopes_chosen: '1',
  });
  for (const scope of options.scopes ?? offeredScopes(consent.html)) form.append('scope', scope);
  form.set('decision', options.decision ?? 'allow');
  const done = await browser.submit(authorizationUrl, form);
  if (done.status !== 303 || !done.location) throw new Error(`consent answered ${done.status}: ${done.html}`);
  return { redirect: new URL(done.location), consentHtml: consent.html, browser };
}
