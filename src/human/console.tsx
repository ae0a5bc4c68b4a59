import { Hono } from 'hono';
import { csrf as originCheck } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { SESSION_TTL_SECONDS } from '../auth/console.operations.js';
import { AppError, isAppError } from '../errors.js';
import { clientIp } from '../http/client.js';
import { enforceRequestLimit } from '../ratelimit/request-limit.js';
import type { Services } from '../services.js';
import { activityPage } from './activity.page.js';
import { agentsPage, revokeToken } from './agents.page.js';
import { approvalsPage, decideProposal, decideSelection } from './approvals.page.js';
import { auditPage } from './audit.page.js';
import { budgetPage, saveBudget } from './budget.page.js';
import { frameOf, type HumanContext, type HumanEnv, html, seeOther } from './context.js';
import { Layout, sentence } from './layout.js';
import {
  changeRole,
  confirmRemovePage,
  inviteMember,
  membersPage,
  removeMember,
  withdrawInvite,
} from './members.page.js';
import { noticeText } from './notices.js';
import { overviewPage } from './overview.page.js';
import { policyPage, savePolicy } from './policy.page.js';
import {
  allowedOrigin,
  clearCookie,
  csrfMatches,
  csrfToken,
  newPresession,
  PRESESSION_COOKIE,
  readCookie,
  SESSION_COOKIE,
  securityHeaders,
  writeCookie,
} from './security.js';
import { loadSession, type Session } from './session.js';
import {
  acceptInvite,
  invitePage,
  requestCode,
  signInPage,
  signOut,
  switchWorkspace,
  verifyCode,
} from './signin.handlers.js';
import { FAVICON, FAVICON_VERSION, STYLESHEET, STYLESHEET_VERSION } from './styles.js';

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * The human console, mounted at /human: server-rendered pages for the people who approve, budget
 * and watch. Every change goes through an operation of the registry as the signed-in person, so
 * scopes, roles, step-up and audit hold exactly as in the API.
 */
