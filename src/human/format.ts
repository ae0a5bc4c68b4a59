import { CURRENCIES } from '../deals/currency.js';

/** How the console writes times, money and values: plain text; the JSX escapes it. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `1 Mar 2026, 09:05 UTC`: unambiguous for people in any locale, and stable in tests. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}, ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

export function formatDay(day: string): string {
  const [, month, date] = day.split('-');
  return `${Number(date)} ${MONTHS[Number(month) - 1] ?? ''}`;
}

export function minorDigits(currency: string | null | undefined): number {
  return currency && Object.hasOwn(CURRENCIES, currency) ? CURRENCIES[currency]! : 2;
}

/** Minor units → `USD 1,250.00` (or a plain number when the currency is unknown). */
export function formatMoney(cents: number | null | undefined, currency: string | null | undefined): string {
  if (cents === null || cents === undefined) return '—';
  const digits = minorDigits(currency);
  const amount = (cents / 10 ** digits).toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return currency ? `${currency} ${amount}` : amount;
}

/** A compact amount for chart labels: 1.2k, 3.4M. */
export function formatCompact(cents: number, currency: string | null): string {
  const value = cents / 10 ** minorDigits(currency);
  const compact = value.toLocaleString('en-US', { notation: 'compact', maximumFractionDigits: 1 });
  return currency ? `${currency} ${compact}` : compact;
}

/** A value of a diff or audit change as a person reads it. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.length ? value.join(', ') : '(none)';
  }
  return JSON.stringify(value);
}

export function truncate(value: string, max = 120): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** `contacts.update` → `Update contact`, for headings; unknown names are shown as they are. */
export function describeOperation(name: string | null): string {
  if (!name) return 'Change';
  const known: Record<string, string> = {
    'billing.request_upgrade': 'Upgrade the plan',
    'billing.set_budget': 'Set the budget',
    'contacts.propose_update': 'Update a contact',
    'humans.invite_billing_owner': 'Invite the billing owner',
    'console.accept_invite': 'Accept the billing-owner invite',
    'console.sign_in': 'Sign in to the console',
    'console.switch_workspace': 'Switch workspace in the console',
    'account.bootstrap': 'Sign up (agent)',
  };
  if (known[name]) return known[name];
  const [area, verb] = name.split('.');
  if (!area || !verb) return name;
  const noun = area.endsWith('ies') ? `${area.slice(0, -3)}y` : area.replace(/s$/, '');
  const words = verb.replace(/_/g, ' ');
  return `${words.charAt(0).toUpperCase()}${words.slice(1)} ${noun}`;
}
