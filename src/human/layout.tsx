import type { Child } from 'hono/jsx';
import type { AppError } from '../errors.js';
import { formatTime } from './format.js';
import type { Session } from './session.js';
import { FAVICON_VERSION, STYLESHEET_VERSION } from './styles.js';

export type NavKey =
  | 'overview'
  | 'approvals'
  | 'budget'
  | 'activity'
  | 'audit'
  | 'members'
  | 'agents'
  | 'policy';

const NAV: { key: NavKey; href: string; label: string }[] = [
  { key: 'overview', href: '/human', label: 'Overview' },
  { key: 'approvals', href: '/human/approvals', label: 'Approvals' },
  { key: 'activity', href: '/human/activity', label: 'Activity' },
  { key: 'audit', href: '/human/audit', label: 'Audit log' },
  { key: 'members', href: '/human/members', label: 'Members' },
  { key: 'agents', href: '/human/agents', label: 'Agents & tokens' },
  { key: 'policy', href: '/human/policy', label: 'Policy' },
  { key: 'budget', href: '/human/budget', label: 'Plan & budget' },
];

export interface Frame {
  csrf: string;
  session: Session | null;
  /** Pending proposals, for the badge on "Approvals"; null when unknown. */
  pending?: number | null;
}

export function Layout(props: {
  title: string;
  frame: Frame;
  active?: NavKey;
  narrow?: boolean;
  children?: Child;
}) {
  const { session, csrf } = props.frame;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{`${props.title} · agentcrm`}</title>
        <link rel="stylesheet" href={`/human/console.css?v=${STYLESHEET_VERSION}`} />
        <link rel="icon" type="image/svg+xml" href={`/human/favicon.svg?v=${FAVICON_VERSION}`} />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="topbar">
          <div class="inner">
            <a class="brand" href="/human">
              agentcrm <span>console</span>
            </a>
            {session ? <Who session={session} csrf={csrf} /> : null}
          </div>
        </header>
        {session ? <Tabs active={props.active} pending={props.frame.pending ?? null} /> : null}
        <main id="main" class={props.narrow ? 'narrow' : undefined}>
          {props.children}
        </main>
        <footer class="foot">
          agentcrm is run by your agents; this console is where people approve, budget and watch.
        </footer>
      </body>
    </html>
  );
}

function Who(props: { session: Session; csrf: string }) {
  const { session, csrf } = props;
  const others = session.workspaces.filter((workspace) => workspace.id !== session.workspace.id);
  return (
    <div class="who">
      <span>
        <span class="visually-hidden">Workspace: </span>
        <span class="ws">{session.workspace.name}</span>{' '}
        <span class="badge brand">{session.workspace.plan}</span>
      </span>
      {others.length ? (
        <form method="post" action="/human/workspace">
          <CsrfField token={csrf} />
          <label class="visually-hidden" for="switch-workspace">
            Switch workspace
          </label>
          <select id="switch-workspace" name="workspace_id">
            {session.workspaces.map((workspace) => (
              <option value={workspace.id} selected={workspace.id === session.workspace.id}>
                {workspace.name}
              </option>
            ))}
          </select>
          <button class="small link-button" type="submit">
            Switch
          </button>
        </form>
      ) : null}
      <span>
        {session.user.email} · {session.isBillingOwner ? 'billing owner' : session.caller.role}
      </span>
      <form method="post" action="/human/sign-out">
        <CsrfField token={csrf} />
        <button class="small link-button" type="submit">
          Sign out
        </button>
      </form>
    </div>
  );
}

function Tabs(props: { active?: NavKey | undefined; pending: number | null }) {
  return (
    <nav class="tabs" aria-label="Console sections">
      <ul>
        {NAV.map((item) => (
          <li>
            <a href={item.href} aria-current={item.key === props.active ? 'page' : undefined}>
              {item.label}
              {item.key === 'approvals' && props.pending ? (
                <span class="count">
                  {props.pending}
                  <span class="visually-hidden"> pending</span>
                </span>
              ) : null}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function CsrfField(props: { token: string }) {
  return <input type="hidden" name="csrf" value={props.token} />;
}

export function Notice(props: { kind: 'info' | 'ok' | 'warn' | 'error'; title?: string; children?: Child }) {
  return (
    <div class={`notice ${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.title ? (
        <p>
          <strong>{props.title}</strong>
        </p>
      ) : null}
      {props.children}
    </div>
  );
}

/** A refusal from an operation, in the words of its message. */
export function ErrorNotice(props: { error: AppError | null | undefined; title?: string }) {
  if (!props.error) return null;
  return (
    <Notice kind="error" title={props.title ?? 'That did not work'}>
      <p>{sentence(props.error.message)}</p>
    </Notice>
  );
}

export function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  // Identifiers (members.invite, user/usr_…, reason codes) keep their case.
  const first = /^[a-z]+[./_]/.test(trimmed) ? trimmed : trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

export function Time(props: { at: string | null | undefined }) {
  if (!props.at) return <span class="muted">—</span>;
  return (
    <time class="nowrap" datetime={props.at}>
      {formatTime(props.at)}
    </time>
  );
}

export function PageHead(props: { title: string; lead?: Child; children?: Child }) {
  return (
    <div class="page-head">
      <div>
        <h1>{props.title}</h1>
        {props.lead ? <p class="lead">{props.lead}</p> : null}
      </div>
      {props.children}
    </div>
  );
}

/** Shown to members on pages where admins have forms. */
export function ReadOnlyNote(props: { session: Session }) {
  if (props.session.caller.role === 'admin') {
    return (
      <Notice kind="info">
        <p>You were made an admin since you signed in: sign out and in again to manage this workspace.</p>
      </Notice>
    );
  }
  return (
    <p class="muted small">
      You are a member of this workspace: you can see everything here; changes are made by its admins and
      billing owner.
    </p>
  );
}
