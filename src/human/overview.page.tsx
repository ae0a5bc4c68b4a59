import { listReminders } from '../reminders/reminders.operations.js';
import type { Services } from '../services.js';
import {
  type DayCount,
  type RecordCounts,
  type StageValue,
  type UsageLine,
  workspaceOverview,
  workspaceUsage,
} from '../workspaces/overview.js';
import { DailyBars, PipelineChart } from './charts.js';
import { frameOf, type HumanContext, html, performOptions } from './context.js';
import { formatMoney } from './format.js';
import { type BudgetView, GOVERNANCE, toBudgetView } from './governance.js';
import { type Frame, Layout, Notice, PageHead, Time } from './layout.js';
import { listData, perform, recordData } from './perform.js';
import type { Session } from './session.js';

const DAY_MS = 86_400_000;

/** The budget, from billing.get. */
export async function loadBudget(
  c: HumanContext,
  services: Services,
  session: Session,
): Promise<BudgetView | null> {
  const options = performOptions(c, services);
  return toBudgetView(recordData(await perform(services, session, GOVERNANCE.getBudget, {}, options)));
}

export async function overviewPage(
  c: HumanContext,
  services: Services,
  session: Session,
  notice: string | null,
) {
  const now = services.clock.now();
  const nowIso = now.toISOString();
  const since = new Date(Date.parse(`${nowIso.slice(0, 10)}T00:00:00.000Z`) - 29 * DAY_MS).toISOString();
  const [overview, usage, reminders, budget, frame] = await Promise.all([
    workspaceOverview(services, session.workspace.id, { since, until: nowIso }),
    workspaceUsage(services, session.workspace, session.user.id, nowIso),
    perform(services, session, listReminders, { limit: 8 }, performOptions(c, services)),
    loadBudget(c, services, session),
    frameOf(c, services),
  ]);
  return html(
    c,
    <Overview
      frame={frame}
      session={session}
      notice={notice}
      counts={overview.counts}
      pipeline={overview.pipeline}
      activities={overview.activities}
      changes={overview.changes}
      usage={usage}
      reminders={listData(reminders)}
      budget={budget}
      now={nowIso}
    />,
  );
}

function Overview(props: {
  frame: Frame;
  session: Session;
  notice: string | null;
  counts: RecordCounts;
  pipeline: StageValue[];
  activities: DayCount[];
  changes: DayCount[];
  usage: UsageLine[];
  reminders: Record<string, unknown>[];
  budget: BudgetView | null;
  now: string;
}) {
  const { counts, session } = props;
  const pending = props.frame.pending;
  return (
    <Layout title="Overview" frame={props.frame} active="overview">
      <PageHead title="Overview" lead={`What your agents keep in ${session.workspace.name}, at a glance.`} />
      {props.notice ? <Notice kind="ok">{props.notice}</Notice> : null}
      {pending ? (
        <Notice
          kind="warn"
          title={`${pending} proposal${pending === 1 ? '' : 's'} waiting for your decision`}
        >
          <p>
            <a href="/human/approvals">Review them in Approvals</a>.
          </p>
        </Notice>
      ) : null}
      <div class="stats">
        <Stat label="Contacts" value={counts.contacts} />
        <Stat label="Companies" value={counts.companies} />
        <Stat label="Open deals" value={counts.openDeals} />
        <Stat label="Open tasks" value={counts.openTasks} />
      </div>
      <div class="grid">
        <section class="card" aria-labelledby="pipeline-h">
          <h2 id="pipeline-h">Open pipeline by stage</h2>
          <PipelineChart id="pipeline" rows={props.pipeline} />
        </section>
        <section class="card" aria-labelledby="activity-h">
          <h2 id="activity-h">Activities logged, last 30 days</h2>
          <DailyBars
            id="activity"
            title="Activities logged per day"
            days={props.activities}
            until={props.now}
          />
        </section>
      </div>
      <div class="grid">
        <section class="card" aria-labelledby="due-h">
          <h2 id="due-h">Due now</h2>
          <Reminders items={props.reminders} />
        </section>
        <section class="card" aria-labelledby="changes-h">
          <h2 id="changes-h">Changes recorded, last 30 days</h2>
          <DailyBars id="changes" title="Audited changes per day" days={props.changes} until={props.now} />
          <p class="small">
            <a href="/human/activity">See the last day's changes</a> · <a href="/human/audit">Audit log</a>
          </p>
        </section>
      </div>
      <section class="card" aria-labelledby="plan-h">
        <h2 id="plan-h">Plan and budget</h2>
        <div class="grid">
          <PlanUsage plan={session.workspace.plan} usage={props.usage} />
          <div>
            <h3>Monthly budget</h3>
            <Budget budget={props.budget} />
            <p class="small">
              <a href="/human/budget">Plan &amp; budget settings</a>
            </p>
          </div>
        </div>
      </section>
    </Layout>
  );
}

function Stat(props: { label: string; value: number }) {
  return (
    <div class="stat">
      <span class="label">{props.label}</span>
      <span class="value">{props.value.toLocaleString('en-US')}</span>
    </div>
  );
}

function Reminders(props: { items: Record<string, unknown>[] }) {
  if (props.items.length === 0) return <p class="muted">Nothing is due. Follow-ups and tasks appear here.</p>;
  return (
    <ul class="plain">
      {props.items.map((item) => {
        const handle = String(item.handle ?? '');
        const label = String(item.name ?? item.title ?? item.email ?? handle);
        const note = item.follow_up_note ?? null;
        return (
          <li>
            <span class="badge">{handle.split('/')[0]}</span> <strong>{label}</strong>{' '}
            {item.overdue ? <span class="badge bad">overdue</span> : null}
            <br />
            <span class="small muted">
              due <Time at={String(item.due ?? '')} />
              {note ? ` · ${String(note)}` : ''}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

export function PlanUsage(props: { plan: string; usage: UsageLine[] }) {
  return (
    <div>
      <p>
        Plan: <span class="badge brand">{props.plan}</span>
      </p>
      <table>
        <caption class="visually-hidden">Usage against the plan's caps</caption>
        <thead>
          <tr>
            <th scope="col">Resource</th>
            <th scope="col">Used of the plan's cap</th>
          </tr>
        </thead>
        <tbody>
          {props.usage.map((line) => (
            <tr>
              <td>{line.resource}</td>
              <td>
                <div class="usage">
                  <meter
                    min="0"
                    max={line.cap}
                    value={line.used}
                    low={Math.round(line.cap * 0.7)}
                    high={Math.round(line.cap * 0.9)}
                    optimum={0}
                    aria-hidden="true"
                  />
                  <span>
                    {line.used.toLocaleString('en-US')} / {line.cap.toLocaleString('en-US')}
                  </span>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Budget(props: { budget: BudgetView | null }) {
  const { budget } = props;
  if (!budget || budget.monthlyBudgetCents === null) return <p>No budget is set yet.</p>;
  return (
    <dl class="pairs">
      <dt>Budget</dt>
      <dd>{formatMoney(budget.monthlyBudgetCents, budget.currency)} per month</dd>
      {budget.spentCents !== null ? (
        <>
          <dt>Spent this month</dt>
          <dd>{formatMoney(budget.spentCents, budget.currency)}</dd>
        </>
      ) : null}
    </dl>
  );
}
