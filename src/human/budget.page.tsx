import { AppError } from '../errors.js';
import type { Services } from '../services.js';
import { type UsageLine, workspaceUsage } from '../workspaces/overview.js';
import { form, frameOf, type HumanContext, html, performOptions, seeOther } from './context.js';
import { minorDigits } from './format.js';
import { type BudgetView, GOVERNANCE } from './governance.js';
import { CsrfField, ErrorNotice, type Frame, Layout, Notice, PageHead, ReadOnlyNote } from './layout.js';
import { Budget, loadBudget, PlanUsage } from './overview.page.js';
import { perform } from './perform.js';
import type { Session } from './session.js';

const COMMON_CURRENCIES = [
  'USD',
  'EUR',
  'GBP',
  'CAD',
  'AUD',
  'CHF',
  'JPY',
  'SEK',
  'NOK',
  'DKK',
  'INR',
  'BRL',
];

export async function budgetPage(
  c: HumanContext,
  services: Services,
  session: Session,
  extra: {
    notice?: string | null;
    error?: AppError | null;
    status?: number;
    amount?: string;
    currency?: string;
  } = {},
) {
  const [budget, usage, frame] = await Promise.all([
    loadBudget(c, services, session),
    workspaceUsage(services, session.workspace, session.user.id, services.clock.now().toISOString()),
    frameOf(c, services),
  ]);
  return html(
    c,
    <BudgetSettings
      frame={frame}
      session={session}
      budget={budget}
      usage={usage}
      welcome={c.req.query('notice') === 'welcome' || c.req.query('welcome') === '1'}
      notice={extra.notice ?? null}
      error={extra.error ?? null}
      amount={extra.amount}
      currency={extra.currency}
    />,
    extra.status ?? 200,
  );
}

/** "50", "50.5", "1,250.00" → minor units of the currency, or null when it is not an amount. */
export function parseAmount(text: string, currency: string): number | null {
  const digits = minorDigits(currency);
  const cleaned = text.trim().replace(/,/g, '');
  const pattern = digits > 0 ? new RegExp(`^\\d{1,12}(\\.\\d{1,${digits}})?$`) : /^\d{1,15}$/;
  if (!pattern.test(cleaned)) return null;
  const [whole, fraction = ''] = cleaned.split('.');
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/** POST /human/budget — billing.set_budget {monthly_budget_cents, currency}. */
export async function saveBudget(c: HumanContext, services: Services, session: Session) {
  const fields = form(c);
  const currency = (fields.currency ?? '').trim().toUpperCase();
  const amount = fields.amount ?? '';
  const cents = /^[A-Z]{3}$/.test(currency) ? parseAmount(amount, currency) : null;
  if (cents === null) {
    const error = new AppError(
      'invalid_input',
      'enter the budget as an amount such as 50 or 49.99, and a three-letter currency such as USD',
      'correct the form',
    );
    return budgetPage(c, services, session, { status: 400, error, amount, currency });
  }
  const done = await perform(
    services,
    session,
    GOVERNANCE.setBudget,
    { monthly_budget_cents: cents, currency },
    performOptions(c, services, fields.stepup_code || null),
  );
  if (done.ok) {
    return fields.onboarding === '1'
      ? seeOther(c, '/human/approvals', 'budget_saved')
      : seeOther(c, '/human/budget', 'budget_saved');
  }
  return budgetPage(c, services, session, { status: done.error.status, error: done.error, amount, currency });
}

function BudgetSettings(props: {
  frame: Frame;
  session: Session;
  budget: BudgetView | null;
  usage: UsageLine[];
  welcome: boolean;
  notice: string | null;
  error: AppError | null;
  amount?: string | undefined;
  currency?: string | undefined;
}) {
  const { budget, session } = props;
  const digits = minorDigits(budget?.currency ?? 'USD');
  const current =
    budget?.monthlyBudgetCents != null ? (budget.monthlyBudgetCents / 10 ** digits).toFixed(digits) : '';
  return (
    <Layout title="Plan & budget" frame={props.frame} active="budget">
      <PageHead
        title="Plan & budget"
        lead="What this workspace may spend each month, and what its plan allows."
      />
      {props.welcome ? (
        <Notice kind="ok" title="Welcome! You are now the billing owner and an admin of this workspace.">
          <p>
            Next, set a monthly budget your agents must stay within. Then review what they are waiting for in
            Approvals.
          </p>
        </Notice>
      ) : null}
      {props.notice && !props.welcome ? <Notice kind="ok">{props.notice}</Notice> : null}
      <ErrorNotice error={props.error} />
      <section class="card" aria-labelledby="budget-h">
        <h2 id="budget-h">Monthly budget</h2>
        <Budget budget={budget} />
        {session.isAdmin ? (
          <form method="post" action="/human/budget">
            <CsrfField token={props.frame.csrf} />
            {props.welcome ? <input type="hidden" name="onboarding" value="1" /> : null}
            <div class="inline">
              <div class="field">
                <label for="amount">Amount per month</label>
                <input
                  id="amount"
                  name="amount"
                  type="text"
                  inputmode="decimal"
                  autocomplete="off"
                  required
                  placeholder="e.g. 50"
                  value={props.amount ?? current}
                />
              </div>
              <div class="field">
                <label for="currency">Currency</label>
                <input
                  id="currency"
                  name="currency"
                  type="text"
                  list="currencies"
                  maxlength={3}
                  required
                  value={props.currency ?? budget?.currency ?? 'USD'}
                />
                <datalist id="currencies">
                  {COMMON_CURRENCIES.map((code) => (
                    <option value={code} />
                  ))}
                </datalist>
              </div>
              <div class="field">
                <button type="submit">
                  {budget?.monthlyBudgetCents != null ? 'Save budget' : 'Set budget'}
                </button>
              </div>
            </div>
          </form>
        ) : (
          <ReadOnlyNote session={props.session} />
        )}
      </section>
      <section class="card" aria-labelledby="plan-h">
        <h2 id="plan-h">Plan and usage</h2>
        <PlanUsage plan={session.workspace.plan} usage={props.usage} />
        {session.workspace.plan === 'sandbox' ? (
          <p class="small">
            To move to production, your agent asks for it (<code>billing.request_upgrade</code>) and you
            approve the request in <a href="/human/approvals">Approvals</a>.
          </p>
        ) : null}
      </section>
    </Layout>
  );
}
