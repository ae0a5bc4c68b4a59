import type { AppError } from '../errors.js';
import type { AnyOperation } from '../operations/define.js';
import type { Services } from '../services.js';
import {
  inviteMember as inviteMemberOperation,
  listMembersOperation,
  removeMemberOperation,
  revokeInviteOperation,
  setMemberRoleOperation,
} from '../workspaces/members.operations.js';
import { form, frameOf, type HumanContext, html, performOptions, seeOther } from './context.js';
import { CsrfField, Layout, type NavKey } from './layout.js';
import { Members } from './members.view.js';
import { loadNames } from './names.js';
import type { NoticeKey } from './notices.js';
import { listData, perform } from './perform.js';
import type { Session } from './session.js';
import { StepUpPage } from './stepup.page.js';

export async function membersPage(
  c: HumanContext,
  services: Services,
  session: Session,
  extra: { notice?: string | null; error?: AppError | null; status?: number } = {},
) {
  const listed = await perform(
    services,
    session,
    listMembersOperation,
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
  operation: AnyOperation,
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
    inviteMemberOperation,
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
    setMemberRoleOperation,
    { user_id: c.req.param('user_id'), role: form(c).role ?? '' },
    'role_changed',
  );

export const removeMember = (c: HumanContext, services: Services, session: Session) =>
  act(c, services, session, removeMemberOperation, { user_id: c.req.param('user_id') }, 'member_removed');

export const withdrawInvite = (c: HumanContext, services: Services, session: Session) =>
  act(
    c,
    services,
    session,
    revokeInviteOperation,
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
