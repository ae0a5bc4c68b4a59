import { describeOperation, formatValue } from './format.js';
import type { ProposalView } from './governance.js';
import { CsrfField, Notice, sentence, Time } from './layout.js';
import type { Names } from './names.js';
import { RecordRef } from './record-ref.js';

/** The pieces of the approvals page: a pending proposal with its decision form, its diff, the decided table. */

/** Proposed text values a person may replace before approving (record updates). */
const editableChanges = (p: ProposalView) =>
  p.kind && /\.(update|propose_update)$/.test(p.kind)
    ? p.changes.filter((change) => typeof change.after === 'string')
    : [];

/** The form the selection checkboxes belong to (they sit in each proposal, outside its own form). */
export const BULK_FORM = 'bulk-decide';

/** What a proposal is about, in words: "Update contact Ada Lovelace (contact)". */
export function ProposalTitle(props: { proposal: ProposalView; names: Names }) {
  const p = props.proposal;
  return (
    <>
      {describeOperation(p.kind)}
      {p.target ? (
        <>
          {' '}
          <RecordRef handle={p.target} names={props.names} />
        </>
      ) : null}
    </>
  );
}

export function PendingProposal(props: {
  proposal: ProposalView;
  names: Names;
  csrf: string;
  canDecide: boolean;
  /** A "Select" checkbox for the bulk form (when more than one waits). */
  selectable?: boolean;
}) {
  const p = props.proposal;
  const headingId = `proposal-${p.id}`;
  return (
    <article class={`card proposal${p.targetChanged ? ' stale' : ''}`} aria-labelledby={headingId}>
      <header>
        <h3 id={headingId}>
          <ProposalTitle proposal={p} names={props.names} />
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
            {props.selectable ? (
              <label class="pick">
                <input type="checkbox" form={BULK_FORM} name={`pick.${p.id}`} value="1" /> Select
              </label>
            ) : null}
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
  stale: 'warn',
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
                <ProposalTitle proposal={p} names={props.names} />
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

/**
 * Deciding a selection at once: the checkboxes of the pending proposals belong to this form
 * (`form` attribute), so no script is needed; proposals.decide_many decides each on its own.
 */
export function BulkDecision(props: { csrf: string; count: number }) {
  return (
    <form id={BULK_FORM} class="card bulk" method="post" action="/human/approvals">
      <CsrfField token={props.csrf} />
      <h3>Decide a selection</h3>
      <p class="small muted">
        Tick "Select" on the proposals below ({props.count} waiting), then approve or reject them together.
        Each is decided on its own: one that cannot be applied does not stop the others.
      </p>
      <div class="field">
        <label for="bulk-note">
          Note to the agents <span class="help">(optional; for a rejection, the reason they read)</span>
        </label>
        <textarea id="bulk-note" name="note" maxlength={1000} />
      </div>
      <div class="actions">
        <button class="approve" type="submit" name="decision" value="approve">
          Approve selected
        </button>
        <button class="danger" type="submit" name="decision" value="reject">
          Reject selected
        </button>
      </div>
    </form>
  );
}

/** One line of a bundle's answer (data.results of proposals.decide_many). */
export interface BulkResult {
  id: string;
  status: string;
  reasonCode: string | null;
  error: { code: string; message: string } | null;
}

/** What happened to each proposal of a selection, by the record it was about. */
export function BulkResults(props: {
  decision: string;
  results: BulkResult[];
  proposals: ProposalView[];
  names: Names;
}) {
  const byId = new Map(props.proposals.map((p) => [p.id, p]));
  const failed = props.results.filter(
    (r) => r.error || !['applied', 'approved', 'rejected'].includes(r.status),
  );
  return (
    <Notice
      kind={failed.length ? 'warn' : 'ok'}
      title={`${props.decision === 'approve' ? 'Approved' : 'Rejected'} ${props.results.length - failed.length} of ${props.results.length} selected`}
    >
      <ul class="plain bulk-results">
        {props.results.map((result) => {
          const p = byId.get(result.id);
          return (
            <li>
              <span class={`badge ${result.error ? 'bad' : (STATUS_BADGE[result.status] ?? '')}`}>
                {result.error ? 'not decided' : result.status}
              </span>{' '}
              {p ? <ProposalTitle proposal={p} names={props.names} /> : <code>proposal/{result.id}</code>}
              {result.error ? (
                <span class="small"> — {sentence(result.error.message)}</span>
              ) : result.status === 'stale' ? (
                <span class="small"> — the record changed since the proposal; nothing was overwritten.</span>
              ) : result.status === 'failed' ? (
                <span class="small"> — it could not be applied; see the decided list.</span>
              ) : null}
            </li>
          );
        })}
      </ul>
    </Notice>
  );
}
