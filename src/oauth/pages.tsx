import type { Child, FC } from 'hono/jsx';

/**
 * The server-rendered pages of the OAuth sign-in: plain HTML forms, no script, every value
 * escaped by JSX. Each form carries the request handle (which also serves as its CSRF token,
 * checked together with the browser-binding cookie). `Shell` and `Notice` are deliberately small
 * so other server-rendered pages can share the look.
 */

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; background: #f6f7f9; color: #1d2330; margin: 0; }
  main { max-width: 28rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 12px;
         box-shadow: 0 1px 3px rgb(0 0 0 / 12%); }
  h1 { font-size: 1.3rem; margin: 0 0 1rem; }
  label { display: block; margin: 1rem 0 .25rem; font-weight: 600; }
  input[type=email], input[type=text] { width: 100%; box-sizing: border-box; padding: .6rem;
         font-size: 1rem; border: 1px solid #b9c0cc; border-radius: 6px; }
  button { margin-top: 1.25rem; padding: .6rem 1.2rem; font-size: 1rem; border-radius: 6px;
           border: 0; background: #2356d8; color: #fff; cursor: pointer; }
  button.secondary { background: #e7eaf0; color: #1d2330; }
  .notice { background: #fdecea; color: #8a1c12; padding: .75rem; border-radius: 6px; }
  .muted { color: #5b6475; font-size: .9rem; }
  fieldset { border: 0; padding: 0; margin: 1rem 0 0; }
  .choice { display: block; font-weight: normal; margin: .4rem 0; }
  code { background: #f0f2f5; padding: 0 .25rem; border-radius: 4px; }
`;

export const Shell: FC<{ title: string; children?: Child }> = ({ title, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="no-referrer" />
      <title>{title} · agentcrm</title>
      <style>{STYLE}</style>
    </head>
    <body>
      <main>{children}</main>
    </body>
  </html>
);

export const Notice: FC<{ message?: string | null | undefined }> = ({ message }) =>
  message ? (
    <p class="notice" role="alert">
      {message}
    </p>
  ) : null;

/** What every step shows about the client asking for access. */
export interface ClientView {
  name: string;
  /** Where the person is sent back: the host of the redirect URI (or its scheme for native apps). */
  redirectTarget: string;
}

const Hidden: FC<{ request: string; step: string }> = ({ request, step }) => (
  <>
    <input type="hidden" name="request" value={request} />
    <input type="hidden" name="step" value={step} />
  </>
);

export const EmailPage: FC<{ client: ClientView; request: string; email?: string; error?: string | null }> = (
  props,
) => (
  <Shell title="Sign in">
    <h1>Sign in to agentcrm</h1>
    <p>
      <strong>{props.client.name}</strong> asks to use agentcrm on your behalf.
    </p>
    <Notice message={props.error} />
    <form method="post" action="/authorize">
      <Hidden request={props.request} step="email" />
      <label for="email">Your email address</label>
      <input id="email" type="email" name="email" required autocomplete="email" value={props.email ?? ''} />
      <p class="muted">We email you a 6-digit code. No password, no sign-up form.</p>
      <button type="submit">Email me a code</button>
    </form>
  </Shell>
);

export const CodePage: FC<{ client: ClientView; request: string; email: string; error?: string | null }> = (
  props,
) => (
  <Shell title="Enter your code">
    <h1>Check your email</h1>
    <p>
      We sent a 6-digit code to <strong>{props.email}</strong>. It works once, for a few minutes.
    </p>
    <Notice message={props.error} />
    <form method="post" action="/authorize">
      <Hidden request={props.request} step="code" />
      <label for="code">Code</label>
      <input
        id="code"
        type="text"
        name="code"
        required
        inputmode="numeric"
        autocomplete="one-time-code"
        pattern="[0-9 -]{6,9}"
      />
      <button type="submit">Continue</button>
    </form>
    <form method="post" action="/authorize">
      <Hidden request={props.request} step="restart" />
      <button type="submit" class="secondary">
        Use another address or send a new code
      </button>
    </form>
  </Shell>
);

export interface WorkspaceChoice {
  id: string;
  name: string;
  role: string;
  /** The scopes the token would carry in this workspace. */
  scopes: string[];
}

/** What each scope lets the app do, as the person reads it before allowing. */
const SCOPE_MEANINGS: Record<string, string> = {
  read: 'read your records, activities and tasks',
  write:
    'create and change records, log activities, set follow-ups (sensitive changes still wait for approval)',
  admin: 'manage members, tokens, policy, webhooks and billing of the workspace',
};

/** Every scope offered in at least one of the workspaces, in canonical order. */
const offeredScopes = (workspaces: WorkspaceChoice[]) =>
  ['read', 'write', 'admin'].filter((scope) => workspaces.some((ws) => ws.scopes.includes(scope)));

/**
 * The person may allow less than the app asked for: each offered scope is a ticked box, and the
 * token carries only what stays ticked (the app learns it from the token response's `scope`).
 */
const ScopeChoice: FC<{ scopes: string[] }> = (props) => (
  <fieldset>
    <legend>What it may do</legend>
    <input type="hidden" name="scopes_chosen" value="1" />
    {props.scopes.map((scope) => (
      <label class="choice">
        <input type="checkbox" name="scope" value={scope} checked /> <strong>{scope}</strong>:{' '}
        {SCOPE_MEANINGS[scope]}
      </label>
    ))}
  </fieldset>
);

export const ConsentPage: FC<{
  client: ClientView;
  request: string;
  email: string;
  workspaces: WorkspaceChoice[];
  error?: string | null;
}> = (props) => (
  <Shell title="Allow access">
    <h1>Allow {props.client.name}?</h1>
    <p>
      <strong>{props.client.name}</strong> will act in agentcrm as <strong>{props.email}</strong>, with a
      token you can see and revoke at any time (<code>GET /tokens</code>). You will be sent back to{' '}
      <strong>{props.client.redirectTarget}</strong>.
    </p>
    <Notice message={props.error} />
    <form method="post" action="/authorize">
      <Hidden request={props.request} step="consent" />
      {props.workspaces.length === 1 ? (
        <p>
          Workspace: <strong>{props.workspaces[0]!.name}</strong> ({props.workspaces[0]!.role}, access:{' '}
          {props.workspaces[0]!.scopes.join(', ')})
          <input type="hidden" name="workspace_id" value={props.workspaces[0]!.id} />
        </p>
      ) : (
        <fieldset>
          <legend>Workspace it may use</legend>
          {props.workspaces.map((workspace, index) => (
            <label class="choice">
              <input type="radio" name="workspace_id" value={workspace.id} checked={index === 0} />{' '}
              <strong>{workspace.name}</strong> ({workspace.role}, access: {workspace.scopes.join(', ')})
            </label>
          ))}
        </fieldset>
      )}
      <ScopeChoice scopes={offeredScopes(props.workspaces)} />
      <button type="submit" name="decision" value="allow">
        Allow
      </button>{' '}
      <button type="submit" name="decision" value="deny" class="secondary">
        Deny
      </button>
    </form>
  </Shell>
);

export const ErrorPage: FC<{ title: string; message: string; hint: string }> = (props) => (
  <Shell title={props.title}>
    <h1>{props.title}</h1>
    <Notice message={props.message} />
    <p>{props.hint}</p>
  </Shell>
);
