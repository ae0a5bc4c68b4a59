import type { Context } from 'hono';
import type { JSX } from 'hono/jsx/jsx-runtime';
import { clientIp } from '../http/client.js';
import type { Caller } from '../operations/define.js';
import type { Services } from '../services.js';
import { GOVERNANCE } from './governance.js';
import type { Frame } from './layout.js';
import { listData, type PerformOptions, perform } from './perform.js';
import type { Session } from './session.js';

export type HumanEnv = {
  Variables: {
    requestId: string;
    session: Session | null;
    /** The session cookie was there but no longer works (expired, revoked, removed from the workspace). */
    sessionEnded: boolean;
    csrf: string;
    form: Record<string, string>;
    /** The same variable as the HTTP surface's: the request log line names its workspace and actor. */
    caller: Caller | null;
  };
};

export type HumanContext = Context<HumanEnv>;

export async function html(c: HumanContext, element: JSX.Element, status = 200): Promise<Response> {
  const body = `<!doctype html>\n${String(await element)}`;
  return c.html(body, status as 200);
}

export function performOptions(c: HumanContext, services: Services, escalationCode?: string | null) {
  const options: PerformOptions = {
    requestId: c.get('requestId'),
    clientIp: clientIp(c, services.config.trustProxy),
    escalationCode: escalationCode ?? null,
  };
  return options;
}

/** The frame every page is drawn in: the CSRF token, the session, the count of pending approvals. */
export async function frameOf(c: HumanContext, services: Services): Promise<Frame> {
  const session = c.get('session');
  let pending: number | null = null;
  if (session) {
    const listed = await perform(
      services,
      session,
      GOVERNANCE.listProposals,
      {},
      performOptions(c, services),
    );
    pending = listData(listed).filter((proposal) => proposal.status === 'pending').length;
  }
  return { csrf: c.get('csrf'), session, pending };
}

export function form(c: HumanContext): Record<string, string> {
  return c.get('form') ?? {};
}

/** A 303 to a console page, with an optional notice key (never free text: nothing is reflected). */
export function seeOther(c: HumanContext, path: string, notice?: string): Response {
  const url = notice ? `${path}${path.includes('?') ? '&' : '?'}notice=${encodeURIComponent(notice)}` : path;
  return c.redirect(url, 303);
}
