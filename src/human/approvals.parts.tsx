import { describeOperation, formatValue } from './format.js';
import type { ProposalView } from './governance.js';
import { CsrfField, Notice, sentence, Time } from './layout.js';
import type { Names } from './names.js';

/** The pieces of the approvals page: a pending proposal with its decision form, its diff, the decided table. */

/** Proposed text values a person may replace before approving (record updates). */
const editableChanges = (p: ProposalView) =>
  p.kind && /\.(update|propose_update)$/.test(p.kind)
    ? p.changes.filter((change) => typeof change.after === 'string')
    : [];

export function PendingProposal(props: {
  proposal: ProposalView;
  names: Names;
  csrf: string;
  canDecide: boolean;
}) {
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

export function DecidedTable(props: { proposals: ProposalView[]; names: Names }) {
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
