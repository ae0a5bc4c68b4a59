import { AppError } from '../errors.js';
import type { Services } from '../services.js';
import {
  BulkDecision,
  type BulkResult,
  BulkResults,
  DecidedTable,
  PendingProposal,
} from './approvals.parts.js';
import { form, frameOf, type HumanContext, html, performOptions, seeOther } from './context.js';
import { GOVERNANCE, type ProposalView, toProposalView } from './governance.js';
import { ErrorNotice, type Frame, Layout, Notice, PageHead, ReadOnlyNote } from './layout.js';
import { loadNames, type Names } from './names.js';
import { listData, perform } from './perform.js';
import type { Session } from './session.js';
import { StepUpPage } from './stepup.page.js';

export async function approvalsPage(
  c: HumanContext,
  services: Services,
  session: Session,
  extra: {
    notice?: string | null;
    error?: AppError | null;
    status?: number;
    bulk?: { decision: string; results: BulkResult[] } | null;
  } = {},
) {
  const listed = await perform(services, session, GOVERNANCE.listProposals, {}, performOptions(c, services));
  const proposals = listData(listed)
    .map(toProposalView)
    .filter((p): p is ProposalView => p !== null);
  const names = await loadNames(
    services,
    session,
    proposals.flatMap((p) => [p.proposer, p.decidedBy, p.target]),
  );
  // The pending count of the tabs comes from this same list (no second call).
  const frame = { csrf: c.get('csrf'), session, pending: proposals.filter((p) => p.pending).length };
  const listError = !listed.ok && 'error' in listed ? listed.error : null;
  return html(
    c,
    <Approvals
      frame={frame}
      session={session}
      canDecide={session.isAdmin}
      proposals={proposals}
      names={names}
      notice={extra.notice ?? null}
      error={extra.error ?? listError}
      bulk={extra.bulk ?? null}
    />,
    extra.status ?? 200,
  );
}

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
  if (
    done.error.code === 'escalation_required' ||
    (fields.stepup_code && done.error.code === 'invalid_code')
  ) {
    return stepUp(
      c,
      services,
      fields,
      `/human/approvals/${encodeURIComponent(proposalId)}`,
      done.error,
      `${decision} proposal/${proposalId}`,
    );
  }
  return approvalsPage(c, services, session, { status: done.error.status, error: done.error });
}

/** The ids ticked on the approvals page: `pick.<proposal id>` checkboxes of the bulk form. */
function pickedIds(fields: Record<string, string>): string[] {
  return Object.keys(fields)
    .filter((key) => key.startsWith('pick.') && fields[key])
    .map((key) => key.slice('pick.'.length));
}

/** data.results of proposals.decide_many, read tolerantly. */
function bulkResultsOf(data: unknown): BulkResult[] {
  const results = (data as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) return [];
  return results.flatMap((raw) => {
    const r = raw as Record<string, unknown>;
    if (typeof r.id !== 'string') return [];
    const error = r.error as { code?: unknown; message?: unknown } | undefined;
    return [
      {
        id: r.id,
        status: typeof r.status === 'string' ? r.status : 'unknown',
        reasonCode: typeof r.reason_code === 'string' ? r.reason_code : null,
        error: error ? { code: String(error.code ?? ''), message: String(error.message ?? '') } : null,
      },
    ];
  });
}

/**
 * POST /human/approvals — approve or reject the ticked proposals at once (proposals.decide_many:
 * each in its own savepoint), then the page with what happened to each; step-up when asked.
 */
export async function decideSelection(c: HumanContext, services: Services, session: Session) {
  const fields = form(c);
  const decision = fields.decision === 'approve' ? 'approve' : fields.decision === 'reject' ? 'reject' : null;
  const ids = pickedIds(fields);
  if (!decision || ids.length === 0) {
    return approvalsPage(c, services, session, {
      status: 400,
      error: new AppError(
        'invalid_input',
        decision ? 'no proposal was selected' : 'choose approve or reject',
        'tick "Select" on the proposals to decide, then press "Approve selected" or "Reject selected"',
      ),
    });
  }
  const note = (fields.note ?? '').trim();
  const done = await perform(
    services,
    session,
    GOVERNANCE.decideProposals,
    { ids, decision, ...(note ? { note } : {}) },
    performOptions(c, services, fields.stepup_code || null),
  );
  if (done.ok) {
    return approvalsPage(c, services, session, {
      bulk: { decision, results: bulkResultsOf(done.result.data) },
    });
  }
  if (
    done.error.code === 'escalation_required' ||
    (fields.stepup_code && done.error.code === 'invalid_code')
  ) {
    return stepUp(
      c,
      services,
      fields,
      '/human/approvals',
      done.error,
      `${decision} ${ids.length} proposal(s)`,
    );
  }
  return approvalsPage(c, services, session, { status: done.error.status, error: done.error });
}

/** The console's step-up page for a decision: the same form again, with the emailed code. */
async function stepUp(
  c: HumanContext,
  services: Services,
  fields: Record<string, string>,
  action: string,
  error: AppError,
  what: string,
) {
  return html(
    c,
    <StepUpPage
      frame={await frameOf(c, services)}
      active="approvals"
      action={action}
      fields={fields}
      asked={error.code === 'escalation_required' ? error.message : `${what}: enter the code we emailed you`}
      cancel="/human/approvals"
      minutes={Math.round(services.config.stepUpCodeTtlSeconds / 60)}
      error={error.code === 'invalid_code' ? error : null}
    />,
    error.code === 'invalid_code' ? 400 : 200,
  );
}

function Approvals(props: {
  frame: Frame;
  session: Session;
  canDecide: boolean;
  proposals: ProposalView[];
  names: Names;
  notice: string | null;
  error: AppError | null;
  bulk: { decision: string; results: BulkResult[] } | null;
}) {
  const pending = props.proposals.filter((p) => p.pending);
  const decided = props.proposals.filter((p) => !p.pending);
  return (
    <Layout title="Approvals" frame={props.frame} active="approvals">
      <PageHead
        title="Approvals"
        lead="Changes your agents may not make alone wait here for a person: approve or reject each one, or a selection at once."
      />
      {props.notice ? <Notice kind="ok">{props.notice}</Notice> : null}
      <ErrorNotice error={props.error} />
      {props.bulk ? (
        <BulkResults
          decision={props.bulk.decision}
          results={props.bulk.results}
          proposals={props.proposals}
          names={props.names}
        />
      ) : null}
      {!props.session.isAdmin ? <ReadOnlyNote session={props.session} /> : null}
      <section aria-labelledby="pending-h">
        <h2 id="pending-h">Waiting for a decision ({pending.length})</h2>
        {pending.length === 0 ? (
          <p class="card muted">Nothing is waiting for you. New proposals appear here.</p>
        ) : (
          <>
            {props.canDecide && pending.length > 1 ? (
              <BulkDecision csrf={props.frame.csrf} count={pending.length} />
            ) : null}
            {pending.map((proposal) => (
              <PendingProposal
                proposal={proposal}
                names={props.names}
                csrf={props.frame.csrf}
                canDecide={props.canDecide}
                selectable={props.canDecide && pending.length > 1}
              />
            ))}
          </>
        )}
      </section>
      <section class="card" aria-labelledby="decided-h">
        <h2 id="decided-h">Decided</h2>
        <DecidedTable proposals={decided} names={props.names} />
      </section>
    </Layout>
  );
}
