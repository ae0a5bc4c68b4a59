import type { AppError } from '../errors.js';
import type { Services } from '../services.js';
import { form, frameOf, type HumanContext, html, performOptions, seeOther } from './context.js';
import { describeOperation, formatValue } from './format.js';
import { GOVERNANCE, has, type ProposalView, toProposalView } from './governance.js';
import {
  CsrfField,
  ErrorNotice,
  type Frame,
  Layout,
  Notice,
  PageHead,
  ReadOnlyNote,
  sentence,
  Time,
} from './layout.js';
import { loadNames, type Names } from './names.js';
import { listData, perform } from './perform.js';
import type { Session } from './session.js';
import { StepUpPage } from './stepup.page.js';

export async function approvalsPage(
  c: HumanContext,
  services: Services,
  session: Session,
  extra: { notice?: string | null; error?: AppError | null; status?: number } = {},
) {
  const available = has(GOVERNANCE.listProposals);
  const listed = available
    ? await perform(services, session, GOVERNANCE.listProposals, {}, performOptions(c, services))
    : null;
  const proposals = listed
    ? listData(listed)
        .map(toProposalView)
        .filter((p): p is ProposalView => p !== null)
    : [];
  const names = await loadNames(
    services,
    session,
    proposals.flatMap((p) => [p.proposer, p.decidedBy]),
  );
  // The pending count of the tabs comes from this same list (no second call).
  const frame = available
    ? { csrf: c.get('csrf'), session, pending: proposals.filter((p) => p.pending).length }
    : await frameOf(c, services);
  const listError = listed && !listed.ok && 'error' in listed ? listed.error : null;
  return html(
    c,
    <Approvals
      frame={frame}
      session={session}
      available={available}
      canDecide={session.isAdmin && has(GOVERNANCE.decideProposal)}
      proposals={proposals}
      names={names}
      notice={extra.notice ?? null}
      error={extra.error ?? listError}
    />,
    extra.status ?? 200,
  );
}

/** Proposed text values a person may replace before approving (record updates). */
const editableChanges = (p: ProposalView) =>
  p.kind && /\.(update|propose_update)$/.test(p.kind)
    ? p.changes.filter((change) => typeof change.after === 'string')
    : [];

/** The edits a decision form carries: `edit.<field>` inputs that were filled in. */
function editsOf(fields: Record<string, string>): Record<string, string> | null {
  const edits = Object.fromEntries(
    Object.entries(fields)
      .filter(([key, value]) => key.startsWith('edit.') && value.trim() !== '')
      .map(([key, value]) => [key.slice('edit.'.length), value.trim()]),
  );
  return Object.keys(edits).length ? edits : null;
}

/** POST /human/approvals/:id — approve (optionally with edits) or reject, with a note; step-up when asked. */
export async function decideProposal(c: HumanContext, services: Services, session: Session) {
  const fields = form(c);
  const proposalId = c.req.param('id') ?? '';
  const decision = fields.decision === 'approve' ? 'approve' : fields.decision === 'reject' ? 'reject' : null;
  if (!decision) {
    return approvalsPage(c, services, session, { status: 400, error: null, notice: null });
  }
  const note = (fields.note ?? '').trim();
  const edits = decision === 'approve' ? editsOf(fields) : null;
  const done = await perform(
    services,
    session,
    GOVERNANCE.decideProposal,
    { proposal_id: proposalId, decision, ...(note ? { note } : {}), ...(edits ? { edits } : {}) },
    performOptions(c, services, fields.stepup_code || null),
  );
  if (done.ok) return seeOther(c, '/human/approvals', decision === 'approve' ? 'approved' : 'rejected');
  if ('missing' in done) return approvalsPage(c, services, session, { status: 503 });
  if (
    done.error.code === 'escalation_required' ||
    (fields.stepup_code && done.error.code === 'invalid_code')
  ) {
    return html(
      c,
      <StepUpPage
        frame={await frameOf(c, services)}
        active="approvals"
        action={`/human/approvals/${encodeURIComponent(proposalId)}`}
        fields={fields}
        asked={
          done.error.code === 'escalation_required'
            ? done.error.message
            : `${decision} proposal/${proposalId}: enter the code we emailed you`
        }
        cancel="/human/approvals"
        minutes={Math.round(services.config.stepUpCodeTtlSeconds / 60)}
        error={done.error.code === 'invalid_code' ? done.error : null}
      />,
      done.error.code === 'invalid_code' ? 400 : 200,
    );
  }
  return approvalsPage(c, services, session, { status: done.error.status, error: done.error });
}

