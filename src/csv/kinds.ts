import { companyKind } from '../companies/company.js';
import { contactKind } from '../contacts/contact.js';
import { dealKind } from '../deals/deal.js';
import type { RecordKind, RecordTable } from '../records/kind.js';

export const CSV_KINDS = ['contacts', 'companies', 'deals'] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

/** A column that names another record by its natural key, resolved to an id in the target workspace. */
export interface RefColumn {
  /** The CSV column: `company_domain`. */
  column: string;
  /** The field it fills: `company_id`. */
  field: string;
  table: RecordTable;
  /** The target's unique column: `domain`. */
  key: string;
  kind: string;
}

export interface CsvKindSpec {
  kind: RecordKind;
  /** Writable fields, in export order (custom excluded: it becomes custom.<key> columns). */
  fields: readonly string[];
  refs: readonly RefColumn[];
  /** Columns written on export that an import does not set (they belong to the target workspace). */
  readOnly: readonly string[];
  /** Integer columns. */
  integers: readonly string[];
  /** Extra header spellings (normalised: lower case, letters and digits only) → column. */
  aliases: Readonly<Record<string, string>>;
}

const companyRef: RefColumn = {
  column: 'company_domain',
  field: 'company_id',
  table: 'companies',
  key: 'domain',
  kind: 'company',
};
const contactRef: RefColumn = {
  column: 'contact_email',
  field: 'contact_id',
  table: 'contacts',
  key: 'email',
  kind: 'contact',
};

const common = { tag: 'tags', labels: 'tags', recordid: 'id' };
const followUp = { followup: 'follow_up_at', followupdate: 'follow_up_at', nextstep: 'follow_up_note' };

export const CSV_SPECS: Readonly<Record<CsvKind, CsvKindSpec>> = {
  contacts: {
    kind: contactKind as RecordKind,
    fields: [
      'name',
      'email',
      'phone',
      'title',
      'stage',
      'company_id',
      'tags',
      'follow_up_at',
      'follow_up_note',
    ],
    refs: [companyRef],
    readOnly: ['version', 'created_at', 'updated_at'],
    integers: [],
    aliases: {
      ...common,
      ...followUp,
      fullname: 'name',
      contactname: 'name',
      contact: 'name',
      emailaddress: 'email',
      mail: 'email',
      phonenumber: 'phone',
      mobile: 'phone',
      telephone: 'phone',
      tel: 'phone',
      jobtitle: 'title',
      position: 'title',
      lifecyclestage: 'stage',
      domain: 'company_domain',
      website: 'company_domain',
      companywebsite: 'company_domain',
    },
  },
  companies: {
    kind: companyKind as RecordKind,
    fields: ['name', 'domain', 'industry', 'size', 'website', 'tags'],
    refs: [],
    readOnly: ['version', 'created_at', 'updated_at'],
    integers: [],
    aliases: {
      ...common,
      companyname: 'name',
      company: 'name',
      organization: 'name',
      organisation: 'name',
      accountname: 'name',
      account: 'name',
      companydomain: 'domain',
      emaildomain: 'domain',
      url: 'website',
      homepage: 'website',
      sector: 'industry',
      companysize: 'size',
      employees: 'size',
    },
  },
  deals: {
    kind: dealKind as RecordKind,
    fields: [
      'title',
      'amount_cents',
      'currency',
      'stage',
      'status',
      'contact_id',
      'company_id',
      'expected_close_at',
      'follow_up_at',
      'follow_up_note',
      'tags',
    ],
    refs: [contactRef, companyRef],
    readOnly: ['closed_at', 'version', 'created_at', 'updated_at'],
    integers: ['amount_cents'],
    aliases: {
      ...common,
      ...followUp,
      dealname: 'title',
      deal: 'title',
      name: 'title',
      opportunity: 'title',
      opportunityname: 'title',
      dealstage: 'stage',
      email: 'contact_email',
      domain: 'company_domain',
      closedate: 'expected_close_at',
      expectedclosedate: 'expected_close_at',
      value: 'amount',
      dealvalue: 'amount',
    },
  },
};

/** `amount` (major units, e.g. 1250.50) is accepted for deals and converted with the currency's minor unit. */
export const AMOUNT_COLUMN = 'amount';

/** The columns an export writes before the custom.<key> columns. */
export function exportColumns(spec: CsvKindSpec): string[] {
  const columns = ['id'];
  for (const field of spec.fields) {
    columns.push(field);
    const ref = spec.refs.find((r) => r.field === field);
    if (ref) columns.push(ref.column);
  }
  if (spec === CSV_SPECS.deals) columns.splice(columns.indexOf('expected_close_at') + 1, 0, 'closed_at');
  return [...columns, ...spec.readOnly.filter((column) => !columns.includes(column))];
}

export function isCsvKind(value: string): value is CsvKind {
  return (CSV_KINDS as readonly string[]).includes(value);
}
