import { CURRENCIES } from '../deals/currency.js';
import type { Database } from '../store/schema.js';
import { type Random, seededRandom } from './random.js';
import * as w from './words.js';

export type SeedTable = 'companies' | 'contacts' | 'deals' | 'activities';
export type SeedRow<T extends SeedTable> = Omit<Database[T], 'workspace_id'>;

export interface SeedCounts {
  companies: number;
  contacts: number;
  deals: number;
  activities: number;
}

export interface SeedOptions extends SeedCounts {
  /** Same seed, same counts and same `now` → the same rows, ids included. */
  seed: number;
  /** The moment the data set is built around: created_at in the 2 years before, activities in the 90 days before. */
  now: Date;
  /** Who logged the activities (an agent of the workspace). */
  createdBy: string;
}

/** One table's rows, produced in batches, in the order they must be inserted (references first). */
interface SeedPhase<T extends SeedTable = SeedTable> {
  table: T;
  total: number;
  batches(size: number): Generator<SeedRow<T>[]>;
}

const DAY = 86_400_000;
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function base32(value: number, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/** The same shape as the server's ids (time-ordered, prefixed), but drawn from the seed. */
const seededId = (prefix: string, atMs: number, random: Random) =>
  `${prefix}_${base32(atMs, 9)}${base32(random.bits35(), 7)}`;

const iso = (ms: number) => new Date(ms).toISOString();
const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Hands out `base`, `base2`, `base3`, … (before `after`) so generated emails and domains stay unique. */
function uniquer() {
  const seen = new Map<string, number>();
  return (base: string, after = '') => {
    const key = base + after;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? key : `${base}${n}${after}`;
  };
}

/**
 * The i-th of `total` moments spread evenly over the `days` before `now`, with jitter that keeps
 * them in order: records are created over time, and ids (which begin with their creation time)
 * then arrive in key order, which keeps bulk inserts append-mostly.
 */
const spread = (now: number, days: number, i: number, total: number, r: Random) =>
  Math.floor(now - days * DAY + ((i + r.next()) * days * DAY) / Math.max(total, 1));

function* inBatches<T>(total: number, size: number, make: (index: number) => T): Generator<T[]> {
  for (let start = 0; start < total; start += size) {
    const batch: T[] = [];
    for (let i = start; i < Math.min(total, start + size); i++) batch.push(make(i));
    yield batch;
  }
}

/**
 * The seed data set as four phases — companies, contacts, deals, activities — each with its own
 * random stream, so changing one count leaves the other tables' rows as they were (as far as they
 * do not refer to the changed one). Phases must run in order: later ones refer to earlier rows.
 */
export function seedPhases(options: SeedOptions): SeedPhase[] {
  const now = options.now.getTime();
  const companyIds: string[] = [];
  const companyDomains: string[] = [];
  const companyNames: string[] = [];
  const contactIds: string[] = [];
  const contactCompany: number[] = [];
  const contactLastNames: string[] = [];
  const dealIds: string[] = [];
  const dealContact: number[] = [];

  const companies: SeedPhase<'companies'> = {
    table: 'companies',
    total: options.companies,
    *batches(size) {
      const r = seededRandom(options.seed, 1);
      const domainFor = uniquer();
      yield* inBatches(options.companies, size, (i) => {
        const pattern = r.int(4);
        let name: string;
        if (pattern === 0) name = `${r.pick(w.COMPANY_FIRST)} ${r.pick(w.COMPANY_SECOND)}`;
        else if (pattern === 1) name = `${r.pick(w.LAST_NAMES)} ${r.pick(w.COMPANY_SECOND)}`;
        else if (pattern === 2) name = `${r.pick(w.LAST_NAMES)} & ${r.pick(w.LAST_NAMES)}`;
        else name = `${r.pick(w.COMPANY_FIRST)}${r.pick(w.COMPANY_SECOND).toLowerCase()}`;
        const domain = `${domainFor(slug(name))}.${r.pick(w.TLDS)}`;
        if (r.chance(0.4)) name += ` ${r.pick(w.COMPANY_SUFFIXES)}`;
        const created = spread(now, 1095, i, options.companies, r);
        const updated = created + r.int(now - created + 1);
        const id = seededId('co', created, r);
        const custom: Record<string, unknown> = { tier: r.pick(w.TIERS) };
        if (r.chance(0.7)) custom.employees = r.between(3, 20_000);
        if (r.chance(0.5)) custom.founded = r.between(1950, 2024);
        companyIds.push(id);
        companyDomains.push(domain);
        companyNames.push(name);
        return {
          id,
          name,
          domain,
          industry: r.chance(0.9) ? r.pick(w.INDUSTRIES) : null,
          size: r.chance(0.85) ? r.weighted(w.SIZES) : null,
          website: r.chance(0.8) ? `https://${domain}` : null,
          tags: JSON.stringify(r.some(w.COMPANY_TAGS, 2)),
          custom: JSON.stringify(custom),
          version: 1,
          created_at: iso(created),
          updated_at: iso(updated),
          deleted_at: null,
        };
      });
    },
  };

  const contacts: SeedPhase<'contacts'> = {
    table: 'contacts',
    total: options.contacts,
    *batches(size) {
      const r = seededRandom(options.seed, 2);
      const emailFor = uniquer();
      yield* inBatches(options.contacts, size, (i) => {
        const first = r.pick(w.FIRST_NAMES);
        const last = r.pick(w.LAST_NAMES);
        const company = companyIds.length > 0 && r.chance(0.85) ? r.int(companyIds.length) : -1;
        const domain = company >= 0 && r.chance(0.9) ? companyDomains[company]! : r.pick(w.FREE_MAIL);
        const hasEmail = r.chance(0.95);
        const email = hasEmail ? emailFor(`${slug(first)}.${slug(last)}`, `@${domain}`) : null;
        const created = spread(now, 730, i, options.contacts, r);
        const updated = created + r.int(now - created + 1);
        const custom: Record<string, unknown> = {};
        if (r.chance(0.9)) custom.source = r.pick(w.SOURCES);
        if (r.chance(0.7)) custom.score = r.int(101);
        if (r.chance(0.6)) custom.region = r.pick(w.REGIONS);
        const followUp = r.chance(0.1);
        // Half of the follow-ups are due (up to two weeks overdue), half in the coming month.
        const followUpAt = followUp ? now + (r.chance(0.5) ? -r.int(14 * DAY) : r.int(30 * DAY)) : 0;
        const id = seededId('c', created, r);
        contactIds.push(id);
        contactCompany.push(company);
        contactLastNames.push(last);
        return {
          id,
          name: `${first} ${last}`,
          email,
          phone: r.chance(0.7) ? phoneNumber(r) : null,
          title: r.chance(0.8) ? r.pick(w.TITLES) : null,
          stage: r.weighted(w.CONTACT_STAGES),
          company_id: company >= 0 ? companyIds[company]! : null,
          tags: JSON.stringify(r.some(w.CONTACT_TAGS, 3)),
          custom: JSON.stringify(custom),
          follow_up_at: followUp ? iso(followUpAt) : null,
          follow_up_note: followUp ? r.pick(w.FOLLOW_UP_NOTES) : null,
          do_not_contact: 0,
          owner: null,
          version: 1,
          created_at: iso(created),
          updated_at: iso(updated),
          deleted_at: null,
        };
      });
    },
  };

  const deals: SeedPhase<'deals'> = {
    table: 'deals',
    total: options.deals,
    *batches(size) {
      const r = seededRandom(options.seed, 3);
      yield* inBatches(options.deals, size, (i) => {
        const contact = contactIds.length > 0 ? r.int(contactIds.length) : -1;
        const company =
          contact >= 0 ? contactCompany[contact]! : companyIds.length > 0 ? r.int(companyIds.length) : -1;
        const who =
          company >= 0 ? companyNames[company]! : contact >= 0 ? contactLastNames[contact]! : 'Direct';
        const created = spread(now, 540, i, options.deals, r);
        const status = r.weighted([
          ['open', 60],
          ['won', 25],
          ['lost', 15],
        ] as const);
        const closed = status === 'open' ? null : created + r.int(now - created + 1);
        const currency = r.weighted(w.CURRENCY_WEIGHTS);
        // Log-uniform between 500 and 500,000 major units, in the currency's minor unit.
        const major = Math.round((500 * 1000 ** r.next()) / 10) * 10;
        const custom: Record<string, unknown> = { channel: r.chance(0.7) ? 'direct' : 'partner' };
        if (status === 'open') custom.probability = r.pick([10, 20, 40, 60, 80, 90]);
        const followUp = status === 'open' && r.chance(0.15);
        const id = seededId('d', created, r);
        dealIds.push(id);
        dealContact.push(contact);
        return {
          id,
          title: `${who} ${r.pick(w.PRODUCTS)} ${new Date(created).getUTCFullYear()}`,
          amount_cents: major * 10 ** (CURRENCIES[currency] ?? 2),
          currency,
          stage: status === 'open' ? r.pick(w.OPEN_DEAL_STAGES) : `closed-${status}`,
          status,
          contact_id: contact >= 0 ? contactIds[contact]! : null,
          company_id: company >= 0 ? companyIds[company]! : null,
          expected_close_at: iso(closed ?? now + (r.int(150) - 30) * DAY),
          closed_at: closed === null ? null : iso(closed),
          follow_up_at: followUp ? iso(now + (r.int(30) - 10) * DAY) : null,
          follow_up_note: followUp ? r.pick(w.FOLLOW_UP_NOTES) : null,
          tags: JSON.stringify(r.some(w.DEAL_TAGS, 2)),
          custom: JSON.stringify(custom),
          version: 1,
          created_at: iso(created),
          updated_at: iso(closed ?? created + r.int(now - created + 1)),
          deleted_at: null,
        };
      });
    },
  };

  const activities: SeedPhase<'activities'> = {
    table: 'activities',
    total: options.activities,
    *batches(size) {
      const r = seededRandom(options.seed, 4);
      yield* inBatches(options.activities, size, (i) => {
        // Four in ten activities are about a deal (and so about that deal's contact).
        const deal = dealIds.length > 0 && r.chance(0.4) ? r.int(dealIds.length) : -1;
        const contact = deal >= 0 && dealContact[deal]! >= 0 ? dealContact[deal]! : r.int(contactIds.length);
        const kind = r.weighted(w.ACTIVITY_KINDS);
        const occurred = spread(now, 90, i, options.activities, r);
        return {
          id: seededId('a', occurred, r),
          contact_id: contactIds[contact]!,
          deal_id: deal >= 0 && dealContact[deal] === contact ? dealIds[deal]! : null,
          kind,
          body: r.pick(w.ACTIVITY_BODIES[kind]!),
          occurred_at: iso(occurred),
          created_by: options.createdBy,
          version: 1,
          created_at: iso(Math.min(now, occurred + r.int(3_600_000))),
        };
      });
    },
  };

  return [companies, contacts, deals, activities] as SeedPhase[];
}

function phoneNumber(r: Random): string {
  const digits = (n: number) => String(r.int(10 ** n)).padStart(n, '0');
  switch (r.int(4)) {
    case 0:
      return `+1 ${r.between(201, 989)} 555 01${digits(2)}`;
    case 1:
      return `+44 20 7946 0${digits(3)}`;
    case 2:
      return `+49 30 ${digits(7)}`;
    default:
      return `+33 1 ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`;
  }
}
