import { type Agent, workspaceAgents } from '../agents/roster.js';
import { listTokens, revokeTokenOperation } from '../auth/tokens.operations.js';
import type { AppError } from '../errors.js';
import type { Services } from '../services.js';
import { frameOf, type HumanContext, html, performOptions, seeOther } from './context.js';
import { CsrfField, ErrorNotice, type Frame, Layout, Notice, PageHead, Time } from './layout.js';
import { loadNames, type Names } from './names.js';
import { listData, perform } from './perform.js';
import { clearCookie, SESSION_COOKIE } from './security.js';
import type { Session } from './session.js';

type Row = Record<string, unknown>;

export async function agentsPage(
  c: HumanContext,
  services: Services,
  session: Session,
  extra: { notice?: string | null; error?: AppError | null; status?: number } = {},
) {
  const [agents, listed, frame] = await Promise.all([
    workspaceAgents(services, session.workspace.id),
    // Admins see every token of the workspace (agents' too); members see their own.
    perform(services, session, listTokens, session.isAdmin ? { all: true } : {}, performOptions(c, services)),
    frameOf(c, services),
  ]);
  const tokens = listData(listed).filter((token) => token.workspace_id === session.workspace.id);
  const names = await loadNames(
    services,
    session,
    tokens.map((token) => String(token.principal ?? '')),
  );
  return html(
    c,
    <AgentsAndTokens
      frame={frame}
      session={session}
      agents={agents}
      tokens={tokens}
      names={names}
      notice={extra.notice ?? null}
      error={extra.error ?? null}
    />,
    extra.status ?? 200,
  );
}

/** POST /human/tokens/:token_id/revoke — tokens.revoke; revoking this very session signs out. */
export async function revokeToken(c: HumanContext, services: Services, session: Session) {
  const tokenId = c.req.param('token_id') ?? '';
  const done = await perform(
    services,
    session,
    revokeTokenOperation,
    { token_id: tokenId },
    performOptions(c, services),
  );
  if (!done.ok) {
    return agentsPage(c, services, session, { status: done.error.status, error: done.error });
  }
  if (tokenId === session.caller.tokenId) {
    clearCookie(c, services, SESSION_COOKIE);
    return seeOther(c, '/human', 'signed_out');
  }
  return seeOther(c, '/human/agents', 'token_revoked');
}

function AgentsAndTokens(props: {
  frame: Frame;
  session: Session;
  agents: Agent[];
  tokens: Row[];
  names: Names;
  notice: string | null;
  error: AppError | null;
}) {
  const { session } = props;
  return (
    <Layout title="Agents & tokens" frame={props.frame} active="agents">
      <PageHead
        title="Agents & tokens"
        lead="The agents that work in this workspace, and every token that can act in it."
      />
      {props.notice ? <Notice kind="ok">{props.notice}</Notice> : null}
      <ErrorNotice error={props.error} />
      <section class="card" aria-labelledby="agents-h">
        <h2 id="agents-h">Agents ({props.agents.length})</h2>
        {props.agents.length === 0 ? (
          <p class="muted">No agent works in this workspace.</p>
        ) : (
          <div class="table-wrap">
            <table class="stack">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Intended use</th>
                  <th scope="col" class="hide-sm">
                    Signed up
                  </th>
                </tr>
              </thead>
              <tbody>
                {props.agents.map((agent) => (
                  <tr>
                    <td>
                      <strong>{agent.name}</strong>
                      <div class="small mono muted">{agent.id}</div>
                    </td>
                    <td data-label="Kind">{agent.kind}</td>
                    <td data-label="Intended use">{agent.intended_use ?? <span class="muted">—</span>}</td>
                    <td class="hide-sm" data-label="Signed up">
                      <Time at={agent.created_at} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card" aria-labelledby="tokens-h">
        <h2 id="tokens-h">{session.isAdmin ? 'Tokens of this workspace' : 'Your tokens'}</h2>
        <p class="small muted">
          A token lets an agent or a person act in this workspace. Revoking it stops it at once; its owner
          signs in again for a new one. Secrets are never shown after they are issued.
        </p>
        <div class="table-wrap">
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Owner</th>
                <th scope="col">Scopes</th>
                <th scope="col">Last used</th>
                <th scope="col" class="hide-sm">
                  Expires
                </th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.tokens.map((token) => {
                const id = String(token.id ?? '');
                const current = id === session.caller.tokenId;
                return (
                  <tr>
                    <td>
                      {String(token.name ?? '')} {current ? <span class="badge ok">this session</span> : null}
                      <div class="small mono muted">{id}</div>
                    </td>
                    <td data-label="Owner">{props.names.label(String(token.principal ?? ''))}</td>
                    <td data-label="Scopes">
                      {(Array.isArray(token.scopes) ? token.scopes : []).map((scope) => (
                        <>
                          <span class="badge">{String(scope)}</span>{' '}
                        </>
                      ))}
                    </td>
                    <td data-label="Last used">
                      <Time at={String(token.last_used_at ?? '')} />
                    </td>
                    <td class="hide-sm" data-label="Expires">
                      <Time at={String(token.idle_expires_at ?? token.expires_at ?? '')} />
                    </td>
                    <td>
                      <form method="post" action={`/human/tokens/${encodeURIComponent(id)}/revoke`}>
                        <CsrfField token={props.frame.csrf} />
                        <button class="small danger" type="submit">
                          {current ? 'Sign out' : 'Revoke'}
                        </button>
                      </form>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </Layout>
  );
}