export function buildHumanConsole(services: Services): Hono<HumanEnv> {
  const app = new Hono<HumanEnv>();
  app.use('*', securityHeaders());

  app.get('/console.css', (c) => {
    const etag = `"${STYLESHEET_VERSION}"`;
    const cache =
      c.req.query('v') === STYLESHEET_VERSION ? 'public, max-age=31536000, immutable' : 'public, max-age=300';
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, { etag, 'cache-control': cache });
    return c.body(STYLESHEET, 200, {
      'content-type': 'text/css; charset=utf-8',
      etag,
      'cache-control': cache,
    });
  });

  // The icon is an image: the CSP's img-src 'self' allows it. Versioned like the stylesheet.
  app.get('/favicon.svg', (c) => {
    const etag = `"${FAVICON_VERSION}"`;
    const cache =
      c.req.query('v') === FAVICON_VERSION ? 'public, max-age=31536000, immutable' : 'public, max-age=86400';
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, { etag, 'cache-control': cache });
    return c.body(FAVICON, 200, { 'content-type': 'image/svg+xml', etag, 'cache-control': cache });
  });

  // Who is asking: the session cookie (a token), or before sign-in, a random presession value.
  app.use('*', async (c, next) => {
    const state = await loadSession(services, readCookie(c, services, SESSION_COOKIE));
    const session = 'session' in state ? state.session : null;
    c.set('session', session);
    c.set('caller', session?.caller ?? null);
    c.set('sessionEnded', 'ended' in state);
    if ('ended' in state) clearCookie(c, services, SESSION_COOKIE);
    let binding: string;
    if (session) binding = `session\n${session.caller.tokenId}`;
    else {
      let presession = readCookie(c, services, PRESESSION_COOKIE);
      if (!presession || !/^[A-Za-z0-9_-]{32}$/.test(presession)) {
        presession = newPresession();
        writeCookie(c, services, PRESESSION_COOKIE, presession, SESSION_TTL_SECONDS);
      }
      binding = `presession\n${presession}`;
    }
    c.set('csrf', await csrfToken(services, binding));
    c.set('form', {});
    // Pages count against the same limits as the API: per session, or per address before sign-in.
    if (session || c.req.method !== 'GET') {
      const headers = await enforceRequestLimit(
        services,
        session?.caller ?? null,
        clientIp(c, services.config.trustProxy),
      );
      for (const [name, value] of Object.entries(headers)) c.header(name, value);
    }
    await next();
  });

  // Every form post: from our own origin (Origin / Sec-Fetch-Site) and carrying this session's token.
  app.use(
    '*',
    originCheck({
      origin: (origin, c) => allowedOrigin(services, origin, c.req.url),
      secFetchSite: 'same-origin',
    }),
  );
  app.use('*', async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (!FORM_TYPES.test(c.req.header('content-type') ?? ''))
      throw refused('the console accepts form posts only');
    const body = await c.req.parseBody();
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(body)) if (typeof value === 'string') fields[name] = value;
    const session = c.get('session');
    const binding = session
      ? `session\n${session.caller.tokenId}`
      : `presession\n${readCookie(c, services, PRESESSION_COOKIE) ?? ''}`;
    if (!(await csrfMatches(services, binding, fields.csrf))) {
      throw refused('this form expired or did not come from this site');
    }
    c.set('form', fields);
    return next();
  });

  /** Runs a page for a signed-in person; anyone else is sent to sign in. */
  const signedIn =
    (page: (c: HumanContext, services: Services, session: Session) => Promise<Response>) =>
    async (c: HumanContext) => {
      const session = c.get('session');
      if (!session) return seeOther(c, '/human', c.get('sessionEnded') ? 'session_ended' : undefined);
      return page(c, services, session);
    };

  app.get('/', async (c) => {
    const invite = c.req.query('invite');
    if (invite) return invitePage(c, services, invite);
    const session = c.get('session');
    if (!session) return signInPage(c, services);
    return overviewPage(c, services, session, noticeText(c.req.query('notice')));
  });
  app.get('/overview', (c) => seeOther(c, '/human'));
  app.post('/sign-in', (c) => requestCode(c, services));
  app.post('/sign-in/code', (c) => verifyCode(c, services));
  app.post('/accept', (c) => acceptInvite(c, services));
  app.post('/sign-out', (c) => signOut(c, services));
  app.post('/workspace', signedIn(switchWorkspace));

  const withNotice =
    (
      page: (
        c: HumanContext,
        services: Services,
        session: Session,
        extra: { notice?: string | null },
      ) => Promise<Response>,
    ) =>
    (c: HumanContext, services: Services, session: Session) =>
      page(c, services, session, { notice: noticeText(c.req.query('notice')) });

  app.get('/approvals', signedIn(withNotice(approvalsPage)));
  app.post('/approvals', signedIn(decideSelection));
  app.post('/approvals/:id', signedIn(decideProposal));
  app.get('/budget', signedIn(withNotice(budgetPage)));
  app.post('/budget', signedIn(saveBudget));
  app.get('/activity', signedIn(activityPage));
  app.get('/audit', signedIn(auditPage));
  app.get('/members', signedIn(withNotice(membersPage)));
  app.post('/members/invite', signedIn(inviteMember));
  app.post('/members/invites/:invite_id/withdraw', signedIn(withdrawInvite));
  app.post('/members/:user_id/role', signedIn(changeRole));
  app.get('/members/:user_id/remove', signedIn(confirmRemovePage));
  app.post('/members/:user_id/remove', signedIn(removeMember));
  app.get('/agents', signedIn(withNotice(agentsPage)));
  app.post('/tokens/:token_id/revoke', signedIn(revokeToken));
  app.get('/policy', signedIn(withNotice(policyPage)));
  app.post('/policy', signedIn(savePolicy));

  app.all('*', (c) => {
    if (c.req.method === 'GET' && c.req.path.endsWith('/'))
      return seeOther(c, c.req.path.replace(/\/+$/, ''));
    return errorPage(c, services, 404, 'Page not found', 'There is no console page at this address.');
  });

  app.onError(async (error, c) => {
    if (error instanceof HTTPException) {
      return errorPage(
        c,
        services,
        403,
        'Request refused',
        'This form did not come from agentcrm’s own pages.',
      );
    }
    if (isAppError(error)) {
      for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
      const title =
        error.status === 429
          ? 'Too many requests'
          : error.status === 403
            ? 'Not allowed'
            : 'That did not work';
      return errorPage(c, services, error.status, title, sentence(error.message));
    }
    services.logger.error(
      { err: error, request_id: c.get('requestId'), path: c.req.path },
      'unexpected error',
    );
    return errorPage(
      c,
      services,
      500,
      'Something went wrong',
      `Nothing was changed. If it happens again, report request ${c.get('requestId')}.`,
    );
  });

  return app;
}

function refused(message: string): AppError {
  return new AppError('forbidden', message, 'reload the page and submit the form again');
}

async function errorPage(c: HumanContext, services: Services, status: number, title: string, text: string) {
  let frame: Awaited<ReturnType<typeof frameOf>>;
  try {
    frame = await frameOf(c, services);
  } catch {
    frame = { csrf: c.get('csrf') ?? '', session: null };
  }
  return html(
    c,
    <Layout title={title} frame={frame} narrow>
      <div class="card">
        <h1>{title}</h1>
        <p>{text}</p>
        <p>
          <a href="/human">Back to the console</a>
        </p>
      </div>
    </Layout>,
    status,
  );
}
