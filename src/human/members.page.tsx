import type { AppError } from '../errors.js';
import type { Services } from '../services.js';
import { form, frameOf, type HumanContext, html, performOptions, seeOther } from './context.js';
import {
  CsrfField,
  ErrorNotice,
  type Frame,
  Layout,
  type NavKey,
  Notice,
  PageHead,
  ReadOnlyNote,
  Time,
} from './layout.js';
import { loadNames, type Names } from './names.js';
import type { NoticeKey } from './notices.js';
import { listData, perform } from './perform.js';
import type { Session } from './session.js';
import { StepUpPage } from './stepup.page.js';

type Row = Record<string, unknown>;

export async function membersPage(
  c: HumanContext,
  services: Services,
  session: Session,
  extra: { notice?: string | null; error?: AppError | null; status?: number } = {},
) {
  const listed = await perform(
    services,
    session,
    'members.list',
    { workspace_id: session.workspace.id },
    performOptions(c, services),
  );
  const rows = listData(listed);
  const members = rows.filter((row) => String(row.handle ?? '').startsWith('user/'));
  const invites = rows.filter((row) => String(row.handle ?? '').startsWith('invite/'));
  const names = await loadNames(
    services,
    session,
    invites.map((invite) => String(invite.invited_by ?? '')),
  );
  const frame = await frameOf(c, services);
  return html(
    c,
    <Members
      frame={frame}
      session={session}
      members={members}
      invites={invites}
      names={names}
      notice={extra.notice ?? null}
      error={extra.error ?? null}
    />,
    extra.status ?? 200,
  );
}

/**
 * Runs a members.* operation for a form and answers as the pages do: a redirect with a notice on
 * success, the code page when step-up is asked, the members page with the refusal otherwise.
 */
async function act(
  c: HumanContext,
  services: Services,
  session: Session,
  operation: string,
  input: Record<string, unknown>,
  done: NoticeKey,
) {
  const fields = form(c);
  const result = await perform(
    services,
    session,
    operation,
    { workspace_id: session.workspace.id, ...input },
    performOptions(c, services, fields.stepup_code || null),
  );
  if (result.ok) return seeOther(c, '/human/members', done);
  if ('missing' in result) return membersPage(c, services, session, { status: 503 });
  const { error } = result;
  if (error.code === 'escalation_required' || (fields.stepup_code && error.code === 'invalid_code')) {
    return stepUp(c, services, 'members', c.req.path, fields, error);
  }
  return membersPage(c, services, session, { status: error.status, error });
}

export async function stepUp(
  c: HumanContext,
  services: Services,
  active: NavKey,
  action: string,
  fields: Record<string, string>,
  error: AppError,
) {
  const asked = error.code === 'escalation_required' ? error.message : 'enter the code we emailed you';
  return html(
    c,
    <StepUpPage
      frame={await frameOf(c, services)}
      active={active}
      action={action}
      fields={fields}
      asked={asked}
      cancel={`/human/${active}`}
      minutes={Math.round(services.config.stepUpCodeTtlSeconds / 60)}
      error={error.code === 'invalid_code' ? error : null}
    />,
    error.code === 'invalid_code' ? 400 : 200,
  );
}

export const inviteMember = (c: HumanContext, services: Services, session: Session) => {
  const fields = form(c);
  const name = (fields.name ?? '').trim();
  return act(
    c,
    services,
    session,
    'members.invite',
    {
      email: fields.email ?? '',
      role: fields.role === 'admin' ? 'admin' : 'member',
      ...(name ? { name } : {}),
    },
    'invite_sent',
  );
};

export const changeRole = (c: HumanContext, services: Services, session: Session) =>
  act(
    c,
    services,
    session,
    'members.set_role',
    { user_id: c.req.param('user_id'), role: form(c).role ?? '' },
    'role_changed',
  );

export const removeMember = (c: HumanContext, services: Services, session: Session) =>
  act(c, services, session, 'members.remove', { user_id: c.req.param('user_id') }, 'member_removed');

export const withdrawInvite = (c: HumanContext, services: Services, session: Session) =>
  act(
    c,
    services,
    session,
    'members.revoke_invite',
    { invite_id: c.req.param('invite_id') },
    'invite_withdrawn',
  );

/** GET /human/members/:user_id/remove — a confirmation page, so a removal is never one stray click. */
export async function confirmRemovePage(c: HumanContext, services: Services, session: Session) {
  const userId = c.req.param('user_id') ?? '';
  const names = await loadNames(services, session, [userId]);
  const frame = await frameOf(c, services);
  return html(
    c,
    <Layout title="Remove a member" frame={frame} active="members" narrow>
      <div class="card">
        <h1>Remove {names.label(userId)}?</h1>
        <p>
          They lose access to <strong>{session.workspace.name}</strong> at once, and every session they hold
          for it ends. You can invite them again later.
        </p>
        <form method="post" action={`/human/members/${encodeURIComponent(userId)}/remove`}>
          <CsrfField token={frame.csrf} />
          <div class="actions">
            <button class="danger" type="submit">
              Remove from workspace
            </button>
            <a href="/human/members">Cancel</a>
          </div>
        </form>
      </div>
    </Layout>,
  );
}