function Approvals(props: {
  frame: Frame;
  session: Session;
  available: boolean;
  canDecide: boolean;
  proposals: ProposalView[];
  names: Names;
  notice: string | null;
  error: AppError | null;
}) {
  const pending = props.proposals.filter((p) => p.pending);
  const decided = props.proposals.filter((p) => !p.pending);
  return (
    <Layout title="Approvals" frame={props.frame} active="approvals">
      <PageHead
        title="Approvals"
        lead="Changes your agents may not make alone wait here for a person: approve or reject each one."
      />
      {props.notice ? <Notice kind="ok">{props.notice}</Notice> : null}
      <ErrorNotice error={props.error} />
      {!props.available ? (
        <Notice kind="info" title="Approvals arrive with the governance release">
          <p>
            When your workspace's policy asks for approval (a sensitive contact field, a bulk change, an
            upgrade to production), the agent's proposal will appear here for you to approve or reject.
          </p>
        </Notice>
      ) : (
        <>
          {!props.session.isAdmin ? <ReadOnlyNote session={props.session} /> : null}
          <section aria-labelledby="pending-h">
            <h2 id="pending-h">Waiting for a decision ({pending.length})</h2>
            {pending.length === 0 ? (
              <p class="card muted">Nothing is waiting for you. New proposals appear here.</p>
            ) : (
              pending.map((proposal) => (
                <PendingProposal
                  proposal={proposal}
                  names={props.names}
                  csrf={props.frame.csrf}
                  canDecide={props.canDecide}
                />
              ))
            )}
          </section>
          <section class="card" aria-labelledby="decided-h">
            <h2 id="decided-h">Decided</h2>
            <DecidedTable proposals={decided} names={props.names} />
          </section>
        </>
      )}
    </Layout>
  );
}

function PendingProposal(props: { proposal: ProposalView; names: Names; csrf: string; canDecide: boolean }) {
  const p = props.proposal;
  const headingId = `proposal-${p.id}`;
  return (
    <article class={`card proposal${p.targetChanged ? ' stale' : ''}`} aria-labelledby={headingId}>
      <header>
        <h3 id={headingId}>
          {describeOperation(p.kind)}
          {p.target ? (
            <>
              {' '}
              <code>{p.target}</code>
            </>
          ) : null}
        </h3>
        <span class="meta">
          proposed by {props.names.label(p.proposer)} · <Time at={p.createdAt} />
        </span>
      </header>
      {p.targetChanged ? (
        <Notice kind="warn" title="The record changed since this was proposed">
          <p>The "before" values below may no longer be current. Check the record before you approve.</p>
        </Notice>
      ) : null}
      <p>
        {p.reasonCode ? <code class="badge">{p.reasonCode}</code> : null}{' '}
        {p.explanation ? sentence(p.explanation) : null}
      </p>
      {p.reason ? (
        <p class="small">
          <strong>The agent says:</strong> {p.reason}
        </p>
      ) : null}
      <Diff proposal={p} />
      {props.canDecide ? (
        <form method="post" action={`/human/approvals/${encodeURIComponent(p.id)}`}>
          <CsrfField token={props.csrf} />
          {editableChanges(p).map((change) => (
            <div class="field">
              <label for={`edit-${p.id}-${change.field}`}>
                Approve with <span class="mono">{change.field}</span> ={' '}
                <span class="help">(optional: replaces the proposed value)</span>
              </label>
              <input
                id={`edit-${p.id}-${change.field}`}
                name={`edit.${change.field}`}
                type="text"
                maxlength={1000}
                placeholder={String(change.after)}
              />
            </div>
          ))}
          <div class="field">
            <label for={`note-${p.id}`}>
              Note to the agent <span class="help">(optional; for a rejection, the reason it reads)</span>
            </label>
            <textarea id={`note-${p.id}`} name="note" maxlength={1000} />
          </div>
          <div class="actions">
            <button class="approve" type="submit" name="decision" value="approve">
              Approve
            </button>
            <button class="danger" type="submit" name="decision" value="reject">
              Reject
            </button>
            <span class="muted small mono">{p.handle}</span>
          </div>
        </form>
      ) : (
        <p class="muted small">Only admins and the billing owner decide. ({p.handle})</p>
      )}
    </article>
  );
}

function Diff(props: { proposal: ProposalView }) {
  const { changes } = props.proposal;
  if (changes.length === 0) return null;
  return (
    <div class="table-wrap">
      <table class="diff">
        <caption class="visually-hidden">Proposed changes, field by field</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Before</th>
            <th scope="col">
              <span class="visually-hidden">becomes</span>
            </th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((change) => (
            <tr>
              <th scope="row" class="mono">
                {change.field}
              </th>
              <td class="before break">
                {change.before === undefined ? (
                  <span class="muted">(not shown)</span>
                ) : (
                  formatValue(change.before)
                )}
              </td>
              <td class="arrow" aria-hidden="true">
                →
              </td>
              <td class="after break">{formatValue(change.after)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const STATUS_BADGE: Record<string, string> = {
  approved: 'ok',
  applied: 'ok',
  rejected: 'bad',
  denied: 'bad',
  failed: 'bad',
  expired: 'warn',
  cancelled: 'warn',
};

function DecidedTable(props: { proposals: ProposalView[]; names: Names }) {
  if (props.proposals.length === 0) return <p class="muted">No decisions yet.</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Proposal</th>
            <th scope="col">Status</th>
            <th scope="col">Decided by</th>
            <th scope="col">When</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {props.proposals.map((p) => (
            <tr>
              <td>
                {describeOperation(p.kind)} {p.target ? <code>{p.target}</code> : null}
                <br />
                <span class="small muted">by {props.names.label(p.proposer)}</span>
              </td>
              <td>
                <span class={`badge ${STATUS_BADGE[p.status] ?? ''}`}>{p.status}</span>
              </td>
              <td>{p.decidedBy ? props.names.label(p.decidedBy) : <span class="muted">—</span>}</td>
              <td>
                <Time at={p.decidedAt} />
              </td>
              <td class="break">{p.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
