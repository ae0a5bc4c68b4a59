import type { App } from '../src/app.js';
import { latestCode, type Mail, outboxMessages } from './mailbox.js';

/**
 * A browser stand-in for in-process tests of the human console: it keeps cookies, sends the
 * Origin a browser sends, and fills the CSRF field from the last page, so each test says only
 * what a person would do (and what an attacker would change).
 */
export interface Page {
  status: number;
  html: string;
  headers: Headers;
  /** The redirect target, for 3xx answers. */
  location: string | null;
}

export interface PostOptions {
  /** The Origin header; null sends none. Defaults to the console's own origin. */
  origin?: string | null;
  /** The CSRF field; false leaves it out. Defaults to the token of the last page. */
  csrf?: string | false;
  contentType?: string;
}

export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  last: Page | null = null;

  constructor(
    private readonly app: App,
    readonly origin = 'http://localhost',
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(headers: Headers) {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...rest] = pair!.split('=');
      const value = rest.join('=');
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
      if (expired || value === '') this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
  }

  private async send(path: string, init: RequestInit): Promise<Page> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.cookieHeader());
    const response = await this.app.request(`${this.origin}${path}`, {
      ...init,
      headers,
      redirect: 'manual',
    });
    this.remember(response.headers);
    const page = {
      status: response.status,
      html: await response.text(),
      headers: response.headers,
      location: response.headers.get('location'),
    };
    if (response.headers.get('content-type')?.startsWith('text/html')) this.last = page;
    return page;
  }

  get(path: string): Promise<Page> {
    return this.send(path, { method: 'GET' });
  }

  /** Follows a 303 the way a browser does after a form post. */
  async follow(page: Page): Promise<Page> {
    if (!page.location) return page;
    return this.get(page.location.replace(this.origin, ''));
  }

  csrf(): string {
    const token = this.last?.html.match(/name="csrf" value="([^"]+)"/)?.[1];
    if (!token) throw new Error('no CSRF field on the last page');
    return token;
  }

  post(path: string, fields: Record<string, string>, options: PostOptions = {}): Promise<Page> {
    const body = new URLSearchParams(fields);
    if (options.csrf !== false) body.set('csrf', options.csrf ?? this.csrf());
    const headers: Record<string, string> = {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
    };
    const origin = options.origin === undefined ? this.origin : options.origin;
    if (origin !== null) headers.origin = origin;
    return this.send(path, { method: 'POST', headers, body: body.toString() });
  }
}

/** Text of a page without tags, for readable assertions. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
}

/** Signs a person in through the console's own pages; the code comes from the outbox. */
export async function consoleSignIn(client: ConsoleClient, dataDir: string, email: string): Promise<Page> {
  await client.get('/human');
  const asked = await client.post('/human/sign-in', { email });
  if (asked.status !== 200) throw new Error(`sign-in request failed: ${asked.status}`);
  const code = latestCode(await outboxMessages(dataDir), email);
  const signedIn = await client.post('/human/sign-in/code', { email, code });
  if (signedIn.status !== 303) throw new Error(`sign-in failed: ${signedIn.status} ${textOf(signedIn.html)}`);
  return client.follow(signedIn);
}

/** The `/human?invite=…` link in the newest invite mail to `to`. */
export function inviteLink(messages: Mail[], to: string): string {
  const mail = messages.filter((message) => message.to === to).at(-1);
  const link = mail?.text.match(/https?:\/\/\S+\/human\?invite=\S+/)?.[0];
  if (!link) throw new Error(`no invite link mailed to ${to}`);
  return link;
}