function Members(props: {
  frame: Frame;
  session: Session;
  members: Row[];
  invites: Row[];
  names: Names;
  notice: string | null;
  error: AppError | null;
}) {
  const admin = props.session.isAdmin;
  const csrf = props.frame.csrf;
  return (
    <Layout title="Members" frame={props.frame} active="members">
      <PageHead
        title="Members"
        lead="The people who can see this workspace, and the invites waiting for an answer."
      />
      {props.notice ? <Notice kind="ok">{props.notice}</Notice> : null}
      <ErrorNotice error={props.error} />
      {!admin ? <ReadOnlyNote session={props.session} /> : null}
      <section class="card" aria-labelledby="members-h">
        <h2 id="members-h">People ({props.members.length})</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Role</th>
                <th scope="col" class="hide-sm">
                  Joined
                </th>
                {admin ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {props.members.map((member) => {
                const id = String(member.id ?? '');
                const isSelf = id === props.session.user.id;
                return (
                  <tr>
                    <td>
                      {member.name ? <strong>{String(member.name)}</strong> : null}
                      {member.name ? <br /> : null}
                      {String(member.email ?? '')} {isSelf ? <span class="badge">you</span> : null}
                    </td>
                    <td>
                      <span class={`badge ${member.role === 'admin' ? 'brand' : ''}`}>
                        {String(member.role)}
                      </span>{' '}
                      {member.billing_owner ? <span class="badge ok">billing owner</span> : null}
                    </td>
                    <td class="hide-sm">
                      <Time at={String(member.joined_at ?? '')} />
                    </td>
                    {admin ? (
                      <td>
                        {member.billing_owner ? (
                          <span class="muted small">The billing owner stays an admin.</span>
                        ) : (
                          <div class="actions">
                            <form
                              method="post"
                              action={`/human/members/${encodeURIComponent(id)}/role`}
                              class="inline"
                            >
                              <CsrfField token={csrf} />
                              <label class="visually-hidden" for={`role-${id}`}>
                                Role of {String(member.email ?? '')}
                              </label>
                              <select id={`role-${id}`} name="role">
                                <option value="member" selected={member.role === 'member'}>
                                  member
                                </option>
                                <option value="admin" selected={member.role === 'admin'}>
                                  admin
                                </option>
                              </select>
                              <button class="small secondary" type="submit">
                                Change role
                              </button>
                            </form>
                            <a
                              class="button small secondary"
                              href={`/human/members/${encodeURIComponent(id)}/remove`}
                            >
                              Remove…
                            </a>
                          </div>
                        )}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
      <section class="card" aria-labelledby="invites-h">
        <h2 id="invites-h">Pending invites ({props.invites.length})</h2>
        {props.invites.length === 0 ? (
          <p class="muted">No invites are waiting.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Invited by</th>
                  <th scope="col">Expires</th>
                  {admin ? <th scope="col">Actions</th> : null}
                </tr>
              </thead>
              <tbody>
                {props.invites.map((invite) => (
                  <tr>
                    <td>{String(invite.email ?? '')}</td>
                    <td>
                      {String(invite.role ?? '')}
                      {invite.kind === 'billing_owner' ? <span class="badge ok">billing owner</span> : null}
                    </td>
                    <td>{props.names.label(String(invite.invited_by ?? ''))}</td>
                    <td>
                      <Time at={String(invite.expires_at ?? '')} />
                    </td>
                    {admin ? (
                      <td>
                        <form
                          method="post"
                          action={`/human/members/invites/${encodeURIComponent(String(invite.id ?? ''))}/withdraw`}
                        >
                          <CsrfField token={csrf} />
                          <button class="small danger" type="submit">
                            Withdraw
                          </button>
                        </form>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {admin ? (
        <section class="card" aria-labelledby="invite-h">
          <h2 id="invite-h">Invite someone</h2>
          <p class="small muted">
            They are emailed instructions and join the next time they sign in with that address. Inviting an
            admin asks you for an emailed code first.
          </p>
          <form method="post" action="/human/members/invite">
            <CsrfField token={csrf} />
            <div class="inline">
              <div class="field">
                <label for="invite-email">Email</label>
                <input id="invite-email" name="email" type="email" autocomplete="off" required />
              </div>
              <div class="field">
                <label for="invite-name">
                  Name <span class="help">(optional)</span>
                </label>
                <input id="invite-name" name="name" type="text" autocomplete="off" maxlength={200} />
              </div>
              <div class="field">
                <label for="invite-role">Role</label>
                <select id="invite-role" name="role">
                  <option value="member">member</option>
                  <option value="admin">admin</option>
                </select>
              </div>
              <div class="field">
                <button type="submit">Send invite</button>
              </div>
            </div>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}
