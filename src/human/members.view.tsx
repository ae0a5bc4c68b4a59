import type { AppError } from '../errors.js';
import {
  CsrfField,
  ErrorNotice,
  type Frame,
  Layout,
  Notice,
  PageHead,
  ReadOnlyNote,
  Time,
} from './layout.js';
import type { Names } from './names.js';
import type { Session } from './session.js';

type Row = Record<string, unknown>;

/** The members page: people with their roles, pending invites, and (for admins) the invite form. */
export function Members(props: {
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
