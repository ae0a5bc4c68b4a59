import type { AppError } from '../errors.js';
import { CsrfField, ErrorNotice, type Frame, Layout, Notice } from './layout.js';

/** The pages a person sees before a session: sign-in by emailed code, and invite acceptance. */

export function SignInPage(props: {
  frame: Frame;
  notice?: string | null;
  error?: AppError | null;
  email?: string;
}) {
  return (
    <Layout title="Sign in" frame={props.frame} narrow>
      <div class="card">
        <h1>Sign in</h1>
        <p class="lead">
          We email you a one-time code: no password. agentcrm has no sign-up form — people join when their AI
          agent invites them.
        </p>
        {props.notice ? <Notice kind="info">{props.notice}</Notice> : null}
        <ErrorNotice error={props.error} />
        <form method="post" action="/human/sign-in">
          <CsrfField token={props.frame.csrf} />
          <div class="field">
            <label for="email">Email address</label>
            <input
              id="email"
              name="email"
              type="email"
              autocomplete="email"
              required
              autofocus
              value={props.email ?? ''}
            />
          </div>
          <button type="submit">Email me a code</button>
        </form>
      </div>
    </Layout>
  );
}

export function SignInCodePage(props: {
  frame: Frame;
  email: string;
  minutes: number;
  error?: AppError | null;
}) {
  return (
    <Layout title="Enter your code" frame={props.frame} narrow>
      <div class="card">
        <h1>Check your email</h1>
        <p>
          If <strong>{props.email}</strong> belongs to an agentcrm workspace, we have sent it a 6-digit code.
          It works once, for 10 minutes.
        </p>
        <ErrorNotice error={props.error} title="The code was not accepted" />
        <form method="post" action="/human/sign-in/code">
          <CsrfField token={props.frame.csrf} />
          <input type="hidden" name="email" value={props.email} />
          <div class="field">
            <label for="code">Code from the email</label>
            <input
              id="code"
              name="code"
              class="code"
              type="text"
              inputmode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9 ]{6,7}"
              maxlength={7}
              required
              autofocus
            />
          </div>
          <div class="actions">
            <button type="submit">Sign in</button>
            <a href="/human">Use another address</a>
          </div>
        </form>
      </div>
      <Notice kind="info" title="No email?">
        <p>
          If no agentcrm workspace has this address, we email it an explanation instead of a code. There is no
          sign-up: ask your AI agent to invite you (its tool is <code>humans.invite_billing_owner</code>),
          then open the link in the email it sends.
        </p>
      </Notice>
    </Layout>
  );
}

export interface InviteSummary {
  workspaceName: string;
  agentName: string;
  maskedEmail: string;
  plan: string;
  expiresAt: string;
  name: string | null;
}

/**
 * What accepting changes, worded by the workspace's actual plan: a sandbox waits for an owner to
 * unlock production; a production workspace keeps its plan and gains someone who approves and pays.
 */
export function PlanNote(props: { plan: string }) {
  if (props.plan === 'sandbox') {
    return (
      <>
        The workspace is on the free <strong>sandbox</strong> plan. It stays there until you accept; once you
        own it, you can approve its move to the production plan.
      </>
    );
  }
  return (
    <>
      The workspace is on the <strong>{props.plan}</strong> plan. Accepting does not change the plan: it makes
      you the one who approves its changes and its spending.
    </>
  );
}

export function InvitePage(props: {
  frame: Frame;
  invite: InviteSummary;
  secret: string;
  error?: AppError | null;
}) {
  const { invite } = props;
  return (
    <Layout title="Your invitation" frame={props.frame} narrow>
      <div class="card">
        <h1>{invite.name ? `${invite.name}, you are invited` : 'You are invited'}</h1>
        <p>
          Your AI agent <strong>{invite.agentName}</strong> works in the agentcrm workspace{' '}
          <strong>{invite.workspaceName}</strong> and asks you to become its <strong>billing owner</strong>.
        </p>
        <ul>
          <li>You approve the changes it is not allowed to make alone, such as upgrading the plan.</li>
          <li>You set a monthly budget it must stay within.</li>
          <li>You can see everything it does, and revoke its access.</li>
        </ul>
        <p class="muted small">
          <PlanNote plan={invite.plan} /> This invite is for {invite.maskedEmail}.
        </p>
        <ErrorNotice error={props.error} />
        <form method="post" action="/human/accept">
          <CsrfField token={props.frame.csrf} />
          <input type="hidden" name="invite" value={props.secret} />
          <button type="submit">Email me a code to accept</button>
        </form>
        <p class="muted small">Do not know this agent? Ignore the invite: nothing happens without you.</p>
      </div>
    </Layout>
  );
}

export function InviteCodePage(props: {
  frame: Frame;
  secret: string;
  sentTo: string;
  workspaceName: string;
  error?: AppError | null;
}) {
  return (
    <Layout title="Confirm it is you" frame={props.frame} narrow>
      <div class="card">
        <h1>Confirm it is you</h1>
        <p>
          We sent a 6-digit code to <strong>{props.sentTo}</strong>. Enter it to become the billing owner of{' '}
          <strong>{props.workspaceName}</strong>.
        </p>
        <ErrorNotice error={props.error} title="The code was not accepted" />
        <form method="post" action="/human/accept">
          <CsrfField token={props.frame.csrf} />
          <input type="hidden" name="invite" value={props.secret} />
          <div class="field">
            <label for="code">Code from the email</label>
            <input
              id="code"
              name="code"
              class="code"
              type="text"
              inputmode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9 ]{6,7}"
              maxlength={7}
              required
              autofocus
            />
          </div>
          <button type="submit">Accept and continue</button>
        </form>
      </div>
    </Layout>
  );
}

const INVALID: Record<string, { title: string; text: string; signIn: boolean }> = {
  accepted: {
    title: 'This invite was already accepted',
    text: 'If that was you, sign in with your email address to reach the workspace.',
    signIn: true,
  },
  expired: {
    title: 'This invite expired',
    text: 'Invites work for a week. Ask your agent to send a new one; it arrives as a new email.',
    signIn: false,
  },
  revoked: {
    title: 'This invite was replaced or withdrawn',
    text: 'Your agent may have sent a newer invite: look for a more recent email, or ask it to send one.',
    signIn: false,
  },
  unknown: {
    title: 'This invite link is not valid',
    text: 'Check that you opened the whole link from the email. If it still fails, ask your agent for a new invite.',
    signIn: false,
  },
};

export function InviteInvalidPage(props: { frame: Frame; state: string }) {
  const info = INVALID[props.state] ?? INVALID.unknown!;
  return (
    <Layout title={info.title} frame={props.frame} narrow>
      <div class="card">
        <h1>{info.title}</h1>
        <p>{info.text}</p>
        {info.signIn ? (
          <a class="button" href="/human">
            Sign in
          </a>
        ) : (
          <p class="muted small">
            Agents send invites with their <code>humans.invite_billing_owner</code> tool.
          </p>
        )}
      </div>
    </Layout>
  );
}
